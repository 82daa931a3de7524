import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoRollupStore } from '../../../../functions/adapters/dynamodb/rollup-store.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { EMPTY_COUNTS, ExecutionRollupObserver } from '../../../../functions/core/insight/rollups.ts';
import { executionAt, finishedAt } from '../../../support/execution-fixtures.ts';

const T = (iso: string) => Date.parse(iso);

/** The rollup observer writing through DynamoRollupStore into DynamoDB Local, read back by range. */
describe('DynamoRollupStore (DynamoDB Local)', () => {
  const tableName = `rollups-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoRollupStore(db, tableName);
  const observer = new ExecutionRollupObserver(store);

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  const finish = async (A: string, W: string, endIso: string, status: 'completed' | 'failed' | 'cancelled', durationMs: number) => {
    const start = T(endIso) - durationMs;
    const running = { ...executionAt(A, W, start), status: 'running' as const, startedAt: new Date(start).toISOString() };
    const done = finishedAt(running, status, start, durationMs, { records: { processed: 10, failed: 1 } });
    await observer.executionChanged(running, done);
    return done;
  };

  it('ADDs concurrent finishes into the right buckets and reads a range back, per workflow and granularity', async () => {
    const A = newId('account');
    const W = newId('workflow');
    const other = newId('workflow');
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => finish(A, W, `2026-03-01T10:0${i % 10}:30Z`, i % 5 === 0 ? 'failed' : 'completed', 1_000)),
      finish(A, W, '2026-03-01T11:15:00Z', 'cancelled', 10),
      finish(A, other, '2026-03-01T10:01:00Z', 'completed', 1),
    ]);
    const hours = await store.read(A, W, '1h', '2026-03-01T09:00:00.000Z', '2026-03-01T12:00:00.000Z');
    expect(hours).toEqual([
      { start: '2026-03-01T10:00:00.000Z', ...EMPTY_COUNTS, executions: 10, completed: 8, failed: 2, errors: 2, completedDurationMs: 8_000, recordsProcessed: 100, recordsFailed: 10 },
      { start: '2026-03-01T11:00:00.000Z', ...EMPTY_COUNTS, executions: 1, cancelled: 1, recordsProcessed: 10, recordsFailed: 1 },
    ]);
    const fives = await store.read(A, W, '5m', '2026-03-01T10:00:00.000Z', '2026-03-01T10:05:00.000Z');
    expect(fives.map((b) => [b.start, b.executions])).toEqual([['2026-03-01T10:00:00.000Z', 5]]);
    expect((await store.read(A, W, '1d', '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'))[0]).toMatchObject({ executions: 11 });
    expect(await store.read(newId('account'), W, '1h', '2026-03-01T09:00:00.000Z', '2026-03-01T12:00:00.000Z')).toEqual([]);

    const item = await db.send(new GetCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: `WFROLL#${W}#5m#2026-03-01T10:00:00.000Z` } }));
    expect(item.Item).toMatchObject({ entity: 'workflow_rollup', workflow_id: W, granularity: '5m', bucket: '2026-03-01T10:00:00.000Z', ttl: T('2026-03-03T10:00:00Z') / 1000 });
  });

  it('a redrive takes the count back, but never brings back a bucket TTL already deleted', async () => {
    const A = newId('account');
    const W = newId('workflow');
    const failed = await finish(A, W, '2026-03-01T10:00:00Z', 'failed', 5);
    // What TTL does two days later to the 5-minute bucket.
    await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: `WFROLL#${W}#5m#2026-03-01T10:00:00.000Z` } }));
    await observer.executionChanged(failed, { ...failed, status: 'running', redriveCount: 1, completedAt: null, durationMs: null });
    expect(await store.read(A, W, '5m', '2026-03-01T10:00:00.000Z', '2026-03-01T10:05:00.000Z')).toEqual([]);
    expect(await store.read(A, W, '1h', '2026-03-01T09:00:00.000Z', '2026-03-01T11:00:00.000Z')).toEqual([{ start: '2026-03-01T10:00:00.000Z', ...EMPTY_COUNTS, errors: 1 }]);
  });
});
