import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { counterMoveOf, statusMoveDeltas, StreamCounters } from '../../../../functions/adapters/dynamodb/run-task-counters.ts';

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

const TASK_SK = 'RUNTASK#rtask_1';
const task = (attrs: Record<string, unknown>) => ({ pk: `ACCT#${A}`, sk: TASK_SK, entity: 'run_task', ...attrs });
const iteration = (attrs: Record<string, unknown>) => ({ pk: `ACCT#${A}`, sk: 'RUNITER#exec_1#loop#3', entity: 'run_iteration', ...attrs });
/** A stream record as Lambda delivers it (local mode's poller builds the same shape). */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', old?: Record<string, unknown>, next?: Record<string, unknown>): DynamoDBRecord {
  const image = (item: Record<string, unknown>) => marshall(item) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return { eventName, dynamodb: { ...(old ? { OldImage: image(old) } : {}), ...(next ? { NewImage: image(next) } : {}), SequenceNumber: '1' } };
}

describe('counterMoveOf: the move a change-stream record stands for', () => {
  it('a run’s new task item adds to the total and its status', () => {
    expect(counterMoveOf(record('INSERT', undefined, task({ status: 'pending' })))).toEqual({ accountId: A, deltas: { run_tasks_status_pending: 1, run_tasks_total: 1 } });
  });

  it('an attempt of a node outside any map moves the task and the workers', () => {
    expect(counterMoveOf(record('MODIFY', task({ status: 'pending' }), task({ status: 'running' })))!.deltas).toEqual({ run_tasks_status_pending: -1, run_tasks_status_running: 1, workers_active: 1 });
    expect(counterMoveOf(record('MODIFY', task({ status: 'running' }), task({ status: 'retrying' })))!.deltas).toEqual({ run_tasks_status_running: -1, run_tasks_status_retrying: 1, workers_active: -1, workers_idle: 1 });
  });

  it('a map node’s task item is a task only, from the write that turns it mapped on', () => {
    expect(counterMoveOf(record('MODIFY', task({ status: 'pending' }), task({ status: 'running', mapped: true })))!.deltas).toEqual({ run_tasks_status_pending: -1, run_tasks_status_running: 1 });
    expect(counterMoveOf(record('MODIFY', task({ status: 'running', mapped: true }), task({ status: 'cancelled', mapped: true })))!.deltas).toEqual({ run_tasks_status_running: -1, run_tasks_status_cancelled: 1 });
  });

  it('a map iteration is an attempt only; its first attempt creates it, and undoing that takes it back', () => {
    expect(counterMoveOf(record('INSERT', undefined, iteration({ status: 'running' })))!.deltas).toEqual({ workers_active: 1 });
    expect(counterMoveOf(record('MODIFY', iteration({ status: 'running' }), iteration({ status: 'completed' })))!.deltas).toEqual({ workers_active: -1 });
    expect(counterMoveOf(record('REMOVE', iteration({ status: 'running' })))!.deltas).toEqual({ workers_active: -1 });
  });

  it('a removed task item (its account deleted) takes back what it counted', () => {
    expect(counterMoveOf(record('REMOVE', task({ status: 'completed' })))!.deltas).toEqual({ run_tasks_status_completed: -1, run_tasks_total: -1 });
  });

  it('moves nothing for a write that kept the status, and ignores items that are not counted', () => {
    expect(counterMoveOf(record('MODIFY', task({ status: 'running', attempts: 1 }), task({ status: 'running', attempts: 2 })))).toBeUndefined();
    expect(counterMoveOf(record('MODIFY', undefined, { pk: `ACCT#${A}`, sk: 'EXEC#1', entity: 'execution', status: 'running' }))).toBeUndefined();
    expect(counterMoveOf(record('MODIFY', undefined, { pk: 'GLOBAL', sk: TASK_SK, entity: 'run_task', status: 'running' }))).toBeUndefined();
  });

  it('an iteration item written before iterations named their entity: the begin that names it moves from the status its old image still shows', () => {
    const legacy = (status: string) => ({ pk: `ACCT#${A}`, sk: 'RUNITER#exec_1#fan#0', status });
    expect(counterMoveOf(record('MODIFY', legacy('retrying'), { ...legacy('running'), entity: 'run_iteration' }))!.deltas).toEqual({ workers_idle: -1, workers_active: 1 });
    expect(counterMoveOf(record('MODIFY', legacy('running'), legacy('completed')))).toBeUndefined();
  });
});

describe('StreamCounters.add', () => {
  beforeEach(() => ddb.reset());
  const counters = new StreamCounters(db, 'tbl');

  it('one ADD to the account’s COUNTERS item, only if it exists', async () => {
    ddb.on(UpdateCommand).resolves({});
    await counters.add(A, { run_tasks_status_running: -1, run_tasks_status_completed: 1, workers_active: -1 });
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'tbl',
        Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' },
        UpdateExpression: 'ADD #c0 :c0, #c1 :c1, #c2 :c2',
        ExpressionAttributeNames: { '#c0': 'run_tasks_status_running', '#c1': 'run_tasks_status_completed', '#c2': 'workers_active' },
        ExpressionAttributeValues: { ':c0': -1, ':c1': 1, ':c2': -1 },
        ConditionExpression: 'attribute_exists(pk)',
      },
    ]);
  });

  it('sends nothing for moves that cancel out', async () => {
    await counters.add(A, { workers_active: 0 });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('retries while a transaction holds the COUNTERS item', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    await counters.add(A, { workers_active: 1 });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(3);
  });

  it('drops the move of an account deleted meanwhile instead of bringing its counters back', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    await expect(counters.add(A, { workers_active: -1 })).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('surfaces any other failure (the stream processor reports the batch)', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(counters.add(A, { workers_active: 1 })).rejects.toThrow('throttled');
  });
});
