import type { LocalBus } from './local-bus.ts';

/**
 * Local mode's bus is created by the local server (functions/adapters/local/local-stepwise.ts) and
 * handed to publishers and subscribers through here, like the engine (engine-registry.ts): the
 * event-stream handler publishes to it, and features subscribe their rules to it.
 */
let bus: LocalBus | undefined;

export function registerLocalBus(value: LocalBus | undefined): void {
  bus = value;
}

export function localBus(): LocalBus {
  if (!bus) throw new Error('No local event bus is registered: local mode starts one in startLocalStepwise()');
  return bus;
}
