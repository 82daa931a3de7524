import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EXECUTION_STATUSES, RUN_TASK_STATUSES, type ExecutionStatus, type RunTaskStatus } from '../../core/executions/execution.ts';
import type { AccountCounts, AccountCountsReader } from '../../core/insight/ports.ts';
import { TASK_STATUSES, type TaskStatus } from '../../core/tasks/task.ts';
import { counters, keys } from './keys.ts';

/** `/metrics` is one consistent read of the account's COUNTERS item: every figure is kept on writes. */
export class DynamoAccountCounts implements AccountCountsReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(accountId: string): Promise<AccountCounts> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counters(accountId), ConsistentRead: true }));
    const item = out.Item ?? {};
    // Counters only ever move by ADD of exact deltas; a negative value would be a bug, not a count.
    const n = (attr: string) => Math.max(0, Number(item[attr] ?? 0));
    const by = <S extends string>(statuses: readonly S[], attr: (s: S) => string) => Object.fromEntries(statuses.map((s) => [s, n(attr(s))])) as Record<S, number>;
    return {
      workflowsTotal: n(counters.workflowsTotal),
      executionsTotal: n(counters.executionsTotal),
      executions: by<ExecutionStatus>(EXECUTION_STATUSES, counters.executionStatus),
      runTasksTotal: n(counters.runTasksTotal),
      runTasks: by<RunTaskStatus>(RUN_TASK_STATUSES, counters.runTaskStatus),
      workersActive: n(counters.workersActive),
      workersIdle: n(counters.workersIdle),
      userTasksTotal: n(counters.tasksTotal),
      userTasks: by<TaskStatus>(TASK_STATUSES, counters.taskStatus),
    };
  }
}
