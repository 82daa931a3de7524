import type { ExecutionEngine } from '../../core/executions/ports.ts';

/**
 * Local mode's engine is created by the local server (functions/adapters/local/local-stepwise.ts)
 * and handed to the functions through here, so Lambda bundles never include the emulator.
 */
let engine: ExecutionEngine | undefined;

export function registerLocalEngine(value: ExecutionEngine | undefined): void {
  engine = value;
}

export function localEngine(): ExecutionEngine {
  if (!engine) throw new Error('No local execution engine is registered: local mode starts one in startLocalStepwise()');
  return engine;
}
