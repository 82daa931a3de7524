import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LogLine, RecordCounts } from '../../core/executions/execution.ts';
import { runTaskId } from '../../core/executions/execution.ts';
import { nonRetryable } from '../../core/runner/errors.ts';
import type { BeginOutcome, NodeRef, RunJournal, StepState } from '../../core/runner/journal.ts';
import type { TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import { batchPut } from './batch.ts';
import { mergeDeltas } from './counters.ts';
import { isConditionalCheckFailed, refusedItem } from './errors.ts';
import { logItem } from './execution-items.ts';
import { keys } from './keys.ts';
import { addToCounters, statusMoveDeltas, type Counted } from './run-task-counters.ts';

type Item = Record<string, unknown>;
type Change = { key: { pk: string; sk: string }; counted: Counted; set: Record<string, unknown> & { status: string }; add?: Record<string, number> };

const negate = (deltas: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(deltas).map(([attr, d]) => [attr, -d]));

/**
 * The task runner's writes. A node's task item holds its attempts, status, result and the answer
 * it gave the machine; inside a map each iteration has its own item, and the task item shows the
 * latest iteration's status. A completed node or iteration is never run again in the same execution:
 * the stored answer is replayed, which is what makes redrive and duplicate invocations safe.
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
      // ALL_OLD: attempts, max_retries and the previous status (for the counters) come from the same atomic write.
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #s = :running, started_at = if_not_exists(started_at, :at), updated_at = :at, node_id = :node ADD attempts :one',
          // Task items are written when the run starts; iteration items appear on their first attempt (the map's task item carries the halt).
          ConditionExpression: ref.mapKey === undefined ? 'attribute_exists(pk) AND #s <> :completed AND attribute_not_exists(halted)' : 'attribute_not_exists(#s) OR #s <> :completed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':at': at, ':node': ref.nodeId, ':one': 1, ':completed': 'completed' },
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
    const moves = [statusMoveDeltas(before?.status as string | undefined, 'running', { task: ref.mapKey === undefined, attempt: true })];
    let maxRetries = Number(before?.max_retries ?? 0);
    if (ref.mapKey !== undefined) {
      // The node's task item shows its latest iteration; `mapped` tells settling that its attempts live on iteration items.
      // Its condition checks that the node belongs to the run and that the run goes on; if not, the iteration's write is undone.
      let task: Item | undefined;
      try {
        task = (
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
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (before === undefined) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
        else await this.db.send(new PutCommand({ TableName: this.tableName, Item: before }));
        return refused(ref, refusedItem(error));
      }
      moves.push(statusMoveDeltas(task?.status as string | undefined, 'running', { task: true, attempt: false }));
      maxRetries = Number(task?.max_retries ?? 0);
    }
    // The counter move is off the node's path: the attempt record above is what the node waits for.
    const recorded = addToCounters(this.db, this.tableName, ref.accountId, mergeDeltas(...moves));
    // Handled here so a failure is never unhandled; the runner still sees it when it awaits.
    recorded.catch(() => undefined);
    return { state: 'run', attempt, maxRetries, recorded };
  }

  async complete(ref: NodeRef, outcome: { result: unknown; resultTruncated: boolean; response: TaskRunnerResponse; records: RecordCounts | null; at: string }): Promise<void> {
    const records = outcome.records;
    if (ref.mapKey === undefined) {
      await this.recordFromRunning(ref.accountId, {
        key: keys.runTask(ref.accountId, ref.taskId),
        counted: { task: true, attempt: true },
        set: { status: 'completed', result: outcome.result, result_truncated: outcome.resultTruncated, response: outcome.response, error: null, completed_at: outcome.at, updated_at: outcome.at, ...(records ? { records_processed: records.processed, records_failed: records.failed } : {}) },
      });
      return;
    }
    await this.record(ref.accountId, [
      { key: keys.runIteration(ref.accountId, ref.executionId, ref.nodeId, ref.mapKey), counted: { task: false, attempt: true }, set: { status: 'completed', output: outcome.result, response: outcome.response, error: null, updated_at: outcome.at } },
      {
        key: keys.runTask(ref.accountId, ref.taskId),
        counted: { task: true, attempt: false },
        set: { status: 'completed', error: null, completed_at: outcome.at, updated_at: outcome.at },
        add: { iterations_completed: 1, ...(records ? { records_processed: records.processed, records_failed: records.failed } : {}) },
      },
    ]);
  }

  async fail(ref: NodeRef, failure: { error: string; status: 'retrying' | 'failed' | 'cancelled'; at: string }): Promise<void> {
    const ended = failure.status === 'retrying' ? {} : { completed_at: failure.at };
    if (ref.mapKey === undefined) {
      await this.recordFromRunning(ref.accountId, { key: keys.runTask(ref.accountId, ref.taskId), counted: { task: true, attempt: true }, set: { status: failure.status, error: failure.error, updated_at: failure.at, ...ended } });
      return;
    }
    await this.record(ref.accountId, [
      { key: keys.runIteration(ref.accountId, ref.executionId, ref.nodeId, ref.mapKey), counted: { task: false, attempt: true }, set: { status: failure.status, error: failure.error, updated_at: failure.at } },
      { key: keys.runTask(ref.accountId, ref.taskId), counted: { task: true, attempt: false }, set: { status: failure.status, error: failure.error, updated_at: failure.at, ...ended } },
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

  /**
   * The end of an attempt of a node outside any map. Its task item is the attempt record and still
   * holds the status begin set (`running`) unless the run was stopped meanwhile, so the counter move
   * is known before the write and both go out at once: one round trip, not two. If the status had
   * changed (the write's condition says so), the move sent is taken back and the one the write
   * really made is sent instead; only that rare path costs more requests.
   */
  private async recordFromRunning(accountId: string, change: Change): Promise<void> {
    const expected = statusMoveDeltas('running', change.set.status, change.counted);
    const [write, move] = await Promise.allSettled([this.update(change.key, change.set, change.add, 'running'), addToCounters(this.db, this.tableName, accountId, expected)]);
    const moved = move.status === 'fulfilled' ? expected : {};
    if (write.status === 'fulfilled') {
      if (move.status === 'rejected') throw move.reason;
      return;
    }
    if (!isConditionalCheckFailed(write.reason)) {
      await addToCounters(this.db, this.tableName, accountId, negate(moved));
      throw write.reason;
    }
    const previous = await this.update(change.key, change.set, change.add);
    await addToCounters(this.db, this.tableName, accountId, mergeDeltas(statusMoveDeltas(previous?.status as string | undefined, change.set.status, change.counted), negate(moved)));
  }

  /**
   * Sets each record's status (and more) at once, then moves the account counters by their previous
   * statuses in one ADD: a map iteration and its task item are two updates but one counter request.
   */
  private async record(accountId: string, changes: readonly Change[]): Promise<void> {
    const previous = await Promise.all(changes.map((c) => this.update(c.key, c.set, c.add)));
    await addToCounters(this.db, this.tableName, accountId, mergeDeltas(...changes.map((c, i) => statusMoveDeltas(previous[i]?.status as string | undefined, c.set.status, c.counted))));
  }

  /**
   * One record's update; ALL_OLD is the status the counters move from (a repeated write moves nothing).
   * With `from`, the write holds only if the record still has that status, and returns nothing.
   */
  private async update(key: { pk: string; sk: string }, set: Record<string, unknown>, add: Record<string, number> = {}, from?: string): Promise<Item | undefined> {
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
    if (from !== undefined) {
      names['#from'] = 'status';
      values[':from'] = from;
    }
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ...(from === undefined ? { ReturnValues: 'ALL_OLD' } : { ConditionExpression: '#from = :from', ReturnValues: 'NONE' }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return out.Attributes;
  }
}

/** Why a begin write was refused, from the item it returned: a completed node, a stopped run, or no such node in the run. */
function refused(ref: NodeRef, item: Item | undefined): BeginOutcome {
  // Completed first: a node that finished while its run was being stopped still replays its answer after a redrive.
  if (item?.status === 'completed' && item.response) return { state: 'done', response: item.response as TaskRunnerResponse };
  if (typeof item?.halted === 'string') return { state: 'stopped', status: item.halted };
  throw nonRetryable(`Task ${ref.taskId} (${ref.nodeId}) does not belong to execution ${ref.executionId}`);
}
