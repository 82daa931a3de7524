import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

const terminal = (s: string) => !['pending', 'running'].includes(s);

/**
 * Insight against the real local server: two successful runs, one failing run (redriven, fails
 * again), one cancelled run; then /metrics, analytics and the workflow metrics to the exact number.
 */
describe('insight (end to end)', () => {
  let client: Client;
  let other: Client;
  const wf = { ok: '', bad: '', slow: '' };
  const runs: Record<string, any> = {};

  beforeAll(async () => {
    const [mine, theirs] = await Promise.all([newAccount('insight'), newAccount('insightother')]);
    client = mine.client;
    other = theirs.client;

    const create = async (body: unknown) => {
      const res = await client.post('/api/v1/workflows', body);
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    wf.ok = await create({
      name: 'Counts records',
      tasks: [
        { name: 'count', type: 'transform', payload: { expression: '{"records_processed": 40, "records_failed": 2, "n": input.n}' } },
        { name: 'double', type: 'transform', dependencies: ['count'], payload: { expression: 'steps.count.output.n * 2' } },
      ],
    });
    wf.bad = await create({ name: 'Throws', tasks: [{ name: 'explode', type: 'transform', max_retries: 0, payload: { expression: '$error("boom")' } }] });
    wf.slow = await create({ name: 'Waits', tasks: [{ name: 'pause', type: 'wait', payload: { seconds: 30 } }] });

    const start = async (id: string, input: unknown) => {
      const res = await client.post(`/api/v1/workflows/${id}/run`, { input });
      expect(res.status, res.text).toBe(202);
      return res.body.execution_id as string;
    };
    const [ok1, ok2, bad, slow] = await Promise.all([start(wf.ok, { n: 1 }), start(wf.ok, { n: 2 }), start(wf.bad, {}), start(wf.slow, {})]);
    runs.ok1 = await waitForExecution(client, ok1!);
    runs.ok2 = await waitForExecution(client, ok2!);
    runs.bad = await waitForExecution(client, bad!);
    // Redriven: the node runs again and fails again. The run still counts once, its errors twice.
    const retried = await client.post(`/api/v1/executions/${bad}/retry`);
    if (retried.status !== 202) throw new Error(`retry failed: ${retried.text}`);
    runs.bad = await waitForExecution(client, bad!, (b) => b.redrive_count === 1 && terminal(b.status));
    await waitForExecution(client, slow!, (b) => b.status === 'running');
    const cancelled = await client.delete(`/api/v1/executions/${slow}`);
    if (cancelled.status !== 200) throw new Error(`cancel failed: ${cancelled.text}`);
    runs.slow = await waitForExecution(client, slow!);
  }, 90_000);

  it('the runs ended as designed', () => {
    expect([runs.ok1.status, runs.ok2.status, runs.bad.status, runs.slow.status]).toEqual(['completed', 'completed', 'failed', 'cancelled']);
    expect(runs.ok1).toMatchObject({ result: 2, records_processed: 40, records_failed: 2 });
    expect(runs.bad.error).toContain('boom');
  });

  it('GET /metrics: FlowCtl’s shape with exact counts for this account', async () => {
    const expected = {
      workflows: { total: 3, running: 0, completed: 2, failed: 1 },
      // 2 + 2 (ok runs: count, double) + 1 (explode) + 1 (pause, never started, cancelled with its run).
      tasks: { total: 6, pending: 0, running: 0, retrying: 0, waiting: 0, completed: 4, failed: 1, cancelled: 1, skipped: 0 },
      workers: { active: 0, idle: 0 },
      executions: { pending: 0, running: 0, completed: 2, failed: 1, cancelled: 1, timed_out: 0, total: 4 },
      user_tasks: { total: 0, pending: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 },
    };
    const res = await eventually(
      () => client.get('/api/v1/metrics'),
      (r) => JSON.stringify(r.body) === JSON.stringify(expected),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
  });

  it('GET /analytics/workflows/{id}: exact metrics and 5-minute timeseries from the rollups', async () => {
    const read = () => client.get(`/api/v1/analytics/workflows/${wf.ok}?period=1h`);
    const res = await eventually(read, (r) => r.body?.metrics?.execution_count === 2);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ workflow_id: wf.ok, period: '1h', granularity: '5m' });
    const hours = (Date.parse(body.end_date) - Date.parse(body.start_date)) / 3_600_000;
    expect(hours).toBeGreaterThan(55 / 60);
    expect(hours).toBeLessThanOrEqual(1);
    expect(body.metrics).toEqual({
      execution_count: 2,
      success_rate: 100,
      avg_duration: Math.round((runs.ok1.duration_ms + runs.ok2.duration_ms) / 2),
      error_count: 0,
      throughput: Math.round((80 / hours) * 100) / 100,
    });
    expect([12, 13]).toContain(body.timeseries.length);
    expect(body.timeseries.reduce((n: number, p: any) => n + p.execution_count, 0)).toBe(2);
    const bucketOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / 300_000) * 300_000).toISOString();
    const at = body.timeseries.find((p: any) => p.timestamp === bucketOf(runs.ok2.completed_at));
    expect(at.execution_count).toBeGreaterThanOrEqual(1);
    expect(at.success_rate).toBe(100);

    for (const [period, granularity] of [['24h', '1h'], ['7d', '1d'], ['30d', '1d']]) {
      const wide = await client.get(`/api/v1/analytics/workflows/${wf.ok}?period=${period}&metrics=execution_count,success_rate`);
      expect(wide.status).toBe(200);
      expect(wide.body).toMatchObject({ period, granularity, metrics: { execution_count: 2, success_rate: 100 } });
      expect(Object.keys(wide.body.metrics)).toEqual(['execution_count', 'success_rate']);
    }
  });

  it('a failing run redriven (and failing again) counts once, with both errors; a cancelled run is neither success nor error', async () => {
    const bad = await eventually(
      () => client.get(`/api/v1/analytics/workflows/${wf.bad}?period=24h`),
      (r) => r.body?.metrics?.error_count === 2,
    );
    expect(bad.body.metrics).toEqual({ execution_count: 1, success_rate: 0, avg_duration: null, error_count: 2, throughput: 0 });
    const slow = await client.get(`/api/v1/analytics/workflows/${wf.slow}?period=7d`);
    expect(slow.body.metrics).toEqual({ execution_count: 1, success_rate: 0, avg_duration: null, error_count: 0, throughput: 0 });
  });

  it('GET /workflows/{id} metrics and last_run are exact; lists carry last_run', async () => {
    const ok = await eventually(
      () => client.get(`/api/v1/workflows/${wf.ok}`),
      (r) => r.body?.metrics?.total_runs === 2 && r.body?.last_run_status === 'completed',
    );
    const latest = [runs.ok1, runs.ok2].toSorted((a, b) => (a.id < b.id ? 1 : -1))[0];
    expect(ok.body.metrics).toEqual({ total_runs: 2, success_rate: 100, avg_duration_ms: Math.round((runs.ok1.duration_ms + runs.ok2.duration_ms) / 2), last_error: null });
    expect(ok.body).toMatchObject({ last_run: latest.started_at, last_execution_id: latest.id });
    const bad = await client.get(`/api/v1/workflows/${wf.bad}`);
    expect(bad.body.metrics).toMatchObject({ total_runs: 1, success_rate: 0, avg_duration_ms: null });
    expect(bad.body.metrics.last_error).toContain('boom');
    const slow = await client.get(`/api/v1/workflows/${wf.slow}`);
    expect(slow.body.metrics).toEqual({ total_runs: 1, success_rate: 0, avg_duration_ms: null, last_error: null });
    expect(slow.body.last_run_status).toBe('cancelled');

    const list = await client.get('/api/v1/workflows');
    const byId = new Map(list.body.data.map((w: any) => [w.id, w]));
    expect((byId.get(wf.ok) as any).last_run).toBe(latest.started_at);
    expect((byId.get(wf.slow) as any).last_run).toBe(runs.slow.started_at);
  });

  it('keeps tenants apart: another account sees its own (empty) metrics and a 404 for these workflows', async () => {
    const theirs = await other.get('/api/v1/metrics');
    expect(theirs.status).toBe(200);
    expect(theirs.body.workflows).toEqual({ total: 0, running: 0, completed: 0, failed: 0 });
    expect(theirs.body.executions.total).toBe(0);
    expect(theirs.body.tasks.total).toBe(0);
    const denied = await other.get(`/api/v1/analytics/workflows/${wf.ok}?period=24h`);
    expect(denied.status).toBe(404);
    expect(denied.body.error.code).toBe('not_found');
  });

  it('rejects a missing or bad period and an unknown metric with a 400 naming the field', async () => {
    for (const query of ['', '?period=2d', '?period=1H&metrics=execution_count']) {
      const res = await client.get(`/api/v1/analytics/workflows/${wf.ok}${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'period' });
    }
    const res = await client.get(`/api/v1/analytics/workflows/${wf.ok}?period=24h&metrics=execution_count,p99`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'metrics' });
    expect((await client.get('/api/v1/analytics/workflows/wf_nope?period=24h')).status).toBe(404);
  });
});
