import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createJsonLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { LocalBus, type BusEvent } from '../../../functions/adapters/local/local-bus.ts';
import { eventId } from '../../../functions/core/events/change-feed.ts';
import { createHandler } from '../../../functions/root/handlers/event-stream.ts';
import { parseConfig } from '../../../functions/root/config.ts';
import { localPlatform } from '../../../functions/root/local.ts';
import { createStepwise } from '../../../functions/root/stepwise.ts';
import { ALL_DOMAIN_EVENTS } from '../../../lib/definitions/event-patterns.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const T = 'task_01JDDDDDDDDDDDDDDDDDDDDDDD';

const taskItem = {
  pk: `ACCT#${A}`,
  sk: `TASK#${T}`,
  entity: 'task',
  id: T,
  account_id: A,
  name: 'Ship it',
  description: null,
  status: 'pending',
  priority: 'high',
  due_date: null,
  tags: [],
  created_by: null,
  created_at: '2026-03-01T10:00:00.000Z',
  updated_at: '2026-03-01T10:00:00.000Z',
  version: 1,
};
const event = (): DynamoDBStreamEvent => ({
  Records: [
    { eventID: 'counter', eventName: 'MODIFY', dynamodb: { ApproximateCreationDateTime: 1772359500, NewImage: marshall({ pk: `ACCT#${A}`, sk: 'COUNTERS', tasks_total: 1 }) as never, SequenceNumber: '100' } },
    { eventID: 'ev-1', eventName: 'INSERT', dynamodb: { ApproximateCreationDateTime: 1772359500, NewImage: marshall(taskItem) as never, SequenceNumber: '101' } },
  ],
});

/** The Lambda handler end to end with the in-process bus standing in for EventBridge (local mode's wiring). */
describe('event-stream handler', () => {
  let handler: (e: DynamoDBStreamEvent) => Promise<unknown>;
  const bus = new LocalBus();
  const received: BusEvent[] = [];
  bus.subscribe('test', ALL_DOMAIN_EVENTS, async (e) => {
    received.push(e);
  });

  beforeAll(() => {
    // The handler as local mode builds it: its own Stepwise, publishing to this bus.
    const config = parseConfig({ TABLE_NAME: 'unused', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
    handler = createHandler(createStepwise(config, localPlatform(config, { logger: createJsonLogger(config.LOG_LEVEL), timeScale: 1, bus })));
  });

  it('turns the batch’s task INSERT into task.created on the bus, and skips the counters item', async () => {
    expect(await handler(event())).toEqual({ batchItemFailures: [] });
    await bus.drain();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ source: 'stepwise', 'detail-type': 'task.created' });
    expect(received[0]!.detail).toEqual({
      id: eventId('ev-1', 'task.created', '2026-03-01T10:00:00.000Z'),
      event: 'task.created',
      timestamp: '2026-03-01T10:00:00.000Z',
      account_id: A,
      data: { task_id: T, id: T, name: 'Ship it', description: null, status: 'pending', priority: 'high', due_date: null, tags: [], created_by: null, created_at: '2026-03-01T10:00:00.000Z', updated_at: '2026-03-01T10:00:00.000Z', version: 1 },
    });
  });

  it('reports the task record when the bus refuses, so the stream retries from it', async () => {
    const publish = vi.spyOn(bus, 'publish').mockRejectedValueOnce(new Error('bus down'));
    vi.spyOn(process.stdout, 'write').mockImplementationOnce(() => true);
    expect(await handler(event())).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(publish).toHaveBeenCalledTimes(1);
  });
});
