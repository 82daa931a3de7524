import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { apiAt, newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/** Waits and retry intervals at a tenth: a 400 s wait takes 40 s. */
const TIME_SCALE = 0.1;
const WAIT_SECONDS = 400;
const WAIT_MS = WAIT_SECONDS * 1000 * TIME_SCALE;

/**
 * Issue 13, item 10: after a SIGKILL of `npm start` during a `wait` and during a slow `http.request`,
 * and a restart on the same data dir, the runs stayed `running` forever, /metrics showed a phantom
 * worker and retry answered 409. Now the restart resumes what it can: the wait for its remaining time, an
 * attempt that never recorded its end is run again when its retry policy allows, and otherwise the run
 * fails with an error that says so and can be retried. One crash serves every in-flight case, a parent
 * waiting on its child and an approval waiting for a decision included (issue 16): each server start boots a DynamoDB Local.
 */
describe('crash recovery (SIGKILL of the local server, restart on the same data dir)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-crash-'));
  /** First request to a path hangs until the test ends; later ones answer at once. */
  const seen = new Map<string, number>();
  const hanging: (() => void)[] = [];
  let target: Server;
  let targetUrl: string;
  let server: LocalServerProcess;
  let client: Client;
  let restartedAt: number;
  const runs: Record<'wait' | 'retried' | 'exhausted' | 'parent' | 'approval', string> = { wait: '', retried: '', exhausted: '', parent: '', approval: '' };
  let userId: string;
  let childBeforeCrash: string;

  beforeAll(async () => {
    target = createServer((req, res) => {
      const path = req.url ?? '/';
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path, call: n }));
      };
      if (n === 1) hanging.push(() => res.destroy());
      else answer();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const env = { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined, STEPWISE_TIME_SCALE: String(TIME_SCALE) };
    server = await startLocalServerProcess({ env });
    let token: string;
    ({ client, userId, token } = await newAccount('crash', server.url));

    const create = async (body: Record<string, unknown>) => {
      const wf = await client.post('/api/v1/workflows', { name: `crash ${Math.random()}`, ...body });
      expect(wf.status).toBe(201);
      const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { n: 41 } });
      expect(run.status).toBe(202);
      return run.body.execution_id as string;
    };
    runs.wait = await create({
      tasks: [
        { name: 'before', type: 'transform', payload: { expression: '"before"' } },
        { name: 'hold', type: 'wait', dependencies: ['before'], payload: { seconds: WAIT_SECONDS } },
        { name: 'after', type: 'transform', dependencies: ['hold'], payload: { expression: '"after"' } },
      ],
    });
    runs.retried = await create({ tasks: [{ name: 'call', type: 'http.request', max_retries: 1, payload: { url: `${targetUrl}/retried`, timeout: '10m' } }] });
    runs.exhausted = await create({ tasks: [{ name: 'call', type: 'http.request', max_retries: 0, payload: { url: `${targetUrl}/exhausted`, timeout: '10m' } }] });
    // A parent waiting on its child (.sync:2, docs/api.md#subworkflows).
    const child = await client.post('/api/v1/workflows', {
      name: 'Slow child',
      tasks: [
        { name: 'hold', type: 'wait', payload: { seconds: 100 } },
        { name: 'done', type: 'transform', dependencies: ['hold'], payload: { expression: '{"n": input.n + 1}' } },
      ],
    });
    // An approval waiting for a decision (docs/api.md#approvals).
    runs.approval = await create({
      tasks: [
        { name: 'before', type: 'transform', payload: { expression: '"before"' } },
        { name: 'gate', type: 'approval', dependencies: ['before'], payload: { message: 'Ship?', timeout: '1h' } },
        { name: 'after', type: 'transform', dependencies: ['gate'], payload: { expression: 'steps.gate.output.decision' } },
      ],
    });
    runs.parent = await create({ tasks: [{ name: 'call', type: 'subworkflow', payload: { workflow_id: child.body.id, input: { n: '{{input.n}}' } } }] });

    // Crash while the wait waits and both calls are in flight.
    await waitForExecution(client, runs.wait, (b) => b.tasks.some((t: any) => t.node_id === 'before' && t.status === 'completed'));
    await eventually(async () => seen.get('/retried') === 1 && seen.get('/exhausted') === 1, Boolean, { timeoutMs: 30_000 });
    const [kid] = await eventually(
      async () => (await client.get(`/api/v1/executions?parent_execution_id=${runs.parent}`)).body.executions as any[],
      (kids) => kids[0]?.status === 'running',
      { timeoutMs: 30_000 },
    );
    childBeforeCrash = kid.id;
    await waitForExecution(client, runs.approval, (b) => b.waiting_nodes?.includes('gate'));
    await new Promise((r) => setTimeout(r, 2_000));
    await server.stop('SIGKILL');
    for (const drop of hanging.splice(0)) drop();

    // New ports: one kept across the restart could be taken by another test file's server meanwhile.
    server = await startLocalServerProcess({ env });
    client = apiAt(server.url, token);
    restartedAt = Date.now();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((r) => target.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a wait resumes for its remaining time, then the run carries on', async () => {
    const done = await waitForExecution(client, runs.wait, undefined, 120_000);
    expect(done.status).toBe('completed');
    const before = done.tasks.find((t: any) => t.node_id === 'before');
    const waitedFrom = Date.parse(before.completed_at);
    const after = done.tasks.find((t: any) => t.node_id === 'after');
    const finished = Date.parse(after.completed_at);
    // Not cut short by the crash, nor started over after the restart (that would end 40 s after restartedAt).
    expect(finished - waitedFrom).toBeGreaterThanOrEqual(WAIT_MS - 1_000);
    expect(finished).toBeLessThan(Math.max(waitedFrom + WAIT_MS, restartedAt) + 15_000);
    expect(done.result).toBe('after');
  }, 150_000);

  it('an attempt cut off by the crash runs again when the node has a retry left', async () => {
    const done = await waitForExecution(client, runs.retried, undefined, 60_000);
    expect(done).toMatchObject({ status: 'completed', result: { status_code: 200, body: { path: '/retried', call: 2 } } });
    expect(done.tasks[0]).toMatchObject({ node_id: 'call', status: 'completed', retry_count: 1 });
    const logs = await client.get(`/api/v1/executions/${runs.retried}/logs?limit=100`);
    expect(logs.body.logs.map((l: any) => l.message)).toContain('Task attempt 1 was interrupted: the local server stopped while it ran');
  }, 90_000);

  it('an attempt cut off with no retry left fails the run with a clear error, and retry runs it again (no 409)', async () => {
    const failed = await waitForExecution(client, runs.exhausted, undefined, 60_000);
    expect(failed).toMatchObject({ status: 'failed', failed_node: 'call' });
    expect(failed.error).toBe("Node 'call' (http.request) failed: Task attempt 1 was interrupted: the local server stopped while it ran, and the node has no retries left; retry the execution to run it again");
    expect(failed.tasks[0]).toMatchObject({ status: 'failed' });
    const retried = await client.post(`/api/v1/executions/${runs.exhausted}/retry`);
    expect(retried.status).toBe(202);
    const done = await waitForExecution(client, runs.exhausted, undefined, 60_000);
    expect(done).toMatchObject({ status: 'completed', redrive_count: 1, result: { status_code: 200, body: { path: '/exhausted', call: 2 } } });
  }, 90_000);

  it('a parent waiting on its child resumes on the same child (no second start) and completes with its result', async () => {
    const done = await waitForExecution(client, runs.parent, undefined, 90_000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed', result: { n: 42 } });
    const kids = (await client.get(`/api/v1/executions?parent_execution_id=${runs.parent}`)).body.executions;
    expect(kids).toHaveLength(1);
    expect(kids[0]).toMatchObject({ id: childBeforeCrash, status: 'completed', result: { n: 42 } });
  }, 120_000);

  it('an approval is still waiting after the restart, and approving it then completes the run', async () => {
    const waiting = await waitForExecution(client, runs.approval, (b) => b.waiting_nodes?.includes('gate'), 60_000);
    expect(waiting.status).toBe('running');
    expect((await client.get(`/api/v1/approvals?execution_id=${runs.approval}`)).body.approvals).toHaveLength(1);
    // Decided before or after the replayed Task registers its new token: the decision is journaled first, so the replay ends the node either way.
    const decided = await client.post(`/api/v1/executions/${runs.approval}/approvals/gate`, { decision: 'approve', comment: 'after the crash' });
    expect(decided.status).toBe(200);
    const done = await waitForExecution(client, runs.approval, undefined, 60_000);
    expect(done).toMatchObject({ status: 'completed', result: 'approve' });
    expect(done.tasks.find((t: any) => t.node_id === 'gate')).toMatchObject({ status: 'completed', result: { decision: 'approve', comment: 'after the crash', decided_by: userId } });
  }, 150_000);

  it('no phantom worker is left in /metrics once the runs have ended', async () => {
    for (const id of Object.values(runs)) expect(['completed', 'failed']).toContain((await waitForExecution(client, id, undefined, 150_000)).status);
    const metrics = await eventually(
      () => client.get('/api/v1/metrics'),
      (m) => m.body?.workers?.active === 0 && m.body?.workers?.idle === 0,
      { timeoutMs: 30_000 },
    );
    expect(metrics.body.workers).toEqual({ active: 0, idle: 0 });
    expect(metrics.body.executions).toMatchObject({ running: 0, pending: 0 });
  }, 180_000);
});
