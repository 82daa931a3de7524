import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { PublishedEvent } from '../../../../functions/core/events/catalog.ts';
import type { EntityChange } from '../../../../functions/core/events/change-feed.ts';
import { ChangeStreamProcessor } from '../../../../functions/adapters/dynamodb/change-stream-processor.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
/** Records named by what the fake decoder does with them: `e<n>` yields n events, `skip` none, `bad` throws. */
const rec = (name: string, seq: string): DynamoDBRecord => ({ eventID: name, dynamodb: { SequenceNumber: seq } });

type Move = { accountId: string; deltas: Record<string, number> };

/** A counter sink whose moves are given per sequence number; `failFor` accounts refuse their ADD. */
function countersOf(moves: Record<string, Move>, failFor: string[] = []) {
  const added: Move[] = [];
  return {
    added,
    sink: {
      moveOf: (r: DynamoDBRecord) => {
        if (r.dynamodb?.SequenceNumber === 'unreadable') throw new Error('bad image');
        return moves[r.dynamodb?.SequenceNumber ?? ''];
      },
      add: async (accountId: string, deltas: Record<string, number>) => {
        if (failFor.includes(accountId)) throw new Error(`throttled ${accountId}`);
        added.push({ accountId, deltas });
      },
    },
  };
}

function setup(publish: (events: readonly PublishedEvent[]) => Promise<void> = async () => undefined, counters?: ReturnType<typeof countersOf>['sink']) {
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
    counters,
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

describe('ChangeStreamProcessor: counter moves', () => {
  const B = 'acct_01JBBBBBBBBBBBBBBBBBBBBBBB';
  const moves: Record<string, Move> = {
    '100': { accountId: A, deltas: { run_tasks_status_pending: -1, run_tasks_status_running: 1, workers_active: 1 } },
    '101': { accountId: B, deltas: { workers_active: 1 } },
    '102': { accountId: A, deltas: { run_tasks_status_running: -1, run_tasks_status_completed: 1, workers_active: -1 } },
  };

  it('adds a batch’s moves once its events are out, one ADD per account with the moves summed', async () => {
    const counters = countersOf(moves);
    const order: string[] = [];
    const { processor } = setup(async () => void order.push(`published with ${counters.added.length} added`), counters.sink);
    expect(await processor.process([rec('e1', '100'), rec('skip', '101'), rec('e1', '102')])).toEqual({ batchItemFailures: [] });
    expect(order).toEqual(['published with 0 added']);
    expect(counters.added).toEqual([
      { accountId: A, deltas: { run_tasks_status_pending: -1, run_tasks_status_running: 0, workers_active: 0, run_tasks_status_completed: 1 } },
      { accountId: B, deltas: { workers_active: 1 } },
    ]);
  });

  it('when publishing fails, counts only the records before the one reported (those after it come again)', async () => {
    const counters = countersOf(moves);
    const { processor } = setup(async () => {
      throw new Error('down');
    }, counters.sink);
    expect(await processor.process([rec('skip', '100'), rec('e1', '101'), rec('e1', '102')])).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(counters.added).toEqual([{ accountId: A, deltas: moves['100']!.deltas }]);
  });

  it('a record that cannot be mapped: the moves before it are added, none from it on', async () => {
    const counters = countersOf(moves);
    const { processor } = setup(undefined, counters.sink);
    expect(await processor.process([rec('e1', '100'), rec('bad', '101'), rec('e1', '102')])).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(counters.added).toEqual([{ accountId: A, deltas: moves['100']!.deltas }]);
  });

  it('an ADD that fails: the others are taken back and the first counted record is reported, so the batch counts once', async () => {
    const counters = countersOf(moves, [B]);
    const { processor, logger } = setup(undefined, counters.sink);
    expect(await processor.process([rec('skip', '099'), rec('e1', '100'), rec('e1', '101'), rec('e1', '102')])).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    // A's move, then its take-back: net nothing, as if the batch had not been counted.
    expect(counters.added.map((m) => m.accountId)).toEqual([A, A]);
    expect(counters.added[1]!.deltas).toEqual(Object.fromEntries(Object.entries(counters.added[0]!.deltas).map(([k, v]) => [k, -v])));
    expect(logger.error).toHaveBeenCalledWith('event stream: counters not moved', { accounts: 2, error: `Error: throttled ${B}`, not_taken_back: 0 });
  });

  it('a record whose images cannot be read for counting is logged and moves nothing; the batch goes on', async () => {
    const counters = countersOf(moves);
    const { processor, logger } = setup(undefined, counters.sink);
    expect(await processor.process([rec('e1', 'unreadable'), rec('e1', '101')])).toEqual({ batchItemFailures: [] });
    expect(counters.added).toEqual([{ accountId: B, deltas: { workers_active: 1 } }]);
    expect(logger.error).toHaveBeenCalledWith('event stream: counter move could not be read', { event_id: 'e1', sequence_number: 'unreadable', error: 'bad image' });
  });
});
