import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

/** transform `script` (CloudFlow's JavaScript) in the QuickJS sandbox, against the real local server. */
describe('transform scripts', () => {
  let user: Account;
  beforeAll(async () => {
    user = await newAccount('script');
  });

  const runToEnd = async (steps: object[], input: object = {}) => {
    const wf = await user.client.post('/api/v1/workflows', { name: 'Script', trigger: { type: 'manual' }, steps });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input });
    expect(run.status).toBe(202);
    return waitForExecution(user.client, run.body.execution_id, undefined, 90_000);
  };
  const users = [
    { email: 'ada@example.com', spend: 250 },
    { email: 'alan@example.com', spend: 20 },
  ];

  it('`data` is the previous step’s records; the last expression is the output', async () => {
    const done = await runToEnd([
      { id: 'load', type: 'transform', expression: JSON.stringify(users) },
      { id: 'segment', type: 'transform', script: 'data.map(user => ({ ...user, segment: user.spend > 100 ? "vip" : "regular" }))' },
    ]);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual([
      { email: 'ada@example.com', spend: 250, segment: 'vip' },
      { email: 'alan@example.com', spend: 20, segment: 'regular' },
    ]);
  });

  it('statements and helper functions work; without a previous step `data` is the input; nothing of the host is there', async () => {
    const done = await runToEnd(
      [{ id: 'only', type: 'transform', script: 'function total(xs) { return xs.reduce((a, b) => a + b, 0) }\nconst host = [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof XMLHttpRequest, typeof WebAssembly];\n({ sum: total(data.values), host })' }],
      { values: [1, 2, 3] },
    );
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ sum: 6, host: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined'] });
  });

  it('an undefined function fails the node naming it, without retries; a syntax error is named as such', async () => {
    const undefinedFn = await runToEnd([
      { id: 'load', type: 'transform', expression: JSON.stringify(users) },
      { id: 'segment', type: 'transform', script: 'data.map(user => ({ ...user, segment: calculateSegment(user) }))', max_retries: 2 },
    ]);
    expect(undefinedFn).toMatchObject({ status: 'failed', failed_node: 'segment' });
    expect(undefinedFn.error).toContain("transform script failed: ReferenceError: 'calculateSegment' is not defined");
    expect(undefinedFn.tasks.find((t: { node_id: string }) => t.node_id === 'segment')).toMatchObject({ status: 'failed', retry_count: 0 });

    const syntax = await runToEnd([{ id: 'bad', type: 'transform', script: 'data.map(' }]);
    expect(syntax).toMatchObject({ status: 'failed', failed_node: 'bad' });
    expect(syntax.error).toContain('transform script is not valid JavaScript: SyntaxError');
  });

  it('a script that loops forever is stopped at its limit while GET /health keeps answering', async () => {
    const wf = await user.client.post('/api/v1/workflows', { name: 'Forever', trigger: { type: 'manual' }, steps: [{ id: 'spin', type: 'transform', script: 'while (true) {}' }] });
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    expect(run.status).toBe(202);
    const started = Date.now();
    const health: number[] = [];
    let settled: any;
    while (!settled) {
      const t = Date.now();
      const h = await api().get('/health');
      expect(h.status).toBe(200);
      health.push(Date.now() - t);
      const got = await user.client.get(`/api/v1/executions/${run.body.execution_id}`);
      if (!['pending', 'running'].includes(got.body.status)) settled = got.body;
      else if (Date.now() - started > 60_000) throw new Error('the looping script was not stopped');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(settled).toMatchObject({ status: 'failed', failed_node: 'spin' });
    expect(settled.error).toContain('transform script timed out');
    expect(settled.error).toContain('scripts may run 10000 ms');
    // Stopped at its limit: 10 s of script, plus a thread start, not the minute the test would wait.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(Math.max(...health)).toBeLessThan(2_000);
    expect(health.length).toBeGreaterThan(10);
  });

  it('a script past its memory limit fails the node saying so', async () => {
    const done = await runToEnd([{ id: 'big', type: 'transform', script: 'new ArrayBuffer(512 * 1024 * 1024).byteLength' }]);
    expect(done).toMatchObject({ status: 'failed', failed_node: 'big' });
    expect(done.error).toContain('transform script ran out of memory (scripts may use 64 MiB)');
  });

  it('a workflow with both expression and script, or neither, is a 400 naming the field', async () => {
    const both = await user.client.post('/api/v1/workflows', { name: 'x', trigger: { type: 'manual' }, steps: [{ type: 'transform', expression: '1', script: '1' }] });
    expect(both.status).toBe(400);
    expect(both.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'steps[0].script', code: 'invalid_params' })]));
    const neither = await user.client.post('/api/v1/workflows', { name: 'x', trigger: { type: 'manual' }, steps: [{ type: 'transform' }] });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'steps[0].expression' })]));
  });
});
