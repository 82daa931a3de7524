import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionItem, logItem, runTaskItem } from '../../../../functions/adapters/dynamodb/execution-items.ts';
import { CORE_ITEM_DECODERS, StreamChanges } from '../../../../functions/adapters/dynamodb/stream-changes.ts';
import { DynamoTaskRepository } from '../../../../functions/adapters/dynamodb/task-repository.ts';
import { DynamoWorkflowRepository } from '../../../../functions/adapters/dynamodb/workflow-repository.ts';
import { toLambdaRecord } from '../../../../functions/adapters/local/local-table-stream.ts';
import type { Execution, LogLine, RunTask } from '../../../../functions/core/executions/execution.ts';
import type { Task } from '../../../../functions/core/tasks/task.ts';
import type { Workflow, WorkflowVersion } from '../../../../functions/core/workflows/workflow.ts';
import { EVENT_SOURCE_ENTITIES } from '../../../../lib/definitions/change-stream.ts';
import { ITEM_DECODERS } from '../../../../functions/adapters/dynamodb/event-sources.ts';
import { runTaskOf } from '../../../support/execution-fixtures.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const W = 'wf_01JBBBBBBBBBBBBBBBBBBBBBBB';
const E = 'exec_01JCCCCCCCCCCCCCCCCCCCCCCC';
const STREAM = 'arn:aws:dynamodb:eu-west-1:111122223333:table/stepwise-dev-Table/stream/2026-03-01T00:00:00.000';
const changes = new StreamChanges(CORE_ITEM_DECODERS);
const docClient = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
beforeEach(() => docClient.reset());

