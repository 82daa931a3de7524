import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { EventPublisher, PublishedEvent } from '../../core/events/catalog.ts';
import type { ChangeFeed, EntityChange } from '../../core/events/change-feed.ts';
import type { ErrorLogger } from '../../core/logger.ts';
import { mergeDeltas } from './counters.ts';

export interface StreamRecordDecoder {
  changeOf(record: DynamoDBRecord): EntityChange | undefined;
}

/** The account counters a record moves (functions/adapters/dynamodb/run-task-counters.ts, StreamCounters). */
export interface StreamCounterSink {
  moveOf(record: DynamoDBRecord): { accountId: string; deltas: Record<string, number> } | undefined;
  add(accountId: string, deltas: Record<string, number>): Promise<void>;
}

/**
 * One batch of change-stream records → domain events → the bus, in record order, and the counter
 * moves the records stand for. All of a batch's events go out in one publish; if that fails, the
 * first record that produced events is reported, so it and everything after it come again in order
 * (its earlier events may then go out twice, with the same ids: delivery is at least once). A record
 * that cannot be decoded is reported after the events before it are out; retries, bisection and the
 * on-failure queue take it from there.
 *
 * Counters are added last, one ADD per account, for the records before the one reported: a move is
 * not idempotent, so only records that will not come again are counted. If an ADD fails, the others
 * are taken back and the first counted record is reported (its events then go out again, which
 * at-least-once allows). Nothing here throws after a counter write, so Lambda never retries a batch
 * whose moves were added.
 */
export class ChangeStreamProcessor {
  constructor(
    private readonly deps: {
      changes: StreamRecordDecoder;
      feed: Pick<ChangeFeed, 'eventsOf'>;
      publisher: EventPublisher;
      counters?: StreamCounterSink | undefined;
      logger?: ErrorLogger | undefined;
    },
  ) {}

  async process(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
    const events: PublishedEvent[] = [];
    let firstWithEvents: number | undefined;
    let end = records.length;
    for (const [index, record] of records.entries()) {
      try {
        const change = this.deps.changes.changeOf(record);
        const produced = change ? this.deps.feed.eventsOf(change) : [];
        if (produced.length && firstWithEvents === undefined) firstWithEvents = index;
        events.push(...produced);
      } catch (error) {
        this.deps.logger?.error('event stream: record could not be mapped', { event_id: record.eventID, sequence_number: sequenceOf(record), error: (error as Error).message });
        end = index;
        break;
      }
    }
    if (events.length) {
      try {
        await this.deps.publisher.publish(events);
      } catch (error) {
        this.deps.logger?.error('event stream: publishing failed', { events: events.length, error: (error as Error).message });
        end = firstWithEvents!;
      }
    }
    const countedFailure = await this.count(records.slice(0, end));
    const failed = countedFailure ?? records[end];
    return failed ? failedFrom(failed) : { batchItemFailures: [] };
  }

  /** Adds the moves of `records`, one ADD per account, all or none; if none, the first record counted (to come again). */
  private async count(records: readonly DynamoDBRecord[]): Promise<DynamoDBRecord | undefined> {
    const counters = this.deps.counters;
    if (!counters) return undefined;
    const byAccount = new Map<string, Record<string, number>[]>();
    let first: DynamoDBRecord | undefined;
    for (const record of records) {
      let move;
      try {
        move = counters.moveOf(record);
      } catch (error) {
        // Images that cannot be read move nothing countable; the record's events (if any) went out.
        this.deps.logger?.error('event stream: counter move could not be read', { event_id: record.eventID, sequence_number: sequenceOf(record), error: (error as Error).message });
        continue;
      }
      if (!move) continue;
      first ??= record;
      byAccount.set(move.accountId, [...(byAccount.get(move.accountId) ?? []), move.deltas]);
    }
    const moves = [...byAccount].map(([accountId, deltas]) => ({ accountId, deltas: mergeDeltas(...deltas) }));
    const added = await Promise.allSettled(moves.map((m) => counters.add(m.accountId, m.deltas)));
    const failed = added.find((a): a is PromiseRejectedResult => a.status === 'rejected');
    if (!failed) return undefined;
    // The accounts that were added are taken back, so the batch can come again from its first counted
    // record; a take-back that fails too leaves those counters one batch over, as a crash would.
    const undone = await Promise.allSettled(moves.filter((_, i) => added[i]!.status === 'fulfilled').map((m) => counters.add(m.accountId, negate(m.deltas))));
    this.deps.logger?.error('event stream: counters not moved', { accounts: moves.length, error: String(failed.reason), not_taken_back: undone.filter((u) => u.status === 'rejected').length });
    return first;
  }
}

const negate = (deltas: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(deltas).map(([attr, d]) => [attr, -d]));

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

/** Lambda retries from the reported record on; with one failure reported, order is kept. */
const failedFrom = (record: DynamoDBRecord): DynamoDBBatchResponse => ({ batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] });
