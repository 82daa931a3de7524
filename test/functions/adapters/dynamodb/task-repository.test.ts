import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoTaskRepository, planFor } from '../../../../functions/adapters/dynamodb/task-repository.ts';
import type { Task } from '../../../../functions/core/tasks/task.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const repo = new DynamoTaskRepository(db, 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';

const task: Task = {
  id: 'task_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  accountId: A,
  name: 'n',
  description: null,
  status: 'pending',
  priority: 'high',
  dueDate: '2030-01-01T00:00:00.000Z',
  tags: ['x'],
  createdBy: 'usr_1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

describe('DynamoTaskRepository', () => {
  beforeEach(() => ddb.reset());

  it('creates the item with its index keys and bumps counters in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.create(task);
    const input = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(input.TransactItems).toEqual([
      {
        Put: {
          TableName: 'tbl',
          ConditionExpression: 'attribute_not_exists(pk)',
          Item: expect.objectContaining({
            pk: `ACCT#${A}`,
            sk: `TASK#${task.id}`,
            gsi1pk: `ACCT#${A}#TASK#STATUS#pending`,
            gsi1sk: task.id,
            gsi2pk: `ACCT#${A}#TASK#PRIORITY#high`,
            gsi2sk: task.id,
            gsi3pk: `ACCT#${A}#TASK#DUE`,
            gsi3sk: `2030-01-01T00:00:00.000Z#${task.id}`,
            version: 1,
            account_id: A,
          }),
        },
      },
      {
        Update: {
          TableName: 'tbl',
          Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' },
          UpdateExpression: 'ADD #c0 :c0, #c1 :c1, #c2 :c2',
          ExpressionAttributeNames: { '#c0': 'tasks_total', '#c1': 'tasks_status_pending', '#c2': 'tasks_priority_high' },
          ExpressionAttributeValues: { ':c0': 1, ':c1': 1, ':c2': 1 },
        },
      },
    ]);
  });

  it('gets by the account-scoped key', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repo.get(A, task.id)).toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'tbl', Key: { pk: `ACCT#${A}`, sk: `TASK#${task.id}` } });
  });

  it('updates with a plain conditional put when no counter moves', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await repo.update(task, { ...task, name: 'm', version: 2 })).toBe(true);
    const input = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ ConditionExpression: '#v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': 1 } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('moves status counters in the same transaction as the update', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.update(task, { ...task, status: 'completed', version: 2 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ ConditionExpression: '#v = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    expect(items[1]!.Update).toMatchObject({
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1',
      ExpressionAttributeNames: { '#c0': 'tasks_status_pending', '#c1': 'tasks_status_completed' },
      ExpressionAttributeValues: { ':c0': -1, ':c1': 1 },
    });
  });

  it('reports a lost race as false, not an error', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    expect(await repo.update(task, { ...task, version: 2 })).toBe(false);
    ddb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancel'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    expect(await repo.delete(task)).toBe(false);
  });

  it('rethrows infrastructure errors', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(repo.update(task, { ...task, version: 2 })).rejects.toThrow('throttled');
  });

  it('deletes conditionally and decrements counters', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo.delete(task)).toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Delete).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: `TASK#${task.id}` },
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':expected': 1 },
    });
    expect(items[1]!.Update!.ExpressionAttributeValues).toEqual({ ':c0': -1, ':c1': -1, ':c2': -1 });
  });

  it('lists the account range newest first, total from the counters item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({ Item: { tasks_total: 7 } });
    const page = await repo.list(A, {}, { limit: 5, offset: 0, cursor: undefined });
    expect(page.total).toBe(7);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': `ACCT#${A}`, ':sk': 'TASK#' },
      ScanIndexForward: false,
      Limit: 6,
      ExclusiveStartKey: undefined,
    });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' },
      ProjectionExpression: '#n',
      ExpressionAttributeNames: { '#n': 'tasks_total' },
    });
  });

  it('counts with a COUNT query when no counter covers the filter', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(QueryCommand, { Select: 'COUNT' }).resolvesOnce({ Count: 3, LastEvaluatedKey: { pk: 'p', sk: 's' } }).resolves({ Count: 2 });
    const page = await repo.list(A, { tag: 'x' }, { limit: 5, offset: 0, cursor: undefined });
    expect(page.total).toBe(5);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('returns a cursor only when another item exists, and resumes from it', async () => {
    const item = (n: number) => ({ pk: `ACCT#${A}`, sk: `TASK#task_${n}`, id: `task_${n}`, account_id: A, name: `t${n}`, status: 'pending', priority: 'low', tags: [], version: 1 });
    ddb.on(GetCommand).resolves({ Item: { tasks_total: 3 } });
    ddb.on(QueryCommand).resolves({ Items: [item(3), item(2), item(1)] });
    const first = await repo.list(A, {}, { limit: 2, offset: 0, cursor: undefined });
    expect(first.items.map((t) => t.id)).toEqual(['task_3', 'task_2']);
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString())).toEqual({ pk: `ACCT#${A}`, sk: 'TASK#task_2' });
    ddb.resetHistory();
    await repo.list(A, {}, { limit: 2, offset: 0, cursor: first.nextCursor });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual({ pk: `ACCT#${A}`, sk: 'TASK#task_2' });
  });

  it('rejects a cursor minted for another account', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'ACCT#acct_other', sk: 'TASK#x' })).toString('base64url');
    await expect(repo.list(A, {}, { limit: 2, offset: 0, cursor: forged })).rejects.toMatchObject({ code: 'validation_error', field: 'cursor' });
  });
});

describe('planFor', () => {
  it('uses gsi1 for status with the status counter', () => {
    const plan = planFor(A, { status: 'blocked' });
    expect(plan.input).toMatchObject({ IndexName: 'gsi1', KeyConditionExpression: '#pk = :pk', ExpressionAttributeValues: { ':pk': `ACCT#${A}#TASK#STATUS#blocked` } });
    expect(plan.counter).toEqual({ accountId: A, attr: 'tasks_status_blocked' });
  });

  it('uses gsi2 for priority, filtering the rest', () => {
    const plan = planFor(A, { priority: 'low', dueBefore: '2030-01-01T00:00:00.000Z', tag: 't' });
    expect(plan.input).toMatchObject({ IndexName: 'gsi2', FilterExpression: '#due_date < :due_date AND contains(#tags, :tags)' });
    expect(plan.counter).toBeUndefined();
  });

  it('uses gsi3 range for due_before, soonest first', () => {
    const plan = planFor(A, { dueBefore: '2030-01-01T00:00:00.000Z' });
    expect(plan.input).toMatchObject({ IndexName: 'gsi3', KeyConditionExpression: '#pk = :pk AND #sk < :sk', ScanIndexForward: true });
  });
});
