import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback service the workflows call: answers by path, records every request. */
function startTarget() {
  const received: Received[] = [];
  const failures = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/users') return json(200, { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Lin' }], records_processed: 2, records_failed: 0 });
      if (url.pathname.startsWith('/echo')) return json(200, { got: body ? JSON.parse(body) : null, query: Object.fromEntries(url.searchParams) });
      if (url.pathname === '/flaky') {
        const left = failures.get('flaky') ?? 0;
        if (left > 0) {
          failures.set('flaky', left - 1);
          return json(503, { error: 'try later' });
        }
        return json(200, { ok: true });
      }
      if (url.pathname === '/broken') return json(500, { error: 'boom' });
      if (url.pathname === '/slow') {
        setTimeout(() => json(200, { slow: true }), 4_000);
        return;
      }
      json(404, { error: 'no such path' });
    });
  });
  return {
    received,
    failures,
    server,
    url: async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

describe('executions (end to end, local engine)', () => {
  const target = startTarget();
  let base: string;
  let client: Client;
  let other: Client;
  let accountId: string;

  beforeAll(async () => {
    base = await target.url();
    const [a, b] = await Promise.all([newAccount('run'), newAccount('runother')]);
    client = a.client;
    other = b.client;
    accountId = a.accountId;
  });
  afterAll(() => new Promise<void>((r) => target.server.close(() => r())));

  it('runs a FlowRunner flow: http.request calls, a dependent node sees the upstream output, the result and logs are recorded', async () => {
    const definition = [
      'metadata:',
      '  name: "Fetch and post"',
      'nodes:',
      '  fetch:',
      '    type: http.request',
      '    params:',
      `      url: "${base}/users"`,
      '    next: post',
      '  post:',
      '    type: http.request',
      '    params:',
      `      url: "${base}/echo/post"`,
      '      method: POST',
      '      body:',
      '        first: "{{steps.fetch.output.body.users[0].name}}"',
      '        count: "{{input.count}}"',
      '',
    ].join('\n');
    const flow = await client.post('/api/v1/flows', { name: 'Fetch and post', definition });
    expect(flow.status).toBe(201);
    const run = await client.post(`/api/v1/flows/${flow.body.id}/run`, { input: { count: 7 } });
    expect(run.status).toBe(202);
    expect(run.body).toMatchObject({ execution_id: expect.stringMatching(/^exec_/), flow_id: flow.body.id, workflow_id: flow.body.id, status: 'running', version: 1 });
    expect(run.body.id).toBe(run.body.execution_id);

    const done = await waitForExecution(client, run.body.execution_id);
    expect(done).toMatchObject({ status: 'completed', flow_id: flow.body.id, input: { count: 7 }, error: null });
    expect(done.result).toMatchObject({ status_code: 200, body: { got: { first: 'Ada', count: 7 } } });
    expect(done.duration).toBeGreaterThanOrEqual(0);
    expect(done.duration_ms).toBe(done.duration);
    expect(done.tasks.map((t: any) => [t.node_id, t.status])).toEqual([
      ['fetch', 'completed'],
      ['post', 'completed'],
    ]);
    expect(done.task_summary).toMatchObject({ total: 2, completed: 2 });

    const logs = await client.get(`/api/v1/executions/${run.body.execution_id}/logs`);
    expect(logs.status).toBe(200);
    const messages = logs.body.logs.map((l: any) => l.message);
    expect(messages[0]).toBe('Execution started');
    expect(messages.at(-1)).toBe('Execution completed');
    expect(logs.body.logs.find((l: any) => l.message === 'HTTP request successful')).toMatchObject({ node_id: 'fetch', node_type: 'http.request', level: 'info', data: { status_code: 200 } });
  });

  it('runs a FlowCtl DAG with fan-out and fan-in; GET /tasks/{id} shows a workflow task in FlowCtl shape', async () => {
    const wf = await client.post('/api/v1/workflows', {
      name: 'Fan out',
      tasks: [
        { name: 'users', type: 'http.request', payload: { url: `${base}/users` } },
        { name: 'left', type: 'http.request', dependencies: ['users'], payload: { url: `${base}/echo/left?n={{steps.users.output.body.users[1].name}}` } },
        { name: 'right', type: 'transform', dependencies: ['users'], payload: { expression: '$count(steps.users.output.body.users)' } },
        { name: 'join', type: 'http.request', dependencies: ['left', 'right'], payload: { url: `${base}/echo/join`, method: 'POST', body: { left: '{{steps.left.output.body.query.n}}', right: '{{steps.right.output}}' } } },
      ],
    });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    const done = await waitForExecution(client, run.body.execution_id);
    expect(done.status).toBe('completed');
    expect(done.result.body.got).toEqual({ left: 'Lin', right: 2 });
    expect(done.records_processed).toBe(2);
    const join = done.tasks.find((t: any) => t.node_id === 'join');
    const task = await client.get(`/api/v1/tasks/${join.id}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ id: join.id, workflow_id: wf.body.id, execution_id: run.body.execution_id, name: 'join', type: 'http.request', status: 'completed', retry_count: 0, max_retries: 2, dependencies: ['left', 'right'] });
    expect(task.body.started_at).toEqual(expect.any(String));
    expect(task.body.completed_at).toEqual(expect.any(String));

    const wfTasks = await client.get(`/api/v1/workflows/${wf.body.id}/tasks`);
    expect(wfTasks.body.tasks.map((t: any) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const got = await client.get(`/api/v1/workflows/${wf.body.id}`);
    expect(got.body.last_run).toBe(done.started_at);
    expect((await other.get(`/api/v1/tasks/${join.id}`)).status).toBe(404);
  });

  it('retries a failing node exactly as its policy says, then fails the execution naming the node', async () => {
    const wf = await client.post('/api/v1/workflows', {
      name: 'Always broken',
      config: { retry_policy: { max_attempts: 3, initial_delay: '1s', backoff_factor: 1 } },
      tasks: [{ name: 'call', type: 'http.request', payload: { url: `${base}/broken` } }, { name: 'after', type: 'http.request', dependencies: ['call'], payload: { url: `${base}/echo/never` } }],
    });
    const before = target.received.filter((r) => r.path === '/broken').length;
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    const done = await waitForExecution(client, run.body.execution_id);
    expect(done.status).toBe('failed');
    expect(done.failed_node).toBe('call');
    expect(done.error).toContain("Node 'call'");
    expect(done.error).toContain('HTTP request failed with status 500');
    expect(target.received.filter((r) => r.path === '/broken').length - before).toBe(3);
    expect(target.received.some((r) => r.path === '/echo/never')).toBe(false);
    const call = done.tasks.find((t: any) => t.node_id === 'call');
    expect(call).toMatchObject({ status: 'failed', retry_count: 2, max_retries: 2, error: 'HTTP request failed with status 500' });
    expect(done.tasks.find((t: any) => t.node_id === 'after').status).toBe('pending');

    // Redrive: the failed node runs again (and fails again, since the target is still broken).
    const retried = await client.post(`/api/v1/executions/${run.body.execution_id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ status: 'running', redrive_count: 1 });
    const again = await waitForExecution(client, run.body.execution_id);
    expect(again).toMatchObject({ status: 'failed', redrive_count: 1, failed_node: 'call' });
  });

  it('redrive re-runs the failed node and keeps completed outputs (completed nodes are not called again)', async () => {
    const wf = await client.post('/api/v1/workflows', {
      name: 'Redrive',
      tasks: [
        { name: 'first', type: 'http.request', payload: { url: `${base}/echo/first-call` } },
        { name: 'flaky', type: 'http.request', max_retries: 0, dependencies: ['first'], payload: { url: `${base}/flaky` } },
        { name: 'last', type: 'transform', dependencies: ['flaky'], payload: { expression: 'steps.first.output.status_code' } },
      ],
    });
    target.failures.set('flaky', 1);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    const failed = await waitForExecution(client, run.body.execution_id);
    expect(failed).toMatchObject({ status: 'failed', failed_node: 'flaky' });
    const firstCalls = () => target.received.filter((r) => r.path === '/echo/first-call').length;
    const before = firstCalls();
    const retried = await client.post(`/api/v1/executions/${run.body.execution_id}/retry`);
    expect(retried.status).toBe(202);
    const done = await waitForExecution(client, run.body.execution_id);
    expect(done).toMatchObject({ status: 'completed', redrive_count: 1, error: null, failed_node: null, result: 200 });
    expect(firstCalls()).toBe(before);
    expect(done.tasks.map((t: any) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect((await client.post(`/api/v1/executions/${run.body.execution_id}/retry`)).status).toBe(409);
  });

  it('cancels a run mid-flight: nothing after it runs and running tasks become cancelled', async () => {
    const wf = await client.post('/api/v1/workflows', {
      name: 'Slow',
      tasks: [{ name: 'slow', type: 'http.request', payload: { url: `${base}/slow` } }, { name: 'next', type: 'http.request', dependencies: ['slow'], payload: { url: `${base}/echo/after-cancel` } }],
    });
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    await waitForExecution(client, run.body.execution_id, (b) => b.tasks.some((t: any) => t.node_id === 'slow' && t.status === 'running'));
    const cancelled = await client.delete(`/api/v1/executions/${run.body.execution_id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.message).toBe('Execution cancelled successfully');
    const done = await waitForExecution(client, run.body.execution_id);
    expect(done.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 4_500));
    expect(target.received.some((r) => r.path === '/echo/after-cancel')).toBe(false);
    const after = await client.get(`/api/v1/executions/${run.body.execution_id}`);
    expect(after.body.status).toBe('cancelled');
    expect(after.body.tasks.find((t: any) => t.node_id === 'slow').status).toBe('cancelled');
    expect(after.body.tasks.find((t: any) => t.node_id === 'next').status).toBe('cancelled');
    expect((await client.delete(`/api/v1/executions/${run.body.execution_id}`)).status).toBe(409);
  });

  it('an idempotent start returns the same execution; a different body with the same key is a 409', async () => {
    const wf = await client.post('/api/v1/workflows', { name: 'Idem', tasks: [{ name: 'one', type: 'transform', payload: { expression: 'input.n * 2' } }] });
    const headers = { 'Idempotency-Key': `idem-${Date.now()}` };
    const first = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { n: 21 } }, headers);
    const second = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { n: 21 } }, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.execution_id).toBe(first.body.execution_id);
    const different = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { n: 22 } }, headers);
    expect(different.status).toBe(409);
    expect(different.body.error).toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });
    const done = await waitForExecution(client, first.body.execution_id);
    expect(done.result).toBe(42);
    const list = await client.get(`/api/v1/executions?workflow_id=${wf.body.id}`);
    expect(list.body.total).toBe(1);
  });

  it('masks secret values in logs, results and errors', async () => {
    const secret = 'sk_live_very_secret_value_123';
    const put = await client.post(`/api/v1/accounts/${accountId}/secrets`, { key: 'API_TOKEN', value: secret });
    expect(put.status).toBe(201);
    const wf = await client.post('/api/v1/workflows', {
      name: 'Secretive',
      tasks: [{ name: 'call', type: 'http.request', payload: { url: `${base}/echo/secret?token={{secrets.API_TOKEN}}`, headers: { Authorization: 'Bearer {{secrets.API_TOKEN}}' }, body: { token: '{{secrets.API_TOKEN}}' }, method: 'POST' } }],
    });
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    const done = await waitForExecution(client, run.body.execution_id);
    expect(done.status).toBe('completed');
    const seen = target.received.find((r) => r.path.startsWith('/echo/secret'));
    expect(seen?.headers.authorization).toBe(`Bearer ${secret}`);
    const logs = await client.get(`/api/v1/executions/${run.body.execution_id}/logs?limit=100`);
    const everything = JSON.stringify([done, logs.body]);
    expect(everything).not.toContain(secret);
    expect(everything).toContain('***');
  });

  it('lists executions newest first with filters, paginates, and keeps tenants apart', async () => {
    const wf = await client.post('/api/v1/workflows', { name: 'Listed', tasks: [{ name: 'one', type: 'transform', payload: { expression: '1' } }] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await client.post(`/api/v1/workflows/${wf.body.id}/run`, {})).body.execution_id);
    for (const id of ids) await waitForExecution(client, id);
    const page = await client.get(`/api/v1/executions?flow_id=${wf.body.id}&limit=2`);
    expect(page.body.executions.map((e: any) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page.body.pagination).toMatchObject({ total: 3, has_more: true });
    const next = await client.get(`/api/v1/executions?flow_id=${wf.body.id}&limit=2&cursor=${page.body.pagination.next_cursor}`);
    expect(next.body.data.map((e: any) => e.id)).toEqual([ids[0]]);
    const completed = await client.get(`/api/v1/executions?workflow_id=${wf.body.id}&status=completed`);
    expect(completed.body.total).toBe(3);
    const future = await client.get(`/api/v1/executions?workflow_id=${wf.body.id}&start_date=2999-01-01T00:00:00Z`);
    expect(future.body.total).toBe(0);
    const pipeline = await client.get(`/api/v1/pipelines/${wf.body.id}/executions?status=completed`);
    expect(pipeline.body.data[0]).toMatchObject({ pipeline_id: wf.body.id, status: 'completed', duration_ms: expect.any(Number) });

    expect((await other.get(`/api/v1/executions/${ids[0]}`)).status).toBe(404);
    expect((await other.get(`/api/v1/executions/${ids[0]}/logs`)).status).toBe(404);
    expect((await other.delete(`/api/v1/executions/${ids[0]}`)).status).toBe(404);
    expect((await other.post(`/api/v1/workflows/${wf.body.id}/run`, {})).status).toBe(404);
    expect((await other.get(`/api/v1/pipelines/${wf.body.id}/executions`)).status).toBe(404);
    expect((await other.get(`/api/v1/executions?workflow_id=${wf.body.id}`)).body.total).toBe(0);
  });

  it('rejects bad input with a 4xx naming the field', async () => {
    const wf = await client.post('/api/v1/workflows', { name: 'Bad input', tasks: [{ name: 'one', type: 'transform', payload: { expression: '1' } }] });
    const notObject = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: [1, 2] });
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.field).toBe('input');
    const extra = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {}, priority: 1 });
    expect(extra.body.error.field).toBe('priority');
    const big = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { blob: 'x'.repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.body.error.field).toBe('input');
    expect((await client.get('/api/v1/executions?status=exploded')).body.error.field).toBe('status');
    expect((await client.get('/api/v1/executions/exec_nope')).status).toBe(404);
    expect((await client.get('/api/v1/executions/x/logs?level=loud')).body.error.field).toBe('level');
    const paused = await client.patch(`/api/v1/workflows/${wf.body.id}`, { status: 'paused' });
    expect(paused.status).toBe(200);
    const refused = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.field).toBe('status');
  });

  it('Behflow execute and FlowCtl create-and-queue (a retry with its Idempotency-Key queues nothing more) and cancel-all', async () => {
    const body = { name: 'Queued', run: true, tasks: [{ name: 'slow', type: 'http.request', payload: { url: `${base}/slow` } }] };
    const key = { 'Idempotency-Key': `queue-${Date.now()}` };
    const wf = await client.post('/api/v1/workflows', body, key);
    expect(wf.status).toBe(201);
    expect(wf.body.execution).toMatchObject({ execution_id: expect.stringMatching(/^exec_/), status: 'running' });
    const retried = await client.post('/api/v1/workflows', body, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(wf.body);
    expect((await client.get(`/api/v1/executions?workflow_id=${wf.body.id}`)).body.data).toHaveLength(1);
    const exec = await client.post(`/api/v1/processes/${wf.body.id}/execute`);
    expect(exec.status).toBe(202);
    expect(exec.body).toMatchObject({ process_id: wf.body.id, status: 'running' });
    const cancel = await client.put(`/api/v1/workflows/${wf.body.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ message: 'Workflow cancelled', cancelled: 2 });
    const a = await waitForExecution(client, wf.body.execution.execution_id);
    const b = await waitForExecution(client, exec.body.execution_id);
    expect([a.status, b.status]).toEqual(['cancelled', 'cancelled']);
  });
});
