import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LogLine, RecordCounts } from '../../core/executions/execution.ts';
import { runTaskId } from '../../core/executions/execution.ts';
import { nonRetryable } from '../../core/runner/errors.ts';
import type { BeginOutcome, NodeRef, RunJournal, StepState } from '../../core/runner/journal.ts';
import type { TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import { batchPut } from './batch.ts';
import { isConditionalCheckFailed, refusedItem } from './errors.ts';
import { logItem } from './execution-items.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;
type Change = { key: { pk: string; sk: string }; set: Record<string, unknown> & { status: string }; add?: Record<string, number> };

/**
 * The task runner's writes. A node's task item holds its attempts, status, result and the answer
 * it gave the machine; inside a map each iteration has its own item, and the task item shows the
 * latest iteration's status. A completed node or iteration is never run again in the same execution:
 * the stored answer is replayed, which is what makes redrive and duplicate invocations safe.
 * The account counters follow these writes through the change stream (run-task-counters.ts), so
 * no write here carries a counter request.
 */
export class DynamoRunJournal implements RunJournal {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One conditional write: the attempt record. Its condition is also the run's status check (a run
   * that has stopped marks its unfinished nodes `halted` as it settles them, execution-status.ts)
   * and the replay check (a completed node's stored answer comes back with the refusal).
   */
  async begin(ref: NodeRef, at: string): Promise<BeginOutcome> {
    const key = ref.mapKey === undefined ? keys.runTask(ref.accountId, ref.taskId) : keys.runIteration(ref.accountId, ref.executionId, ref.nodeId, ref.mapKey);
    let before: Item | undefined;
    try {
      // ALL_OLD: attempts and max_retries come from the same atomic write. An iteration item names its
      // entity so the change stream counts its attempts (run-task-counters.ts).
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET #s = :running, started_at = if_not_exists(started_at, :at), updated_at = :at, node_id = :node${ref.mapKey === undefined ? '' : ', entity = :iteration'} ADD attempts :one`,
          // Task items are written when the run starts; iteration items appear on their first attempt (the map's task item carries the halt).
          ConditionExpression: ref.mapKey === undefined ? 'attribute_exists(pk) AND #s <> :completed AND attribute_not_exists(halted)' : 'attribute_not_exists(#s) OR #s <> :completed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':at': at, ':node': ref.nodeId, ':one': 1, ':completed': 'completed', ...(ref.mapKey === undefined ? {} : { ':iteration': 'run_iteration' }) },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      before = out.Attributes;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return refused(ref, refusedItem(error));
    }
    const attempt = Number(before?.attempts ?? 0) + 1;
    let maxRetries = Number(before?.max_retries ?? 0);
    if (ref.mapKey !== undefined) {
      // The node's task item shows its latest iteration; `mapped` tells settling that its attempts live on iteration items.
      // Its condition checks that the node belongs to the run and that the run goes on; if not, the iteration's write is undone.
      try {
        const task = (
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.runTask(ref.accountId, ref.taskId),
              UpdateExpression: 'SET #s = :running, started_at = if_not_exists(started_at, :at), updated_at = :at, mapped = :true',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(halted)',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':running': 'running', ':at': at, ':true': true },
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          )
        ).Attributes;
        maxRetries = Number(task?.max_retries ?? 0);
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (before === undefined) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
        else await this.db.send(new PutCommand({ TableName: this.tableName, Item: before }));
        return refused(ref, refusedItem(error));
      }
    }
    return { state: 'run', attempt, maxRetries };
  }

  async complete(ref: NodeRef, outcome: { result: unknown; resultTruncated: boolean; response: TaskRunnerResponse; records: RecordCounts | null; at: string }): Promise<void> {
    const records = outcome.records;
    if (ref.mapKey === undefined) {
      await this.update({
        key: keys.runTask(ref.accountId, ref.taskId),
        set: { status: 'completed', result: outcome.result, result_truncated: outcome.resultTruncated, response: outcome.response, error: null, completed_at: outcome.at, updated_at: outcome.at, ...(records ? { records_processed: records.processed, records_failed: records.failed } : {}) },
      });
      return;
    }
    await this.record([
      { key: keys.runIteration(ref.accountId, ref.executionId, ref.nodeId, ref.mapKey), set: { status: 'completed', output: outcome.result, response: outcome.response, error: null, updated_at: outcome.at } },
      {
        key: keys.runTask(ref.accountId, ref.taskId),
        set: { status: 'completed', error: null, completed_at: outcome.at, updated_at: outcome.at },
        add: { iterations_completed: 1, ...(records ? { records_processed: records.processed, records_failed: records.failed } : {}) },
      },
    ]);
  }

  async fail(ref: NodeRef, failure: { error: string; status: 'retrying' | 'failed' | 'cancelled'; at: string }): Promise<void> {
    const ended = failure.status === 'retrying' ? {} : { completed_at: failure.at };
    if (ref.mapKey === undefined) {
      await this.update({ key: keys.runTask(ref.accountId, ref.taskId), set: { status: failure.status, error: failure.error, updated_at: failure.at, ...ended } });
      return;
    }
    await this.record([
      { key: keys.runIteration(ref.accountId, ref.executionId, ref.nodeId, ref.mapKey), set: { status: failure.status, error: failure.error, updated_at: failure.at } },
      { key: keys.runTask(ref.accountId, ref.taskId), set: { status: failure.status, error: failure.error, updated_at: failure.at, ...ended } },
    ]);
  }

  async step(accountId: string, executionId: string, nodeId: string, mapKey?: string): Promise<StepState | undefined> {
    // Inside an iteration, a sibling's output is the one from the same item ("3.0", then "3").
    const parts = mapKey === undefined ? [] : mapKey.split('.');
    for (let n = parts.length; n > 0; n -= 1) {
      const it = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.runIteration(accountId, executionId, nodeId, parts.slice(0, n).join('.')) }));
      if (it.Item) return { status: String(it.Item.status), output: it.Item.output ?? null, error: (it.Item.error as string | null | undefined) ?? null };
    }
    const task = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.runTask(accountId, runTaskId(executionId, nodeId)) }));
    if (!task.Item) return undefined;
    return { status: String(task.Item.status), output: task.Item.result ?? null, error: (task.Item.error as string | null | undefined) ?? null };
  }

  async appendLogs(accountId: string, lines: readonly LogLine[]): Promise<void> {
    if (lines.length) await batchPut(this.db, this.tableName, lines.map((l) => logItem(accountId, l)));
  }

  /** A map iteration's record and its node's task item: two independent writes, one wait. */
  private async record(changes: readonly Change[]): Promise<void> {
    await Promise.all(changes.map((c) => this.update(c)));
  }

  private async update({ key, set, add = {} }: Change): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(set).map(([attr, value], i) => {
      names[`#s${i}`] = attr;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const adds = Object.entries(add).map(([attr, value], i) => {
      names[`#a${i}`] = attr;
      values[`:a${i}`] = value;
      return `#a${i} :a${i}`;
    });
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}

/** Why a begin write was refused, from the item it returned: a completed node, a stopped run, or no such node in the run. */
function refused(ref: NodeRef, item: Item | undefined): BeginOutcome {
  // Completed first: a node that finished while its run was being stopped still replays its answer after a redrive.
  if (item?.status === 'completed' && item.response) return { state: 'done', response: item.response as TaskRunnerResponse };
  if (typeof item?.halted === 'string') return { state: 'stopped', status: item.halted };
  throw nonRetryable(`Task ${ref.taskId} (${ref.nodeId}) does not belong to execution ${ref.executionId}`);
}
