import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRunStatsStore } from '../../../../functions/adapters/dynamodb/run-stats-store.ts';
import { executionAt, finishedAt } from '../../../support/execution-fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoRunStatsStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const W = 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAW';
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput);

/** The run statistics' writes as DynamoDB gets them; DynamoDB Local checks the numbers (run-stats-store.int.test.ts). */
describe('DynamoRunStatsStore: one write per status change in the usual case', () => {
  beforeEach(() => ddb.reset());

  it('a run that starts and completes writes its stats item twice: the counts and last_* together each time', async () => {
    ddb.on(UpdateCommand).resolves({});
    const pending = executionAt(A, W, T0);
    const running = { ...pending, status: 'running' as const, startedAt: new Date(T0).toISOString() };
    await store.executionChanged(pending, running);
    await store.executionChanged(running, finishedAt(running, 'completed', T0, 500));
    expect(updates().map((u) => u.UpdateExpression)).toEqual([
      'SET workflow_id = :wf, last_execution_id = :id, last_status = :s, last_run_at = :at, gsi1pk = :g, gsi1sk = :wf ADD total_runs :one',
      'SET workflow_id = :wf, last_execution_id = :id, last_status = :s, last_run_at = :at, gsi1pk = :g, gsi1sk = :wf ADD #c :one, completed_duration_ms :d',
    ]);
    expect(updates()[1]).toMatchObject({ ConditionExpression: 'attribute_not_exists(last_execution_id) OR last_execution_id <= :id', ExpressionAttributeNames: { '#c': 'completed' }, ExpressionAttributeValues: { ':one': 1, ':d': 500, ':s': 'completed' } });
  });

  it('an older run’s late change fails the last_* condition and then writes its counts alone', async () => {
    ddb.on(UpdateCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'newer run', $metadata: {} })).resolves({});
    const pending = executionAt(A, W, T0);
    await store.executionChanged(pending, finishedAt({ ...pending, status: 'running' }, 'failed', T0, 100));
    const [combined, counts] = updates();
    expect(combined?.ConditionExpression).toBeDefined();
    expect(counts).toMatchObject({ UpdateExpression: 'SET workflow_id = :wf ADD total_runs :one, #c :one', ExpressionAttributeNames: { '#c': 'failed' }, ExpressionAttributeValues: { ':wf': W, ':one': 1 } });
    expect(counts?.ConditionExpression).toBeUndefined();
  });

  it('a change that adds nothing sends no value the expression does not use, and nothing more when it is stale', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'newer run', $metadata: {} }));
    const running = { ...executionAt(A, W, T0), status: 'running' as const };
    await store.executionChanged(running, { ...running, redriveCount: 0 });
    expect(updates()).toHaveLength(1);
    expect(Object.keys(updates()[0]!.ExpressionAttributeValues ?? {}).toSorted()).toEqual([':at', ':g', ':id', ':s', ':wf']);
  });
});