/** A stream record in Lambda's JSON shape, from items as the repositories write them. */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', images: { old?: Record<string, unknown>; new?: Record<string, unknown> }, extra: Partial<SdkRecord> = {}): DynamoDBRecord {
  const image = (item?: Record<string, unknown>) => (item ? marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }) : undefined);
  const any = (images.new ?? images.old)!;
  return toLambdaRecord(
    {
      eventID: `${eventName}-${String(any.sk)}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: new Date('2026-03-01T10:05:07.000Z'),
        Keys: marshall({ pk: any.pk, sk: any.sk }),
        NewImage: image(images.new),
        OldImage: image(images.old),
        SequenceNumber: '4421584500000000017450439091',
        SizeBytes: 512,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      ...extra,
    },
    STREAM,
  );
}

const task: Task = {
  id: 'task_01JDDDDDDDDDDDDDDDDDDDDDDD',
  accountId: A,
  name: 'Write report',
  description: null,
  status: 'pending',
  priority: 'medium',
  dueDate: null,
  tags: ['q1'],
  createdBy: 'usr_01JFFFFFFFFFFFFFFFFFFFFFFF',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  version: 1,
};

/** The task item exactly as DynamoTaskRepository.create writes it. */
async function storedTask(t: Task): Promise<Record<string, unknown>> {
  docClient.on(TransactWriteCommand).resolves({});
  await new DynamoTaskRepository(db, 'table').create(t);
  const put = docClient.commandCalls(TransactWriteCommand).at(-1)!.args[0].input.TransactItems![0]!.Put!;
  return put.Item as Record<string, unknown>;
}

describe('StreamChanges', () => {
  it('decodes a task INSERT exactly as Lambda delivers it (JSON images, epoch seconds)', () => {
    const lambdaRecord: DynamoDBRecord = {
      eventID: 'c81e728d9d4c2f636f067f89cc14862c',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: STREAM,
      dynamodb: {
        ApproximateCreationDateTime: 1772359507,
        Keys: { pk: { S: `ACCT#${A}` }, sk: { S: `TASK#${task.id}` } },
        NewImage: {
          pk: { S: `ACCT#${A}` },
          sk: { S: `TASK#${task.id}` },
          entity: { S: 'task' },
          gsi1pk: { S: `ACCT#${A}#TASK#STATUS#pending` },
          gsi1sk: { S: task.id },
          id: { S: task.id },
          account_id: { S: A },
          name: { S: 'Write report' },
          description: { NULL: true },
          status: { S: 'pending' },
          priority: { S: 'medium' },
          due_date: { NULL: true },
          tags: { L: [{ S: 'q1' }] },
          created_by: { S: 'usr_01JFFFFFFFFFFFFFFFFFFFFFFF' },
          created_at: { S: '2026-03-01T10:00:00.000Z' },
          updated_at: { S: '2026-03-01T10:00:00.000Z' },
          version: { N: '1' },
        },
        SequenceNumber: '4421584500000000017450439091',
        SizeBytes: 421,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect(changes.changeOf(lambdaRecord)).toEqual({ entity: 'task', changeId: 'c81e728d9d4c2f636f067f89cc14862c', at: '2026-03-01T10:05:07.000Z', accountId: A, new: task });
  });

  it('decodes a task MODIFY into both versions, with the repository’s own conversion', async () => {
    const old = await storedTask(task);
    const next = { ...old, status: 'completed', version: 2, updated_at: '2026-03-01T11:00:00.000Z' };
    expect(changes.changeOf(record('MODIFY', { old, new: next }))).toEqual({
      entity: 'task',
      changeId: `MODIFY-TASK#${task.id}`,
      at: '2026-03-01T10:05:07.000Z',
      accountId: A,
      old: task,
      new: { ...task, status: 'completed', version: 2, updatedAt: '2026-03-01T11:00:00.000Z' },
    });
  });

  it('decodes a workflow REMOVE into the old version only', async () => {
    const workflow: Workflow = {
      id: W,
      accountId: A,
      name: 'Nightly',
      description: 'd',
      status: 'active',
      tags: [],
      dialect: 'cloudflow',
      source: { trigger: { type: 'manual' }, steps: [{ type: 'http.request', url: 'https://example.com' }] },
      version: 1,
      revision: 3,
      machine: { stateMachineArn: 'arn:sm', versionArn: 'arn:sm:1', aliasArn: 'arn:sm:live' },
      nodes: [],
      createdBy: null,
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:30:00.000Z',
    };
    docClient.on(TransactWriteCommand).resolves({});
    const version = { workflowId: W, accountId: A, version: 1, source: workflow.source, dialect: 'cloudflow', asl: '{}', versionArn: 'arn:sm:1', createdBy: null, createdAt: workflow.createdAt } as WorkflowVersion;
    await new DynamoWorkflowRepository(db, 'table').create(workflow, version);
    const item = docClient.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item as Record<string, unknown>;
    expect(changes.changeOf(record('REMOVE', { old: item }))).toEqual({ entity: 'workflow', changeId: `REMOVE-WF#${W}`, at: '2026-03-01T10:05:07.000Z', accountId: A, old: workflow });
  });

  it('decodes executions, binary (gzipped) attributes included: Lambda sends them base64-encoded', () => {
    const big = { rows: Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(10) })) };
    const execution: Execution = {
      id: E,
      accountId: A,
      workflowId: W,
      workflowName: 'Nightly',
      version: 1,
      status: 'running',
      input: big,
      result: null,
      error: null,
      failedNode: null,
      executionArn: 'arn:exec',
      sinks: ['b'],
      taskCount: 2,
      redriveCount: 0,
      records: null,
      trigger: 'manual',
      createdBy: null,
      createdAt: '2026-03-01T10:00:00.000Z',
      startedAt: '2026-03-01T10:00:01.000Z',
      completedAt: null,
      durationMs: null,
    };
    const item = executionItem(execution);
    expect(item.input_gz).toBeInstanceOf(Uint8Array);
    const lambda = record('MODIFY', { old: executionItem({ ...execution, status: 'pending', startedAt: null }), new: item });
    expect(typeof lambda.dynamodb!.NewImage!.input_gz!.B).toBe('string');
    const change = changes.changeOf(lambda);
    expect(change).toMatchObject({ entity: 'execution', accountId: A, old: { status: 'pending' }, new: { status: 'running' } });
    expect(change!.new).toEqual(execution);
  });

  it('decodes run tasks with whether they sit inside a map', () => {
    const runTask: RunTask = runTaskOf({ id: E, accountId: A, workflowId: W, createdAt: '2026-03-01T10:00:00.000Z' }, 'load', { id: 'task_01JEEEEEEEEEEEEEEEEEEEEEEE', name: 'Load' });

    const old = runTaskItem(runTask);
    const next = { ...old, status: 'running', attempts: 1, mapped: true, started_at: '2026-03-01T10:00:02.000Z', updated_at: '2026-03-01T10:00:02.000Z' };
    expect(changes.changeOf(record('MODIFY', { old, new: next }))).toMatchObject({
      entity: 'run_task',
      old: { ...runTask, mapped: false },
      new: { ...runTask, status: 'running', mapped: true, startedAt: '2026-03-01T10:00:02.000Z', updatedAt: '2026-03-01T10:00:02.000Z' },
    });
  });

  it('decodes log lines, taking the account from the key (log items carry no account_id)', () => {
    const line: LogLine = { id: 'log_01', executionId: E, timestamp: '2026-03-01T10:00:02.123Z', level: 'warn', message: 'slow', nodeId: null, nodeType: null, data: { ms: 900 } };
    const item = logItem(A, line);
    expect(item.account_id).toBeUndefined();
    expect(changes.changeOf(record('INSERT', { new: item }))).toMatchObject({ entity: 'execution_log', accountId: A, new: line });
  });

  it('ignores TTL expiry: removals by the DynamoDB service principal are housekeeping', () => {
    const item = logItem(A, { id: 'log_02', executionId: E, timestamp: '2026-03-01T10:00:02.123Z', level: 'info', message: 'm', nodeId: null, nodeType: null, data: null });
    expect(changes.changeOf(record('REMOVE', { old: item }, { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } }))).toBeUndefined();
    // A user's deletion has no userIdentity.
    expect(changes.changeOf(record('REMOVE', { old: item }))).toBeDefined();
  });

  it('ignores items of entities without a decoder (counters, sessions, rate limits) and global items', () => {
    const counters = { pk: `ACCT#${A}`, sk: 'COUNTERS', tasks_total: 3 };
    const session = { pk: `ACCT#${A}`, sk: 'SESSION#s', entity: 'session', ttl: 1 };
    const rateLimit = { pk: 'RATELIMIT#ip#127.0.0.1', sk: 'W60#1', count: 3 };
    const globalTask = { pk: 'LOGIN#x', sk: 'LOGIN', entity: 'task' };
    for (const item of [counters, session, rateLimit, globalTask]) expect(changes.changeOf(record('INSERT', { new: item }))).toBeUndefined();
  });

  it('has a decoder for every entity the event source lets through, and refuses two for one entity', () => {
    expect(new StreamChanges(ITEM_DECODERS).entities.toSorted()).toEqual([...EVENT_SOURCE_ENTITIES].toSorted());
    expect(() => new StreamChanges([...CORE_ITEM_DECODERS, { entity: 'task', decode: (i) => i }])).toThrow("Two item decoders for entity 'task'");
  });
});
