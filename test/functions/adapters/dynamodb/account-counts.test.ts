import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAccountCounts } from '../../../../functions/adapters/dynamodb/account-counts.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const reader = new DynamoAccountCounts(db, 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('DynamoAccountCounts', () => {
  beforeEach(() => ddb.reset());

  it('is one consistent GetItem of the COUNTERS item, mapped by name; missing counters are 0', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        pk: `ACCT#${A}`,
        sk: 'COUNTERS',
        workflows_total: 3,
        workflows_status_active: 3,
        executions_total: 9,
        executions_status_running: 2,
        executions_status_completed: 5,
        executions_status_failed: 1,
        executions_status_cancelled: 1,
        run_tasks_total: 20,
        run_tasks_status_pending: 4,
        run_tasks_status_running: 2,
        run_tasks_status_completed: 12,
        run_tasks_status_failed: 1,
        run_tasks_status_skipped: 1,
        workers_active: 2,
        workers_idle: 0,
        tasks_total: 2,
        tasks_status_pending: 1,
        tasks_status_completed: 1,
        tasks_priority_high: 2,
      },
    });
    expect(await reader.read(A)).toEqual({
      workflowsTotal: 3,
      executionsTotal: 9,
      executions: { pending: 0, running: 2, completed: 5, failed: 1, cancelled: 1, timed_out: 0 },
      runTasksTotal: 20,
      runTasks: { pending: 4, running: 2, retrying: 0, waiting: 0, completed: 12, failed: 1, cancelled: 0, skipped: 1 },
      workersActive: 2,
      workersIdle: 0,
      userTasksTotal: 2,
      userTasks: { pending: 1, in_progress: 0, blocked: 0, completed: 1, cancelled: 0 },
    });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'tbl', Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' }, ConsistentRead: true });
  });

  it('a new account (no COUNTERS item yet) reads as all zeros', async () => {
    ddb.on(GetCommand).resolves({});
    const c = await reader.read(A);
    expect(c.workflowsTotal + c.executionsTotal + c.runTasksTotal + c.workersActive + c.workersIdle + c.userTasksTotal).toBe(0);
    expect(Object.values(c.runTasks).every((n) => n === 0)).toBe(true);
  });
});
