import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { statusMoveDeltas, writeStatus } from '../../../../functions/adapters/dynamodb/run-task-counters.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const both = { task: true, attempt: true };
const conflict = () => Object.assign(new Error('Transaction is ongoing for the item'), { name: 'TransactionConflictException' });

describe('statusMoveDeltas', () => {
  it('moves a task between status counters, and an attempt in and out of the workers counters', () => {
    expect(statusMoveDeltas('pending', 'running', both)).toEqual({ run_tasks_status_pending: -1, run_tasks_status_running: 1, workers_active: 1 });
    expect(statusMoveDeltas('running', 'retrying', both)).toEqual({ run_tasks_status_running: -1, run_tasks_status_retrying: 1, workers_active: -1, workers_idle: 1 });
    expect(statusMoveDeltas('retrying', 'running', both)).toEqual({ run_tasks_status_retrying: -1, run_tasks_status_running: 1, workers_idle: -1, workers_active: 1 });
    expect(statusMoveDeltas('running', 'completed', both)).toEqual({ run_tasks_status_running: -1, run_tasks_status_completed: 1, workers_active: -1 });
    expect(statusMoveDeltas('pending', 'cancelled', both)).toEqual({ run_tasks_status_pending: -1, run_tasks_status_cancelled: 1 });
  });

  it('moves nothing when the status is unchanged (a replayed write)', () => {
    expect(statusMoveDeltas('running', 'running', both)).toEqual({});
    expect(statusMoveDeltas('completed', 'completed', both)).toEqual({});
  });

  it('counts only what the record stands for', () => {
    // A map iteration: an attempt, not a task; its first attempt creates the item.
    expect(statusMoveDeltas(undefined, 'running', { task: false, attempt: true })).toEqual({ workers_active: 1 });
    // A map node's task item: a task, its attempts live on iterations.
    expect(statusMoveDeltas('running', 'completed', { task: true, attempt: false })).toEqual({ run_tasks_status_running: -1, run_tasks_status_completed: 1 });
  });
});

describe('writeStatus', () => {
  beforeEach(() => ddb.reset());
  const key = { pk: `ACCT#${A}`, sk: 'RUNTASK#task_1' };
  const input = { Key: key, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'completed' } };

  it('writes with ReturnValues ALL_OLD, then ADDs the move from the previous status to the COUNTERS item', async () => {
    ddb.on(UpdateCommand, { Key: key }).resolves({ Attributes: { status: 'running', attempts: 1 } });
    ddb.on(UpdateCommand, { Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' } }).resolves({});
    expect(await writeStatus(db, 'tbl', A, input, 'completed', both)).toEqual({ status: 'running', attempts: 1 });
    const calls = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({ ...input, TableName: 'tbl', ReturnValues: 'ALL_OLD' });
    expect(calls[1]).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' },
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1, #c2 :c2',
      ExpressionAttributeNames: { '#c0': 'run_tasks_status_running', '#c1': 'run_tasks_status_completed', '#c2': 'workers_active' },
      ExpressionAttributeValues: { ':c0': -1, ':c1': 1, ':c2': -1 },
    });
  });

  it('a repeated write (already in the status) touches no counter', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { status: 'completed' } });
    await writeStatus(db, 'tbl', A, input, 'completed', both);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('retries the counter ADD while a transaction holds the COUNTERS item', async () => {
    ddb.on(UpdateCommand, { Key: key }).resolves({ Attributes: { status: 'running' } });
    ddb.on(UpdateCommand, { Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' } }).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    await writeStatus(db, 'tbl', A, input, 'completed', both);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(4);
  });

  it('decides what counts from the previous item when asked to', async () => {
    ddb.on(UpdateCommand, { Key: key }).resolves({ Attributes: { status: 'running', mapped: true } });
    ddb.on(UpdateCommand, { Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' } }).resolves({});
    await writeStatus(db, 'tbl', A, input, 'cancelled', (old) => ({ task: true, attempt: old?.mapped !== true }));
    expect(ddb.commandCalls(UpdateCommand)[1]!.args[0].input.ExpressionAttributeNames).toEqual({ '#c0': 'run_tasks_status_running', '#c1': 'run_tasks_status_cancelled' });
  });

  it('a failed status write moves nothing and surfaces the error', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    await expect(writeStatus(db, 'tbl', A, input, 'completed', both)).rejects.toThrow('cond');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});
