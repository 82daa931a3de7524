import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { EventPublisher, PublishedEvent } from '../../core/events/catalog.ts';
import type { ChangeFeed, EntityChange } from '../../core/events/change-feed.ts';
import type { ErrorLogger } from '../../core/logger.ts';

export interface StreamRecordDecoder {
  changeOf(record: DynamoDBRecord): EntityChange | undefined;
}

/**
 * One batch of change-stream records → domain events → the bus, in record order. All of a batch's
 * events go out in one publish; if that fails, the first record that produced events is reported,
 * so it and everything after it come again in order (its earlier events may then go out twice,
 * with the same ids: delivery is at least once). A record that cannot be decoded is reported
 * after the events before it are out; retries, bisection and the on-failure queue take it from there.
 */
export class ChangeStreamProcessor {
  constructor(
    private readonly deps: {
      changes: StreamRecordDecoder;
      feed: Pick<ChangeFeed, 'eventsOf'>;
      publisher: EventPublisher;
      logger?: ErrorLogger | undefined;
    },
  ) {}

  async process(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
    const events: PublishedEvent[] = [];
    let firstWithEvents: DynamoDBRecord | undefined;
    let undecodable: DynamoDBRecord | undefined;
    for (const record of records) {
      try {
        const change = this.deps.changes.changeOf(record);
        const produced = change ? this.deps.feed.eventsOf(change) : [];
        if (produced.length && !firstWithEvents) firstWithEvents = record;
        events.push(...produced);
      } catch (error) {
        this.deps.logger?.error('event stream: record could not be mapped', { event_id: record.eventID, sequence_number: sequenceOf(record), error: (error as Error).message });
        undecodable = record;
        break;
      }
    }
    if (events.length) {
      try {
        await this.deps.publisher.publish(events);
      } catch (error) {
        this.deps.logger?.error('event stream: publishing failed', { events: events.length, error: (error as Error).message });
        return failedFrom(firstWithEvents!);
      }
    }
    return undecodable ? failedFrom(undecodable) : { batchItemFailures: [] };
  }
}

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

/** Lambda retries from the reported record on; with one failure reported, order is kept. */
const failedFrom = (record: DynamoDBRecord): DynamoDBBatchResponse => ({ batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] });
