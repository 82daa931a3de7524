import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { newAccount } from '../support/api-client.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

interface Session {
  /** Every message received, in order. */
  messages: any[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
}

const wsUrl = (path: string) => `${inject('baseUrl').replace(/^http/, 'ws')}${path}`;

/** Opens a live connection; rejects with the HTTP status (and body) when the upgrade is refused. */
function connect(path: string, headers: Record<string, string> = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(path), { headers });
    const messages: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => socket.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.on('open', () => resolve({ messages, closed, socket }));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body || 'null') })));
    });
    socket.on('error', reject);
  });
}

const refusal = (promise: Promise<unknown>) => promise.then(() => ({ status: 101, body: null }), (e: { status?: number; body?: any }) => ({ status: e.status, body: e.body }));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A loopback service that answers after ~700 ms, so a client connects while the run is still in its first node. */
function slowTarget() {
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      const broken = (req.url ?? '').startsWith('/broken');
      res.writeHead(broken ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(broken ? { error: 'boom' } : { value: 21 }));
    }, 700);
  });
  return {
    server,
    url: async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

describe('live execution updates (WebSocket, local server)', () => {
  const target = slowTarget();
  let base: string;
  let owner: Account;
  let other: Account;
  let workflowId: string;
  let failingId: string;

  beforeAll(async () => {
    base = await target.url();
    [owner, other] = await Promise.all([newAccount('live'), newAccount('liveother')]);
    const wf = await owner.client.post('/api/v1/workflows', {
      name: 'Live',
      tasks: [
        { name: 'fetch', type: 'http.request', payload: { url: `${base}/value` } },
        { name: 'double', type: 'transform', dependencies: ['fetch'], payload: { expression: 'steps.fetch.output.body.value * 2' } },
        { name: 'label', type: 'transform', dependencies: ['double'], payload: { expression: '{"total": steps.double.output}' } },
      ],
    });
    if (wf.status !== 201) throw new Error(`workflow not created: ${wf.text}`);
    workflowId = wf.body.id;
    const failing = await owner.client.post('/api/v1/workflows', {
      name: 'Live failing',
      tasks: [{ name: 'call', type: 'http.request', max_retries: 0, payload: { url: `${base}/broken` } }],
    });
    if (failing.status !== 201) throw new Error(`workflow not created: ${failing.text}`);
    failingId = failing.body.id;
  });
  afterAll(() => new Promise<void>((r) => target.server.close(() => r())));

  const run = async (id: string): Promise<string> => {
    const started = await owner.client.post(`/api/v1/workflows/${id}/run`, { input: { source: 'live-test' } });
    expect(started.status).toBe(202);
    return started.body.execution_id as string;
  };

  it('streams a run to its end: state now, node updates, node results, log lines, then execution_completed and a clean close', async () => {
    const executionId = await run(workflowId);
    const live = await connect(`/ws/executions/${executionId}`, { Authorization: `Bearer ${owner.token}` });
    const { code, reason } = await live.closed;
    expect({ code, reason }).toEqual({ code: 1000, reason: 'execution finished' });
    const { messages } = live;
    const types = messages.map((m) => m.type);

    // First the execution's state at connection time (a late subscriber is never left waiting).
    expect(messages[0]).toEqual({ type: 'execution_update', execution_id: executionId, status: 'running', node_id: null, node_type: null, timestamp: expect.any(String) });
    // Every message names this execution and has FlowRunner's timestamp.
    for (const m of messages) expect(m).toMatchObject({ execution_id: executionId, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const completed = messages.filter((m) => m.type === 'node_completed');
    expect(completed).toEqual([
      { type: 'node_completed', execution_id: executionId, node_id: 'fetch', node_type: 'http.request', result: expect.objectContaining({ status_code: 200, body: { value: 21 } }), timestamp: expect.any(String) },
      { type: 'node_completed', execution_id: executionId, node_id: 'double', node_type: 'transform', result: 42, timestamp: expect.any(String) },
      { type: 'node_completed', execution_id: executionId, node_id: 'label', node_type: 'transform', result: { total: 42 }, timestamp: expect.any(String) },
    ]);
    const nodeUpdates = messages.filter((m) => m.type === 'execution_update' && m.node_id !== null);
    expect(nodeUpdates).toEqual(
      expect.arrayContaining([
        { type: 'execution_update', execution_id: executionId, status: 'running', node_id: 'double', node_type: 'transform', timestamp: expect.any(String) },
        { type: 'execution_update', execution_id: executionId, status: 'running', node_id: 'label', node_type: 'transform', timestamp: expect.any(String) },
      ]),
    );
    // Each node starts before it completes, and the nodes run in order.
    const at = (type: string, node: string) => messages.findIndex((m) => m.type === type && m.node_id === node);
    expect(at('node_completed', 'fetch')).toBeLessThan(at('execution_update', 'double'));
    expect(at('execution_update', 'double')).toBeLessThan(at('node_completed', 'double'));
    expect(at('node_completed', 'double')).toBeLessThan(at('execution_update', 'label'));
    expect(at('execution_update', 'label')).toBeLessThan(at('node_completed', 'label'));

    const logs = messages.filter((m) => m.type === 'log');
    expect(logs.find((l) => l.message === 'HTTP request successful')).toEqual({
      type: 'log',
      execution_id: executionId,
      level: 'info',
      message: 'HTTP request successful',
      node_id: 'fetch',
      node_type: 'http.request',
      data: expect.objectContaining({ status_code: 200 }),
      timestamp: expect.any(String),
    });

    expect(types.at(-1)).toBe('execution_completed');
    expect(messages.at(-1)).toEqual({ type: 'execution_completed', execution_id: executionId, status: 'completed', result: { total: 42 }, timestamp: expect.any(String) });
    // What was streamed agrees with the REST API.
    expect((await owner.client.get(`/api/v1/executions/${executionId}`)).body).toMatchObject({ status: 'completed', result: { total: 42 } });
  });

  it('a failing run ends with execution_failed naming the node, its type and its error', async () => {
    const executionId = await run(failingId);
    // ?token= is how browsers authenticate (they cannot set headers on a WebSocket).
    const live = await connect(`/ws/executions/${executionId}?token=${encodeURIComponent(owner.token)}`);
    expect((await live.closed).code).toBe(1000);
    expect(live.messages[0]).toMatchObject({ type: 'execution_update', status: 'running' });
    expect(live.messages.find((m) => m.type === 'execution_update' && m.node_id === 'call' && m.status === 'failed')).toBeDefined();
    expect(live.messages.at(-1)).toEqual({
      type: 'execution_failed',
      execution_id: executionId,
      status: 'failed',
      error: 'HTTP request failed with status 500',
      node_id: 'call',
      node_type: 'http.request',
      timestamp: expect.any(String),
    });
  });

  it('a late subscriber to a finished execution gets its final message at once, then the close', async () => {
    const executionId = await run(failingId);
    const deadline = Date.now() + 15_000;
    while ((await owner.client.get(`/api/v1/executions/${executionId}`)).body.status !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const live = await connect(`/ws/executions/${executionId}`, { Authorization: `Bearer ${owner.token}` });
    expect(await live.closed).toEqual({ code: 1000, reason: 'execution finished' });
    expect(live.messages).toEqual([{ type: 'execution_failed', execution_id: executionId, status: 'failed', error: 'HTTP request failed with status 500', node_id: 'call', node_type: 'http.request', timestamp: expect.any(String) }]);
  });

  it('another account cannot subscribe: its token gets the same 404 as an unknown execution', async () => {
    const executionId = await run(workflowId);
    const foreign = await refusal(connect(`/ws/executions/${executionId}`, { Authorization: `Bearer ${other.token}` }));
    const unknown = await refusal(connect('/ws/executions/exec_01ARZ3NDEKTSV4RRFFQ69G5FAV', { Authorization: `Bearer ${other.token}` }));
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect(foreign.body.error.message.replace(executionId, 'X')).toBe(unknown.body.error.message.replace('exec_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'X'));
    // Nor by message on a connection of its own.
    const own = await connect('/ws', { Authorization: `Bearer ${other.token}` });
    own.socket.send(JSON.stringify({ action: 'subscribe', execution_id: executionId }));
    await until(() => own.messages.length > 0);
    expect(own.messages[0]).toMatchObject({ type: 'error', error: { code: 'not_found' } });
    own.socket.close();
  });

  it('refuses a bad or missing credential (401) and a key without workflows:read (403); accepts X-API-Key with it', async () => {
    const executionId = await run(workflowId);
    const bad = await refusal(connect(`/ws/executions/${executionId}`, { Authorization: 'Bearer not.a.token' }));
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await refusal(connect(`/ws/executions/${executionId}?token=forged`))).status).toBe(401);
    expect((await refusal(connect(`/ws/executions/${executionId}`))).status).toBe(401);
    expect((await refusal(connect('/ws/elsewhere', { Authorization: `Bearer ${owner.token}` }))).status).toBe(404);

    const tasksOnly = await owner.client.post('/api/v1/api-keys', { name: 'tasks', scopes: ['tasks:read'] });
    expect((await refusal(connect(`/ws/executions/${executionId}`, { 'X-API-Key': tasksOnly.body.key }))).status).toBe(403);
    const reader = await owner.client.post('/api/v1/api-keys', { name: 'reader', scopes: ['workflows:read'] });
    const live = await connect(`/ws/executions/${executionId}`, { 'X-API-Key': reader.body.key });
    expect(await live.closed).toMatchObject({ code: 1000 });
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_completed', result: { total: 42 } });
  });

  it('the AWS style works locally too: connect to /ws, then subscribe by message; the connection outlives the run', async () => {
    const live = await connect('/ws', { Authorization: `Bearer ${owner.token}` });
    const executionId = await run(workflowId);
    live.socket.send(JSON.stringify({ action: 'subscribe', execution_id: executionId }));
    await until(() => live.messages.some((m) => m.type === 'execution_completed'));
    expect(live.messages[0]).toMatchObject({ type: 'execution_update', execution_id: executionId, status: 'running', node_id: null });
    live.socket.send('{"action":"dance"}');
    await until(() => live.messages.some((m) => m.type === 'error'));
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    live.socket.close();
    expect((await live.closed).code).toBe(1005);
  });
});
