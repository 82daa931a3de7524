import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { PublishedEvent } from '../../../../functions/core/events/catalog.ts';
import type { EntityChange } from '../../../../functions/core/events/change-feed.ts';
import { ChangeStreamProcessor } from '../../../../functions/adapters/dynamodb/change-stream-processor.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
/** Records named by what the fake decoder does with them: `e<n>` yields n events, `skip` none, `bad` throws. */
const rec = (name: string, seq: string): DynamoDBRecord => ({ eventID: name, dynamodb: { SequenceNumber: seq } });

function setup(publish: (events: readonly PublishedEvent[]) => Promise<void> = async () => undefined) {
  const published: PublishedEvent[][] = [];
  const logger = { error: vi.fn() };
  const processor = new ChangeStreamProcessor({
    changes: {
      changeOf: (r): EntityChange | undefined => {
        if (r.eventID === 'bad') throw new Error('corrupt item');
        return r.eventID === 'skip' ? undefined : { entity: 'x', changeId: r.eventID!, at: '2026-03-01T00:00:00.000Z', accountId: A };
      },
    },
    feed: {
      eventsOf: (c) => Array.from({ length: Number(c.changeId.slice(1)) }, (_, i) => ({ id: `evt_${c.changeId}_${i}`, event: 'task.created' as const, timestamp: c.at, account_id: A, data: {} })),
    },
    publisher: {
      publish: async (events) => {
        published.push([...events]);
        await publish(events);
      },
    },
    logger,
  });
  return { processor, published, logger };
}

describe('ChangeStreamProcessor', () => {
  it('publishes every record’s events in record order, in one call, and reports no failure', async () => {
    const { processor, published } = setup();
    expect(await processor.process([rec('e1', '100'), rec('skip', '101'), rec('e2', '102')])).toEqual({ batchItemFailures: [] });
    expect(published).toEqual([[expect.objectContaining({ id: 'evt_e1_0' }), expect.objectContaining({ id: 'evt_e2_0' }), expect.objectContaining({ id: 'evt_e2_1' })]]);
  });

  it('publishes nothing when no record means anything', async () => {
    const { processor, published } = setup();
    expect(await processor.process([rec('skip', '100'), rec('e0', '101')])).toEqual({ batchItemFailures: [] });
    expect(published).toEqual([]);
  });

  it('when publishing fails, reports the first record that produced events, so it and all after it come again', async () => {
    const { processor, logger } = setup(async () => {
      throw new Error('EventBridge refused 1 of 3 events');
    });
    expect(await processor.process([rec('skip', '100'), rec('e1', '101'), rec('e2', '102')])).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(logger.error).toHaveBeenCalledWith('event stream: publishing failed', { events: 3, error: 'EventBridge refused 1 of 3 events' });
  });

  it('a record that cannot be mapped is reported after the events before it went out', async () => {
    const { processor, published, logger } = setup();
    expect(await processor.process([rec('e1', '100'), rec('bad', '101'), rec('e1', '102')])).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(published).toEqual([[expect.objectContaining({ id: 'evt_e1_0' })]]);
    expect(logger.error).toHaveBeenCalledWith('event stream: record could not be mapped', { event_id: 'bad', sequence_number: '101', error: 'corrupt item' });
  });

  it('if both happen, the earlier record wins: retrying from it covers the bad one too', async () => {
    const { processor } = setup(async () => {
      throw new Error('down');
    });
    expect(await processor.process([rec('e1', '100'), rec('bad', '101')])).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
  });
});
