import { randomUUID } from 'node:crypto';
import type { ErrorLogger } from '../../core/logger.ts';
import { busSourceOf, type EventPublisher, type PublishedEvent } from '../../core/events/catalog.ts';
import type { BusPattern } from '../../../lib/definitions/event-patterns.ts';

/** An event as EventBridge hands it to a rule's target. */
export interface BusEvent<D = unknown> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

export type BusTarget = (event: BusEvent) => Promise<void>;

interface Rule {
  name: string;
  pattern: BusPattern;
  target: BusTarget;
}

export interface LocalBusOptions {
  logger?: ErrorLogger;
}

/**
 * Local mode's EventBridge: rules are the same pattern objects CDK deploys
 * (lib/definitions/event-patterns.ts), and each matching target is invoked asynchronously, as
 * EventBridge does; `drain()` waits for deliveries in flight (tests, shutdown).
 */
export class LocalBus implements EventPublisher {
  private readonly rules: Rule[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LocalBusOptions = {}) {}

  subscribe(name: string, pattern: BusPattern, target: BusTarget): void {
    this.rules.push({ name, pattern, target });
  }

  async publish(events: readonly PublishedEvent[]): Promise<void> {
    for (const event of events) {
      this.put({
        version: '0',
        id: randomUUID(),
        'detail-type': event.event,
        source: busSourceOf(event.event),
        account: '000000000000',
        time: event.timestamp.replace(/\.\d{3}Z$/, 'Z'),
        region: 'local',
        resources: [],
        detail: event,
      });
    }
  }

  /** Puts any EventBridge-shaped event (domain events, or AWS service events such as Step Functions'). */
  put(event: BusEvent): void {
    for (const rule of this.rules) {
      if (!matches(rule.pattern, event)) continue;
      const delivery = rule.target(event).catch((error: unknown) => {
        this.options.logger?.error('local bus: target failed', { rule: rule.name, detail_type: event['detail-type'], error: (error as Error).message });
      });
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
  }
}

/** The subset of EventBridge's pattern language Stepwise's rules use: exact values and `{prefix}`, nested under `detail`. */
export function matches(pattern: BusPattern, event: BusEvent): boolean {
  if (!pattern.source.includes(event.source)) return false;
  if (pattern.detailType && !pattern.detailType.includes(event['detail-type'])) return false;
  return pattern.detail === undefined || matchesFields(pattern.detail, event.detail);
}

function matchesFields(pattern: Readonly<Record<string, unknown>>, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = record[key];
    if (Array.isArray(expected)) return expected.some((option) => matchesValue(option, actual));
    return typeof expected === 'object' && expected !== null && matchesFields(expected as Record<string, unknown>, actual);
  });
}

function matchesValue(option: unknown, actual: unknown): boolean {
  if (option !== null && typeof option === 'object' && 'prefix' in option) return typeof actual === 'string' && actual.startsWith(String((option as { prefix: unknown }).prefix));
  return option === actual;
}
