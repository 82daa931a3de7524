import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { unauthorized } from '../../../functions/core/errors.ts';
import { newId } from '../../../functions/core/ids.ts';
import { InsightService } from '../../../functions/core/insight/insight-service.ts';
import type { AccountCounts } from '../../../functions/core/insight/ports.ts';
import { ExecutionRollupObserver } from '../../../functions/core/insight/rollups.ts';
import { ROLE_SCOPES } from '../../../functions/core/principal.ts';
import type { Workflow } from '../../../functions/core/workflows/workflow.ts';
import { createJsonLogger as createLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { httpHandler, type HttpHandler } from '../../../functions/http/pipeline.ts';
import { insightOperations } from '../../../functions/insight/operations.ts';
import { executionAt, finishedAt } from '../../support/execution-fixtures.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../support/fakes.ts';
import { MemoryRollups } from '../../support/memory-rollups.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

const PRINCIPALS = {
  alice: principal(),
  viewer: principal({ role: 'viewer', scopes: ROLE_SCOPES.viewer }),
  bob: principal({ accountId: newId('account'), userId: newId('user') }),
  // An API key created with only tasks:read.
  tasksOnly: principal({ scopes: ['tasks:read'], authMethod: 'api_key' }),
};
const verifier = {
  verifyApiKey: async () => Promise.reject(unauthorized()),
  verifyAccessToken: async (token: string) => {
    const p = PRINCIPALS[token as keyof typeof PRINCIPALS];
    if (!p) throw unauthorized('The access token is invalid');
    return p;
  },
};

const COUNTS: AccountCounts = {
  workflowsTotal: 4,
  executionsTotal: 13,
  executions: { pending: 1, running: 2, completed: 6, failed: 2, cancelled: 1, timed_out: 1 },
  runTasksTotal: 30,
  runTasks: { pending: 5, running: 2, retrying: 1, waiting: 0, completed: 17, failed: 2, cancelled: 2, skipped: 1 },
  workersActive: 2,
  workersIdle: 1,
  userTasksTotal: 3,
  userTasks: { pending: 1, in_progress: 1, blocked: 0, completed: 1, cancelled: 0 },
};

describe('insight handler', () => {
  let handler: HttpHandler;
  let wf: Workflow;

  beforeEach(async () => {
    const workflows = new MemoryWorkflows();
    wf = { id: newId('workflow'), accountId: PRINCIPALS.alice.accountId, name: 'wf', status: 'active' } as Workflow;
    workflows.items.set(wf.id, wf);
    const rollups = new MemoryRollups();
    const observer = new ExecutionRollupObserver(rollups);
    // Two runs in the last hour: one completed (4 s, 100 records), one failed.
    for (const [status, at] of [['completed', '2026-03-01T09:50:00Z'], ['failed', '2026-03-01T09:55:00Z']] as const) {
      const running = { ...executionAt(wf.accountId, wf.id, Date.parse(at)), status: 'running' as const };
      await observer.executionChanged(running, finishedAt(running, status, Date.parse(at), 4_000, status === 'completed' ? { records: { processed: 100, failed: 0 } } : {}));
    }
    const service = new InsightService({ read: async () => COUNTS }, rollups, workflows, fixedClock('2026-03-01T10:00:00.000Z'));
    handler = httpHandler('insight', insightOperations(() => service), { verifier: () => verifier, logger: createLogger('error', () => undefined) });
  });

  const get = async (resource: string, token: string, init: { pathParameters?: Record<string, string>; query?: Record<string, string> } = {}) => {
    const res = await handler(
      proxyEvent('GET', resource, { headers: { Authorization: `Bearer ${token}` }, pathParameters: init.pathParameters ?? null, queryStringParameters: init.query ?? null }),
      {} as Context,
    );
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const analytics = (token: string, query: Record<string, string>, id = wf.id) => get('/api/v1/analytics/workflows/{id}', token, { pathParameters: { id }, query });

  it('GET /metrics: FlowCtl’s shape from the account counters; workflows.running/completed/failed are executions', async () => {
    const res = await get('/api/v1/metrics', 'alice');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      workflows: { total: 4, running: 2, completed: 6, failed: 2 },
      tasks: { total: 30, pending: 5, running: 2, retrying: 1, waiting: 0, completed: 17, failed: 2, cancelled: 2, skipped: 1 },
      workers: { active: 2, idle: 1 },
      executions: { pending: 1, running: 2, completed: 6, failed: 2, cancelled: 1, timed_out: 1, total: 13 },
      user_tasks: { total: 3, pending: 1, in_progress: 1, blocked: 0, completed: 1, cancelled: 0 },
    });
  });

  it('viewers may read both routes (analytics:read); a credential without that scope may not', async () => {
    expect((await get('/api/v1/metrics', 'viewer')).status).toBe(200);
    expect((await analytics('viewer', { period: '1h' })).status).toBe(200);
    const refused = await get('/api/v1/metrics', 'tasksOnly');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await analytics('tasksOnly', { period: '1h' })).status).toBe(403);
  });

  it('GET /analytics/workflows/{id}: CloudFlow’s shape with every metric by default', async () => {
    const res = await analytics('alice', { period: '1h' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workflow_id: wf.id, period: '1h', granularity: '5m', start_date: '2026-03-01T09:00:00.000Z', end_date: '2026-03-01T10:00:00.000Z' });
    expect(res.body.metrics).toEqual({ execution_count: 2, success_rate: 50, avg_duration: 4_000, error_count: 1, throughput: 100 });
    expect(res.body.timeseries).toHaveLength(13);
    expect(res.body.timeseries[10]).toEqual({ timestamp: '2026-03-01T09:50:00.000Z', execution_count: 1, success_rate: 100, avg_duration: 4_000, error_count: 0, throughput: 1_200 });
    expect(res.body.timeseries[0]).toEqual({ timestamp: '2026-03-01T09:00:00.000Z', execution_count: 0, success_rate: null, avg_duration: null, error_count: 0, throughput: 0 });
  });

  it('metrics= picks metrics (each bucket keeps execution_count)', async () => {
    const res = await analytics('alice', { period: '24h', metrics: 'success_rate, avg_duration,success_rate' });
    expect(res.status).toBe(200);
    expect(res.body.metrics).toEqual({ success_rate: 50, avg_duration: 4_000 });
    expect(Object.keys(res.body.timeseries[0]).toSorted()).toEqual(['avg_duration', 'execution_count', 'success_rate', 'timestamp']);
  });

  it('a missing or bad period, or an unknown metric, is a 400 naming the field', async () => {
    for (const query of [{}, { period: '2h' }, { period: '7D' }] as Record<string, string>[]) {
      const res = await analytics('alice', query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'period' });
    }
    const unknown = await analytics('alice', { period: '7d', metrics: 'execution_count,latency' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation_error', field: 'metrics' });
    expect(unknown.body.error.message).toContain("'latency'");
    expect((await analytics('alice', { period: '7d', metrics: ',' })).body.error.field).toBe('metrics');
  });

  it('another account’s workflow is a 404', async () => {
    const res = await analytics('bob', { period: '24h' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await analytics('alice', { period: '24h' }, 'wf_unknown')).status).toBe(404);
  });
});
