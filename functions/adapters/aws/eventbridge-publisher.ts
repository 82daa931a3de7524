import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { busSourceOf, type EventPublisher, type PublishedEvent } from '../../core/events/catalog.ts';

/** PutEvents takes at most 10 entries and 256 KB per call (EventBridge quotas). */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;

export interface EventBridgePublisherOptions {
  eventBusName: string;
  /** Attempts per entry, the first included, before publish() throws. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based): base × 2^(n−1), capped. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Publishes to the stage's custom bus: `source` says catalog or internal (busSourceOf),
 * `detail-type` is the event name and `detail` the whole envelope. PutEvents can accept a call and
 * still refuse some entries (FailedEntryCount); those, and only those, are sent again with backoff,
 * and if they keep failing publish() throws so the change stream retries the records behind them.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: () => Promise<EventBridgeClient>,
    private readonly options: EventBridgePublisherOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 2_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async publish(events: readonly PublishedEvent[]): Promise<void> {
    if (!events.length) return;
    const entries = events.map((event) => this.entryOf(event));
    for (const entry of entries) {
      // One entry over the limit can never be sent; saying so beats retrying it for a day.
      if (entrySize(entry) > MAX_BYTES_PER_CALL) throw new Error(`Event ${entry.DetailType} is ${entrySize(entry)} bytes; EventBridge accepts at most ${MAX_BYTES_PER_CALL}`);
    }
    for (const batch of batches(entries)) await this.send(batch);
  }

  private entryOf(event: PublishedEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.options.eventBusName,
      Source: busSourceOf(event.event),
      DetailType: event.event,
      Detail: JSON.stringify(event),
      Time: new Date(event.timestamp),
    };
  }

  private async send(batch: PutEventsRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      const out = await (await this.client()).send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      // Results line up with the request's entries; a failed one has an ErrorCode. Without
      // results to tell which, every entry is sent again (a duplicate beats a loss: ids dedupe).
      const results = pending.map((entry, i) => ({ entry, result: out.Entries?.[i] }));
      const refused = results.filter(({ result }) => result?.ErrorCode !== undefined);
      const failed = refused.length ? refused : results;
      if (attempt >= this.maxAttempts) {
        const codes = [...new Set(failed.map(({ result }) => result?.ErrorCode ?? 'Unknown'))].join(', ');
        throw new Error(`EventBridge refused ${failed.length} of ${pending.length} events after ${attempt} attempts (${codes})`);
      }
      pending = failed.map(({ entry }) => entry);
      await this.sleep(Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/**
 * How EventBridge sizes an entry: Time (14 bytes when set), Source, DetailType, Detail and each
 * Resources entry, as UTF-8.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (entry.Time ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0);
}

/** Up to 10 entries and 256 KB per call, in order. */
function* batches(entries: PutEventsRequestEntry[]): Generator<PutEventsRequestEntry[]> {
  let batch: PutEventsRequestEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const bytes = entrySize(entry);
    if (batch.length === MAX_ENTRIES_PER_CALL || (batch.length && size + bytes > MAX_BYTES_PER_CALL)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(entry);
    size += bytes;
  }
  if (batch.length) yield batch;
}
