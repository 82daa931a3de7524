import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Execution, LogLevel, LogLine, RunTask } from '../../core/executions/execution.ts';
import type { ExecutionFilter, ExecutionRepository, ExecutionTransition, IdempotentStart, TaskSettlement } from '../../core/executions/ports.ts';
import type { Page, PageRequest } from '../../core/pagination.ts';
import { batchPut } from './batch.ts';
import { counterUpdate, mergeDeltas } from './counters.ts';
import { failedConditionIndexes, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { executionFromItem, executionItem, logFromItem, logItem, packJson, runTaskFromItem, runTaskItem, statusKeys } from './execution-items.ts';
import { counters, keys } from './keys.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';

/** How long an Idempotency-Key is remembered. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export class DynamoExecutionRepository implements ExecutionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(execution: Execution, tasks: readonly RunTask[], idempotency?: IdempotentStart) {
    const claim = idempotency ? keys.idempotency(execution.accountId, 'run', createHash('sha256').update(idempotency.key).digest('base64url')) : undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...(claim && idempotency
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: { ...claim, entity: 'idempotency', execution_id: execution.id, fingerprint: idempotency.fingerprint, ttl: Math.floor(Date.parse(execution.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
            { Put: { TableName: this.tableName, Item: executionItem(execution), ConditionExpression: 'attribute_not_exists(pk)' } },
            // The run's tasks are counted from the change stream as they are written (run-task-counters.ts).
            counterUpdate(this.tableName, execution.accountId, { [counters.executionsTotal]: 1, [counters.executionStatus(execution.status)]: 1 })!,
          ],
        }),
      );
    } catch (error) {
      if (claim && failedConditionIndexes(error)?.includes(0)) {
        const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: claim, ConsistentRead: true }));
        if (existing.Item) return { created: false as const, executionId: String(existing.Item.execution_id), fingerprint: String(existing.Item.fingerprint) };
      }
      throw error;
    }
    // Tasks follow the execution: the record exists first, so a half-finished create is visible
    // (pending, with fewer tasks) instead of tasks without an execution.
    await batchPut(this.db, this.tableName, tasks.map(runTaskItem));
    return { created: true as const };
  }

  async get(accountId: string, executionId: string): Promise<Execution | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.execution(accountId, executionId), ConsistentRead: true }));
    return out.Item ? executionFromItem(out.Item) : undefined;
  }

  async list(accountId: string, filter: ExecutionFilter, page: PageRequest): Promise<Page<Execution>> {
    const res = await queryPage(this.db, this.tableName, executionPlan(accountId, filter), page);
    return { items: res.items.map(executionFromItem), total: res.total, nextCursor: res.nextCursor };
  }

  async latest(accountId: string, workflowId: string): Promise<Execution | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.executionsOfWorkflow(accountId, workflowId) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? executionFromItem(item) : undefined;
  }

  async active(accountId: string, workflowId: string): Promise<Execution[]> {
    const out: Execution[] = [];
    for (const status of ['pending', 'running'] as const) {
      await forEachPage(
        this.db,
        { TableName: this.tableName, IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': keys.executionsOfWorkflowByStatus(accountId, workflowId, status) } },
        async (items) => {
          out.push(...items.map(executionFromItem));
        },
      );
    }
    return out;
  }

  async activeChildren(accountId: string, parentExecutionId: string): Promise<Execution[]> {
    const out: Execution[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk',
        // A run starts few children; their partition is small, so the filter reads little.
        FilterExpression: '#s IN (:pending, :running)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':pk': keys.childExecutions(accountId, parentExecutionId), ':pending': 'pending', ':running': 'running' },
      },
      async (items) => {
        out.push(...items.map(executionFromItem));
      },
    );
    return out;
  }

  async transition(previous: Execution, next: ExecutionTransition): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status', '#rc': 'redrive_count' };
    const values: Record<string, unknown> = { ':prev': previous.status, ':prevRc': previous.redriveCount };
    const sets: string[] = [];
    const removes: string[] = [];
    const set = (attr: string, value: unknown) => {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      sets.push(`#${attr} = :${attr}`);
    };
    set('status', next.status);
    names['#rc'] = 'redrive_count';
    values[':rc'] = next.redriveCount;
    sets.push('#rc = :rc');
    for (const [attr, value] of Object.entries(statusKeys({ ...previous, status: next.status }))) set(attr, value);
    if (next.startedAt !== undefined) set('started_at', next.startedAt);
    if (next.completedAt !== undefined) set('completed_at', next.completedAt);
    if (next.durationMs !== undefined) set('duration_ms', next.durationMs);
    if (next.error !== undefined) set('error', next.error);
    if (next.failedNode !== undefined) set('failed_node', next.failedNode);
    if (next.records !== undefined) set('records', next.records);
    if (next.result !== undefined) {
      const packed = packJson('result', next.result);
      for (const [attr, value] of Object.entries(packed)) set(attr, value);
      const other = 'result' in packed ? 'result_gz' : 'result';
      names[`#${other}`] = other;
      removes.push(`#${other}`);
    }
    const counterChange =
      previous.status === next.status ? undefined : counterUpdate(this.tableName, previous.accountId, mergeDeltas({ [counters.executionStatus(previous.status)]: -1 }, { [counters.executionStatus(next.status)]: 1 }));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.execution(previous.accountId, previous.id),
                UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
                ConditionExpression: '#status = :prev AND #rc = :prevRc',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            ...(counterChange ? [counterChange] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (failedConditionIndexes(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  async tasks(accountId: string, executionId: string): Promise<RunTask[]> {
    const out: RunTask[] = [];
    await forEachPage(
      this.db,
      { TableName: this.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.tasksOfExecution(accountId, executionId) } },
      async (items) => {
        out.push(...items.map(runTaskFromItem));
      },
    );
    return out;
  }

  async task(accountId: string, taskId: string): Promise<RunTask | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.runTask(accountId, taskId) }));
    return out.Item ? runTaskFromItem(out.Item) : undefined;
  }

  async settleTasks(accountId: string, executionId: string, changes: readonly TaskSettlement[]): Promise<void> {
    await Promise.all(
      changes.map(async (c) => {
        // Pending and retrying tasks have not ended (recovery after a restart marks interrupted attempts retrying).
        const terminal = c.status !== 'pending' && c.status !== 'retrying';
        // `halted` is what the runner's begin write is conditioned on (run-journal.ts): set when the run stops, removed on redrive.
        const halt = c.halted === undefined ? '' : c.halted === null ? ' REMOVE halted' : ', halted = :halted';
        const previous = (
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.runTask(accountId, c.taskId),
              UpdateExpression: `SET #s = :s, updated_at = :at${terminal ? ', completed_at = :at' : ', completed_at = :null'}${c.error !== undefined ? ', #e = :e' : ''}${halt}`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#s': 'status', ...(c.error !== undefined ? { '#e': 'error' } : {}) },
              ExpressionAttributeValues: {
                ':s': c.status,
                ':at': c.at,
                ...(terminal ? {} : { ':null': null }),
                ...(c.error !== undefined ? { ':e': c.error } : {}),
                ...(typeof c.halted === 'string' ? { ':halted': c.halted } : {}),
              },
              // ALL_OLD tells a map node, whose attempts on iteration items end with it.
              ReturnValues: 'ALL_OLD',
            }),
          )
        ).Attributes;
        if (terminal && previous?.mapped === true) await this.settleIterations(accountId, executionId, String(previous.node_id ?? ''), c.at);
      }),
    );
  }

  /** Iterations a stopped map left running or waiting to retry are cancelled with it (so workers counts end). */
  private async settleIterations(accountId: string, executionId: string, nodeId: string, at: string): Promise<void> {
    if (!nodeId) return;
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#s IN (:running, :retrying)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': keys.runIteration(accountId, executionId, nodeId, '').sk, ':running': 'running', ':retrying': 'retrying' },
      },
      async (items) => {
        for (const item of items) {
          try {
            await this.db.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { pk: String(item.pk), sk: String(item.sk) },
                UpdateExpression: 'SET #s = :cancelled, updated_at = :at',
                ConditionExpression: '#s IN (:running, :retrying)',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at, ':running': 'running', ':retrying': 'retrying' },
              }),
            );
          } catch (error) {
            // It finished meanwhile.
            if (!isConditionalCheckFailed(error)) throw error;
          }
        }
      },
    );
  }

  async logs(accountId: string, executionId: string, level: LogLevel | undefined, page: PageRequest): Promise<Page<LogLine>> {
    const pk = keys.accountPrefix(accountId);
    const range = { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.executionLogPrefix(executionId) } };
    // A level is a filter over the run's lines, not an index: every line is written once (execution-items.ts, logItem).
    const plan: QueryPlan = {
      input: level
        ? { ...range, FilterExpression: '#level = :level', ExpressionAttributeNames: { '#level': 'level' }, ExpressionAttributeValues: { ...range.ExpressionAttributeValues, ':level': level } }
        : range,
      partition: { attr: 'pk', value: pk },
      keyAttrs: ['pk', 'sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(logFromItem), total: res.total, nextCursor: res.nextCursor };
  }

  async appendLogs(accountId: string, lines: readonly LogLine[]): Promise<void> {
    if (lines.length) await batchPut(this.db, this.tableName, lines.map((l) => logItem(accountId, l)));
  }
}

