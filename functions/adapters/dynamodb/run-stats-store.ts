import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Execution } from '../../core/executions/execution.ts';
import { isTerminal } from '../../core/executions/execution.ts';
import { emptyStats, type RunStatsStore, type WorkflowRunStats } from '../../core/executions/run-stats.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

const COUNTER: Record<string, string> = { completed: 'completed', failed: 'failed', cancelled: 'cancelled', timed_out: 'timed_out' };

/**
 * One stats item per workflow, updated by the execution transitions (each applied once, so the
 * counters never double-count a repeated status event). Each run counts once in `total_runs` and
 * once in the outcome counts, by its latest outcome (a redrive takes the earlier one back).
 * `last_*` only moves forward: an older execution's late event never replaces a newer run
 * (execution ids sort by start time).
 */
export class DynamoRunStatsStore implements RunStatsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async executionChanged(previous: Execution, next: Execution): Promise<void> {
    const key = keys.workflowStats(next.accountId, next.workflowId);
    if (isTerminal(previous.status) && (previous.status !== next.status || previous.redriveCount !== next.redriveCount)) {
      // Redriven: the run's earlier outcome is taken back, so each run counts once, by its latest
      // outcome (only failed, timed-out and cancelled runs can be redriven; none has a duration here).
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD #c :minus',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#c': COUNTER[previous.status]! },
          ExpressionAttributeValues: { ':minus': -1 },
        }),
      ).catch((error: unknown) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
    }
    // What this change always adds: a run counts once it leaves pending, whatever it becomes (events
    // arrive in any order, so a SUCCEEDED may be applied before, and instead of, RUNNING, and a start
    // that fails is still a run), and once more in its outcome.
    const adds: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':wf': next.workflowId };
    if (previous.status === 'pending') adds.push('total_runs :one');
    if (isTerminal(next.status)) {
      names['#c'] = COUNTER[next.status]!;
      adds.push('#c :one');
      if (next.status === 'completed') {
        adds.push('completed_duration_ms :d');
        values[':d'] = next.durationMs ?? 0;
      }
    }
    // DynamoDB refuses a value the expression does not use, so :one comes only with an ADD.
    if (adds.length) values[':one'] = 1;
    const add = adds.length ? ` ADD ${adds.join(', ')}` : '';
    const named = Object.keys(names).length ? { ExpressionAttributeNames: names } : {};
    const last = {
      ':id': next.id,
      ':s': next.status,
      ':at': next.startedAt ?? next.createdAt,
      // Indexed with the status it holds, so `GET /workflows?status=running` is one query (never a scan).
      ':g': keys.workflowsByLastRun(next.accountId, next.status),
    };
    // One write in the usual case: the counts and `last_*` together, while this is the newest run. An
    // older run's late change fails the condition, and then only its counts are written.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET workflow_id = :wf, last_execution_id = :id, last_status = :s, last_run_at = :at, gsi1pk = :g, gsi1sk = :wf${add}`,
          ConditionExpression: 'attribute_not_exists(last_execution_id) OR last_execution_id <= :id',
          ...named,
          ExpressionAttributeValues: { ...values, ...last },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (add) {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `SET workflow_id = :wf${add}`,
            ...named,
            ExpressionAttributeValues: values,
          }),
        );
      }
    }
    if (next.status === 'failed' || next.status === 'timed_out') await this.moveLastError(key, next);
  }

  /** The newest failed run's error; a late failure of an older run does not replace it. */
  private async moveLastError(key: { pk: string; sk: string }, next: Execution): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET last_error = :err, last_error_execution_id = :id',
          ConditionExpression: 'attribute_not_exists(last_error_execution_id) OR last_error_execution_id <= :id',
          ExpressionAttributeValues: { ':err': next.error, ':id': next.id },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async get(accountId: string, workflowIds: readonly string[]): Promise<Map<string, WorkflowRunStats>> {
    const out = new Map<string, WorkflowRunStats>();
    const unique = [...new Set(workflowIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => keys.workflowStats(accountId, id));
      for (let attempt = 0; request && request.length > 0 && attempt < 6; attempt += 1) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request } } }));
        for (const item of res.Responses?.[this.tableName] ?? []) out.set(String(item.workflow_id), fromItem(item));
        request = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    for (const id of unique) if (!out.has(id)) out.set(id, emptyStats(id));
    return out;
  }

}

function fromItem(i: Record<string, unknown>): WorkflowRunStats {
  const n = (k: string) => Number(i[k] ?? 0);
  return {
    workflowId: String(i.workflow_id),
    lastRunAt: (i.last_run_at as string | undefined) ?? null,
    lastExecutionId: (i.last_execution_id as string | undefined) ?? null,
    lastStatus: (i.last_status as WorkflowRunStats['lastStatus'] | undefined) ?? null,
    totalRuns: n('total_runs'),
    completed: n('completed'),
    failed: n('failed'),
    cancelled: n('cancelled'),
    timedOut: n('timed_out'),
    completedDurationMs: n('completed_duration_ms'),
    lastError: (i.last_error as string | null | undefined) ?? null,
  };
}
