import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRollupStore } from '../../../../functions/adapters/dynamodb/rollup-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = new DynamoRollupStore(db, 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const W = 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const conditionFailed = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('DynamoRollupStore', () => {
  beforeEach(() => ddb.reset());

  it('adds into one bucket item with a single UpdateItem: ADD the counts, TTL set once', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.add({ accountId: A, workflowId: W, granularity: '1h', bucket: '2026-03-01T10:00:00.000Z', deltas: { executions: 1, completed: 1, completedDurationMs: 2_500, recordsProcessed: 0 }, expiresAt: 1_775_000_000, onlyIfPresent: false });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: `WFROLL#${W}#1h#2026-03-01T10:00:00.000Z` },
      UpdateExpression: 'SET #entity = if_not_exists(#entity, :entity), #wf = :wf, #g = :g, #b = :b, #ttl = if_not_exists(#ttl, :ttl) ADD #c0 :c0, #c1 :c1, #c2 :c2',
      ExpressionAttributeNames: { '#entity': 'entity', '#wf': 'workflow_id', '#g': 'granularity', '#b': 'bucket', '#ttl': 'ttl', '#c0': 'executions', '#c1': 'completed', '#c2': 'completed_duration_ms' },
      ExpressionAttributeValues: { ':wf': W, ':g': '1h', ':b': '2026-03-01T10:00:00.000Z', ':ttl': 1_775_000_000, ':c0': 1, ':c1': 1, ':c2': 2_500, ':entity': 'workflow_rollup' },
    });
  });

  it('takes a count back only from a bucket that still exists, and ignores one that expired', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed);
    await store.add({ accountId: A, workflowId: W, granularity: '5m', bucket: '2026-03-01T10:05:00.000Z', deltas: { executions: -1, failed: -1 }, expiresAt: 1, onlyIfPresent: true });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_exists(pk)');
    expect(input.ExpressionAttributeNames).toMatchObject({ '#c0': 'executions', '#c1': 'failed' });
    expect(input.ExpressionAttributeValues).toMatchObject({ ':c0': -1, ':c1': -1 });
    // Adding (not taking back) never swallows an error.
    await expect(store.add({ accountId: A, workflowId: W, granularity: '5m', bucket: '2026-03-01T10:05:00.000Z', deltas: { executions: 1 }, expiresAt: 1, onlyIfPresent: false })).rejects.toThrow('conditional');
  });

  it('writes nothing for an all-zero change', async () => {
    await store.add({ accountId: A, workflowId: W, granularity: '1d', bucket: '2026-03-01T00:00:00.000Z', deltas: { executions: 0 }, expiresAt: 1, onlyIfPresent: false });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('reads a window as one key range of one granularity, following pages, excluding the end bucket', async () => {
    const item = (bucket: string, n: number) => ({ pk: `ACCT#${A}`, sk: `WFROLL#${W}#1h#${bucket}`, bucket, executions: n, completed: n, timed_out: 1, completed_duration_ms: 10 * n, records_processed: 7 });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('2026-03-01T08:00:00.000Z', 1)], LastEvaluatedKey: { pk: 'p', sk: 's' } })
      .resolvesOnce({ Items: [item('2026-03-01T09:00:00.000Z', 2), item('2026-03-01T10:00:00.000Z', 3)] });
    const got = await store.read(A, W, '1h', '2026-03-01T08:00:00.000Z', '2026-03-01T10:00:00.000Z');
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      TableName: 'tbl',
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `ACCT#${A}`, ':from': `WFROLL#${W}#1h#2026-03-01T08:00:00.000Z`, ':to': `WFROLL#${W}#1h#2026-03-01T10:00:00.000Z` },
      ExclusiveStartKey: undefined,
    });
    expect(calls[1]!.ExclusiveStartKey).toEqual({ pk: 'p', sk: 's' });
    expect(got).toEqual([
      { start: '2026-03-01T08:00:00.000Z', executions: 1, completed: 1, failed: 0, timedOut: 1, cancelled: 0, errors: 0, completedDurationMs: 10, recordsProcessed: 7, recordsFailed: 0 },
      { start: '2026-03-01T09:00:00.000Z', executions: 2, completed: 2, failed: 0, timedOut: 1, cancelled: 0, errors: 0, completedDurationMs: 20, recordsProcessed: 7, recordsFailed: 0 },
    ]);
    expect(await store.read(A, W, '1h', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z')).toEqual([]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
