import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRunJournal } from '../../../../functions/adapters/dynamodb/run-journal.ts';
import type { NodeRef } from '../../../../functions/core/runner/journal.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const journal = new DynamoRunJournal(db, 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const E = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ref: NodeRef = { accountId: A, executionId: E, nodeId: 'call', taskId: 'rtask_1' };
const inMap: NodeRef = { ...ref, mapKey: '3' };
const AT = '2026-05-01T09:00:00.000Z';
const outcome = { result: { ok: true }, resultTruncated: false, response: { node_id: 'call', status: 'completed' as const, output_bytes: 11 }, records: null, at: AT };
const taskKey = { pk: `ACCT#${A}`, sk: 'RUNTASK#rtask_1' };
const iterationKey = { pk: `ACCT#${A}`, sk: `RUNITER#${E}#call#3` };
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
const refusal = (item: Record<string, unknown>) => Object.assign(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }), { Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: String(v) }])) });

/**
 * The journal's exact writes: one request per record it changes and nothing else. The account
 * counters follow these writes through the change stream (run-task-counters.ts), so none is a counter write.
 */
describe('DynamoRunJournal: the requests of one attempt', () => {
  beforeEach(() => ddb.reset());

  it('begin outside a map: one conditional UpdateItem whose old image gives the attempt number and the retry budget', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { status: 'retrying', attempts: 1, max_retries: 2 } });
    await expect(journal.begin(ref, AT)).resolves.toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
    expect(updates()).toEqual([
      {
        TableName: 'tbl',
        Key: taskKey,
        UpdateExpression: 'SET #s = :running, started_at = if_not_exists(started_at, :at), updated_at = :at, node_id = :node ADD attempts :one',
        ConditionExpression: 'attribute_exists(pk) AND #s <> :completed AND attribute_not_exists(halted)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':running': 'running', ':at': AT, ':node': 'call', ':one': 1, ':completed': 'completed' },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    ]);
  });

  it('begin of a run that has stopped: the refusal names the halt, and nothing else is sent', async () => {
    ddb.on(UpdateCommand).rejects(refusal({ status: 'cancelled', halted: 'cancelled' }));
    await expect(journal.begin(ref, AT)).resolves.toEqual({ state: 'stopped', status: 'cancelled' });
    expect(ddb.calls()).toHaveLength(1);
  });

  it('begin inside a map: the iteration item names its entity (so the stream counts it), then the task item turns mapped', async () => {
    ddb.on(UpdateCommand, { Key: iterationKey }).resolves({}).on(UpdateCommand, { Key: taskKey }).resolves({ Attributes: { status: 'running', max_retries: 1 } });
    // The retry budget is the task's: a new iteration has no item before its first attempt.
    await expect(journal.begin(inMap, AT)).resolves.toEqual({ state: 'run', attempt: 1, maxRetries: 1 });
    const [iteration, task] = updates();
    expect(iteration).toMatchObject({ Key: iterationKey, ExpressionAttributeValues: expect.objectContaining({ ':iteration': 'run_iteration' }) });
    expect(iteration!.UpdateExpression).toContain('entity = :iteration');
    expect(task).toMatchObject({ Key: taskKey, ExpressionAttributeValues: expect.objectContaining({ ':true': true }), ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(halted)' });
    expect(updates()).toHaveLength(2);
  });

  it('begin inside a map of a stopped run: the iteration written first is deleted again', async () => {
    ddb.on(UpdateCommand, { Key: iterationKey }).resolves({}).on(UpdateCommand, { Key: taskKey }).rejects(refusal({ status: 'cancelled', halted: 'cancelled' }));
    ddb.on(DeleteCommand).resolves({});
    await expect(journal.begin(inMap, AT)).resolves.toEqual({ state: 'stopped', status: 'cancelled' });
    expect(ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'tbl', Key: iterationKey }]);
  });

  it('complete outside a map: one UpdateItem with the outcome, unconditional, nothing read back', async () => {
    ddb.on(UpdateCommand).resolves({});
    await journal.complete(ref, outcome);
    const [write] = updates();
    expect(updates()).toHaveLength(1);
    expect(write).toMatchObject({ Key: taskKey });
    expect(write!.ConditionExpression).toBeUndefined();
    expect(write!.ReturnValues).toBeUndefined();
    expect(Object.values(write!.ExpressionAttributeNames!)).toEqual(['status', 'result', 'result_truncated', 'response', 'error', 'completed_at', 'updated_at']);
    expect(write!.ExpressionAttributeValues).toMatchObject({ ':s0': 'completed', ':s1': { ok: true } });
  });

  it('a failure that will be retried: one UpdateItem, no end time', async () => {
    ddb.on(UpdateCommand).resolves({});
    await journal.fail(ref, { error: 'boom', status: 'retrying', at: AT });
    expect(updates()).toHaveLength(1);
    expect(Object.values(updates()[0]!.ExpressionAttributeNames!)).toEqual(['status', 'error', 'updated_at']);
  });

  it('inside a map, an outcome is the iteration and the task item, sent together', async () => {
    const sent: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
      sent.push(String(input.Key?.sk).split('#')[0]!);
      // The first write answers only once the second was sent: one after the other would deadlock here.
      if (sent.length === 1) await firstHeld;
      else releaseFirst();
      return {};
    });
    await journal.complete(inMap, { ...outcome, records: { processed: 4, failed: 1 } });
    expect(sent.toSorted()).toEqual(['RUNITER', 'RUNTASK']);
    const task = updates().find((u) => u.Key?.sk === taskKey.sk)!;
    expect(task.UpdateExpression).toMatch(/ ADD #a0 :a0, #a1 :a1, #a2 :a2$/);
    expect(task.ExpressionAttributeValues).toMatchObject({ ':a0': 1, ':a1': 4, ':a2': 1 });
  });

  it('an outcome write that fails fails the call, so the runner can record the failure instead', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(journal.complete(ref, outcome)).rejects.toThrow('throttled');
  });
});