/** Every filter combination is a key condition: account or workflow partition, status index, id (time) range. */
export function executionPlan(accountId: string, filter: ExecutionFilter): QueryPlan {
  const from = filter.startDate ? keys.executionCreatedFrom(filter.startDate) : 'exec_';
  const to = filter.endDate ? keys.executionCreatedTo(filter.endDate) : 'exec_~';
  const ranged = filter.startDate !== undefined || filter.endDate !== undefined;
  const index = (name: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4', value: string, counter?: string): QueryPlan => ({
    input: {
      IndexName: name,
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      ExpressionAttributeNames: { '#pk': `${name}pk`, '#sk': `${name}sk` },
      ExpressionAttributeValues: { ':pk': value, ':from': from, ':to': to },
      ScanIndexForward: false,
    },
    partition: { attr: `${name}pk`, value },
    keyAttrs: ['pk', 'sk', `${name}pk`, `${name}sk`],
    counter: counter && !ranged ? { accountId, attr: counter } : undefined,
  });
  if (filter.parentExecutionId) return childPlan(index('gsi4', keys.childExecutions(accountId, filter.parentExecutionId)), filter);
  if (filter.workflowId && filter.status) return index('gsi3', keys.executionsOfWorkflowByStatus(accountId, filter.workflowId, filter.status));
  if (filter.workflowId) return index('gsi1', keys.executionsOfWorkflow(accountId, filter.workflowId));
  if (filter.status) return index('gsi2', keys.executionsByStatus(accountId, filter.status), counters.executionStatus(filter.status));
  const pk = keys.accountPrefix(accountId);
  return {
    input: {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': pk, ':from': `${keys.executionPrefix}${from}`, ':to': `${keys.executionPrefix}${to}` },
      ScanIndexForward: false,
    },
    partition: { attr: 'pk', value: pk },
    keyAttrs: ['pk', 'sk'],
    counter: ranged ? undefined : { accountId, attr: counters.executionsTotal },
  };
}


/** A run's children are few: workflow and status narrow them with a filter on the parent's partition. */
function childPlan(plan: QueryPlan, filter: ExecutionFilter): QueryPlan {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.workflowId) {
    conditions.push('#wf = :wf');
    names['#wf'] = 'workflow_id';
    values[':wf'] = filter.workflowId;
  }
  if (filter.status) {
    conditions.push('#st = :st');
    names['#st'] = 'status';
    values[':st'] = filter.status;
  }
  if (!conditions.length) return plan;
  return {
    ...plan,
    input: {
      ...plan.input,
      FilterExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { ...plan.input.ExpressionAttributeNames, ...names },
      ExpressionAttributeValues: { ...plan.input.ExpressionAttributeValues, ...values },
    },
  };
}
