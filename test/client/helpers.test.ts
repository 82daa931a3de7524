import { describe, expect, it } from 'vitest';
import { createStepwiseClient, listAll, NodeStates, paginate, retryAfterMs, retryOn429, Session, StepwiseApiError, unwrap, watchExecution, type WatchEvent } from '../../client/index.ts';

/** A fake fetch: answers from `handler`, and records every request (method, path, headers, body) it was sent. */
function fakeFetch(handler: (req: { method: string; path: string; headers: Headers; body: string; n: number }) => Response | Promise<Response>) {
  const calls: { method: string; path: string; headers: Headers; body: string }[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const call = { method: request.method, path: `${url.pathname}${url.search}`, headers: new Headers(request.headers), body: await request.text() };
    calls.push(call);
    return handler({ ...call, n: calls.length });
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const apiError = (status: number, code: string, message: string, field?: string) => json(status, { error: { code, message, ...(field ? { field } : {}), request_id: 'req_1' } });
const BASE = 'http://api.test';

describe('retryOn429', () => {
  it('waits the Retry-After seconds, then sends the same request (body included) again', async () => {
    const waits: number[] = [];
    const { fetch, calls } = fakeFetch(({ n }) => (n < 3 ? apiError(429, 'rate_limit_exceeded', 'slow down', undefined) : json(201, { id: 'task_1' })));
    const send = retryOn429(fetch, { sleep: async (ms) => void waits.push(ms) });
    const client = createStepwiseClient({ baseUrl: BASE, fetch: send });
    // Retry-After is read from the header; the fake sends none on the first two, so the fallback doubles.
    const res = await client.POST('/api/v1/tasks', { body: { name: 'x' } });
    expect(res.response.status).toBe(201);
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/api/v1/tasks', '{"name":"x"}'],
      ['POST', '/api/v1/tasks', '{"name":"x"}'],
      ['POST', '/api/v1/tasks', '{"name":"x"}'],
    ]);
    expect(waits).toEqual([1000, 2000]);
  });

  it('honours Retry-After as seconds and as an HTTP date, and reports each wait', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const answers = [json(429, {}, { 'Retry-After': '42' }), json(429, {}, { 'Retry-After': new Date(now + 7000).toUTCString() }), json(200, { ok: true })];
    const { fetch } = fakeFetch(() => answers.shift()!);
    const waits: number[] = [];
    const reported: number[] = [];
    const send = retryOn429(fetch, { sleep: async (ms) => void waits.push(ms), now: () => now, onRetry: ({ delayMs }) => reported.push(delayMs) });
    const res = await send(new Request(`${BASE}/api/v1/tasks`));
    expect(res.status).toBe(200);
    expect(waits).toEqual([42_000, 7000]);
    expect(reported).toEqual(waits);
  });

  it('returns the 429 when the wait is longer than maxDelayMs or the retries are spent', async () => {
    const long = fakeFetch(() => json(429, {}, { 'Retry-After': '3600' }));
    const waits: number[] = [];
    expect((await retryOn429(long.fetch, { sleep: async (ms) => void waits.push(ms) })(new Request(`${BASE}/x`))).status).toBe(429);
    expect(long.calls).toHaveLength(1);
    const always = fakeFetch(() => json(429, {}, { 'Retry-After': '1' }));
    expect((await retryOn429(always.fetch, { maxRetries: 2, sleep: async (ms) => void waits.push(ms) })(new Request(`${BASE}/x`))).status).toBe(429);
    expect(always.calls).toHaveLength(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('reads Retry-After forms and ignores nonsense', () => {
    const at = (value: string) => retryAfterMs(new Response(null, { status: 429, headers: { 'Retry-After': value } }), Date.parse('2026-01-01T00:00:00Z'));
    expect(at('0')).toBe(0);
    expect(at('5')).toBe(5000);
    expect(at('Thu, 01 Jan 2026 00:00:10 GMT')).toBe(10_000);
    expect(at('Wed, 31 Dec 2025 23:00:00 GMT')).toBe(0);
    expect(at('soon')).toBeUndefined();
    expect(retryAfterMs(new Response(null, { status: 429 }))).toBeUndefined();
  });

  it('stops waiting when the request is aborted', async () => {
    const { fetch } = fakeFetch(() => json(429, {}, { 'Retry-After': '30' }));
    const controller = new AbortController();
    const pending = retryOn429(fetch)(new Request(`${BASE}/x`, { signal: controller.signal }));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('Session (refresh on 401)', () => {
  const loginAnswer = (token: string, refresh?: string) => ({ token, access_token: token, token_type: 'Bearer', expires_at: '2030-01-01T00:00:00.000Z', expires_in: 900, ...(refresh ? { refresh_token: refresh } : {}), account_id: 'acct_1', user: {} });

  it('sends its token; on 401 rotates the refresh token once, stores the new pair and repeats the request', async () => {
    const { fetch, calls } = fakeFetch(({ path, headers }) => {
      if (path === '/api/v1/auth/refresh') return json(200, loginAnswer('new-access', 'rt_new'));
      return headers.get('authorization') === 'Bearer new-access' ? json(201, { id: 'task_1' }) : apiError(401, 'unauthorized', 'Token expired');
    });
    const stored: unknown[] = [];
    const session = new Session({ baseUrl: BASE, tokens: { token: 'old-access', refreshToken: 'rt_old' }, fetch, onTokens: (t) => void stored.push(t) });
    const client = createStepwiseClient({ baseUrl: BASE, session });
    const res = await client.POST('/api/v1/tasks', { body: { name: 'x' } });
    expect(res.response.status).toBe(201);
    expect(calls.map((c) => [c.path, c.headers.get('authorization'), c.body])).toEqual([
      ['/api/v1/tasks', 'Bearer old-access', '{"name":"x"}'],
      ['/api/v1/auth/refresh', null, '{"refresh_token":"rt_old"}'],
      ['/api/v1/tasks', 'Bearer new-access', '{"name":"x"}'],
    ]);
    expect(stored).toEqual([{ token: 'new-access', refreshToken: 'rt_new', expiresAt: '2030-01-01T00:00:00.000Z' }]);
    expect(session.tokens.token).toBe('new-access');
  });

  it('refreshes once for many requests refused at the same time (a refresh token is single use)', async () => {
    let refreshes = 0;
    const { fetch } = fakeFetch(async ({ path, headers }) => {
      if (path === '/api/v1/auth/refresh') {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        return json(200, loginAnswer('fresh', 'rt_2'));
      }
      return headers.get('authorization') === 'Bearer fresh' ? json(200, { data: [] }) : apiError(401, 'unauthorized', 'expired');
    });
    const session = new Session({ baseUrl: BASE, tokens: { token: 'stale', refreshToken: 'rt_1' }, fetch });
    const client = createStepwiseClient({ baseUrl: BASE, session });
    const answers = await Promise.all([1, 2, 3, 4].map(() => client.GET('/api/v1/me')));
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  it('uses tokens another process stored meanwhile instead of spending the refresh token again', async () => {
    const { fetch, calls } = fakeFetch(({ headers }) => (headers.get('authorization') === 'Bearer from-disk' ? json(200, { ok: true }) : apiError(401, 'unauthorized', 'expired')));
    const session = new Session({ baseUrl: BASE, tokens: { token: 'stale', refreshToken: 'rt_1' }, fetch, reload: () => ({ token: 'from-disk', refreshToken: 'rt_2' }) });
    const res = await createStepwiseClient({ baseUrl: BASE, session }).GET('/api/v1/me');
    expect(res.response.status).toBe(200);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me', '/api/v1/me']);
  });

  it('hands back the 401 when there is no refresh token or the API refuses it', async () => {
    const noRefresh = fakeFetch(() => apiError(401, 'unauthorized', 'expired'));
    const bare = new Session({ baseUrl: BASE, tokens: { token: 't' }, fetch: noRefresh.fetch });
    const first = await createStepwiseClient({ baseUrl: BASE, session: bare }).GET('/api/v1/me');
    expect(first.response.status).toBe(401);
    expect(noRefresh.calls).toHaveLength(1);

    const refused = fakeFetch(({ path }) => (path === '/api/v1/auth/refresh' ? apiError(401, 'unauthorized', 'Refresh token reused') : apiError(401, 'unauthorized', 'expired')));
    const session = new Session({ baseUrl: BASE, tokens: { token: 't', refreshToken: 'rt' }, fetch: refused.fetch });
    const answer = await createStepwiseClient({ baseUrl: BASE, session }).GET('/api/v1/me');
    expect(answer.response.status).toBe(401);
    expect(answer.error).toMatchObject({ error: { code: 'unauthorized', message: 'expired' } });
    expect(refused.calls.map((c) => c.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh']);
  });
});

describe('unwrap', () => {
  it('returns the data of a success and throws the API’s error with its code, message and field', async () => {
    const { fetch } = fakeFetch(({ n }) => (n === 1 ? json(201, { id: 'task_1' }) : apiError(400, 'validation_error', 'name: Required', 'name')));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    await expect(unwrap(client.POST('/api/v1/tasks', { body: { name: 'x' } }))).resolves.toMatchObject({ id: 'task_1' });
    const error = await unwrap(client.POST('/api/v1/tasks', { body: { name: '' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepwiseApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'name: Required', field: 'name', requestId: 'req_1' });
  });
});

describe('paginate', () => {
  const page = (items: number[], next: string | null, offset: number) => json(200, { data: items.map((i) => ({ id: `task_${i}` })), pagination: { total: 5, limit: items.length, offset, has_more: next !== null, next_cursor: next } });

  it('follows next_cursor until has_more is false, keeping the filters', async () => {
    const { fetch, calls } = fakeFetch(({ path }) => (path.includes('cursor=c2') ? page([5], null, 4) : path.includes('cursor=c1') ? page([3, 4], 'c2', 2) : page([1, 2], 'c1', 0)));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    const ids = (await listAll(client, '/api/v1/tasks', { query: { status: 'pending' } }, { pageSize: 2 })).map((t) => t.id);
    expect(ids).toEqual(['task_1', 'task_2', 'task_3', 'task_4', 'task_5']);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/tasks?status=pending&limit=2', '/api/v1/tasks?status=pending&limit=2&cursor=c1', '/api/v1/tasks?status=pending&limit=2&cursor=c2']);
  });

  it('reads no further page than the loop asks for, and `max` caps the items', async () => {
    const { fetch, calls } = fakeFetch(() => page([1, 2], 'c1', 0));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    for await (const task of paginate(client, '/api/v1/tasks', {})) {
      expect(task.id).toBe('task_1');
      break;
    }
    expect(calls).toHaveLength(1);
    expect(await listAll(client, '/api/v1/tasks', {}, { max: 3, pageSize: 2 })).toHaveLength(3);
    expect(calls.at(-1)!.path).toBe('/api/v1/tasks?limit=1&cursor=c1');
  });

  it('fills path parameters and falls back to offsets when a list gives no cursor', async () => {
    const lines = (ids: string[], offset: number, hasMore: boolean) => json(200, { data: ids.map((id) => ({ id })), pagination: { total: 3, limit: 2, offset, has_more: hasMore, next_cursor: null } });
    const { fetch, calls } = fakeFetch(({ path }) => (path.includes('offset=2') ? lines(['l3'], 2, false) : lines(['l1', 'l2'], 0, true)));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    const read = await listAll(client, '/api/v1/executions/{id}/logs', { path: { id: 'exec_1' }, query: { level: 'info' } }, { pageSize: 2 });
    expect(read.map((l) => l.id)).toEqual(['l1', 'l2', 'l3']);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/executions/exec_1/logs?level=info&limit=2', '/api/v1/executions/exec_1/logs?level=info&limit=2&offset=2']);
  });

  it('throws the API’s error for a refused page', async () => {
    const { fetch } = fakeFetch(() => apiError(400, 'validation_error', 'status: Invalid option', 'status'));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    await expect(listAll(client, '/api/v1/tasks', {})).rejects.toMatchObject({ code: 'validation_error', field: 'status' });
  });
});

describe('watchExecution by polling', () => {
  const task = (node: string, status: string, at: string, error: string | null = null) => ({ id: `wft_${node}`, task_id: `wft_${node}`, node_id: node, name: node, type: 'transform', status, error, result: null, started_at: status === 'pending' ? null : at, completed_at: ['completed', 'failed'].includes(status) ? at : null, updated_at: at });
  const execution = (status: string, tasks: unknown[]) => ({ id: 'exec_1', execution_id: 'exec_1', workflow_id: 'wf_1', status, tasks, error: status === 'failed' ? "Node 'b' failed" : null, started_at: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z' });

  it('turns each change of the record into node events, once each, and ends with the execution', async () => {
    const states = [
      execution('running', [task('a', 'running', '2026-01-01T00:00:01.000Z'), task('b', 'pending', '2026-01-01T00:00:00.000Z')]),
      execution('running', [task('a', 'running', '2026-01-01T00:00:01.000Z'), task('b', 'pending', '2026-01-01T00:00:00.000Z')]),
      execution('running', [task('a', 'completed', '2026-01-01T00:00:02.000Z'), task('b', 'running', '2026-01-01T00:00:03.000Z')]),
      execution('failed', [task('a', 'completed', '2026-01-01T00:00:02.000Z'), task('b', 'failed', '2026-01-01T00:00:04.000Z', 'boom')]),
    ];
    const { fetch, calls } = fakeFetch(() => json(200, states.length > 1 ? states.shift() : states[0]));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    const events: WatchEvent[] = [];
    for await (const e of watchExecution(client, 'exec_1', { baseUrl: BASE, transport: 'polling', pollIntervalMs: 1, maxPollIntervalMs: 2 })) events.push(e);
    expect(events.map((e) => (e.type === 'node' ? `${e.nodeId}:${e.status}${e.error ? `:${e.error}` : ''}` : e.type === 'status' ? `status:${e.status}` : e.type === 'end' ? `end:${e.execution.status}` : e.type))).toEqual([
      'transport',
      'status:running',
      'a:running',
      'a:completed',
      'b:running',
      'b:failed:boom',
      'end:failed',
    ]);
    expect(calls.every((c) => c.path === '/api/v1/executions/exec_1')).toBe(true);
  });

  it('ends only once the finished run’s tasks are settled (native states are marked just after the status)', async () => {
    const states = [
      execution('completed', [task('a', 'completed', '2026-01-01T00:00:02.000Z'), task('pause', 'pending', '2026-01-01T00:00:00.000Z')]),
      execution('completed', [task('a', 'completed', '2026-01-01T00:00:02.000Z'), task('pause', 'completed', '2026-01-01T00:00:03.000Z')]),
    ];
    const { fetch, calls } = fakeFetch(() => json(200, states.length > 1 ? states.shift() : states[0]));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    const events: WatchEvent[] = [];
    for await (const e of watchExecution(client, 'exec_1', { baseUrl: BASE, transport: 'polling', pollIntervalMs: 1, maxPollIntervalMs: 2 })) events.push(e);
    expect(events.flatMap((e) => (e.type === 'node' ? [`${e.nodeId}:${e.status}`] : []))).toEqual(['a:running', 'a:completed', 'pause:running', 'pause:completed']);
    expect(events.at(-1)).toMatchObject({ type: 'end', execution: { tasks: [{ status: 'completed' }, { status: 'completed' }] } });
    expect(calls).toHaveLength(2);
  });

  it('rejects with the API’s 404 for an unknown execution', async () => {
    const { fetch } = fakeFetch(() => apiError(404, 'not_found', "Execution 'exec_x' was not found"));
    const client = createStepwiseClient({ baseUrl: BASE, fetch });
    const run = async () => {
      for await (const e of watchExecution(client, 'exec_x', { baseUrl: BASE, transport: 'polling' })) void e;
    };
    await expect(run()).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('NodeStates', () => {
  it('moves forward only; running and retrying alternate', () => {
    const s = new NodeStates();
    expect(s.advance('a', 'running')).toBe(true);
    expect(s.advance('a', 'running')).toBe(false);
    expect(s.advance('a', 'retrying')).toBe(true);
    expect(s.advance('a', 'running')).toBe(true);
    expect(s.advance('a', 'completed')).toBe(true);
    expect(s.advance('a', 'running')).toBe(false);
    expect(s.advance('b', 'pending')).toBe(false);
    expect(s.get('a')).toBe('completed');
  });
});

describe('seed facades', () => {
  it('send an sk_ credential as X-API-Key and anything else as a bearer token, to STEPWISE_API_URL by default', async () => {
    const { AstraClient } = await import('../../client/compat/astraflow.ts');
    const { FlowCtlClient } = await import('../../client/compat/flowctl.ts');
    const seen: { url: string; auth: string | null; key: string | null }[] = [];
    const original = globalThis.fetch;
    const before = process.env.STEPWISE_API_URL;
    globalThis.fetch = (async (input: Request) => {
      seen.push({ url: input.url, auth: input.headers.get('authorization'), key: input.headers.get('x-api-key') });
      return json(200, { data: [], tasks: [], pagination: { total: 0, limit: 20, offset: 0, has_more: false, next_cursor: null } });
    }) as typeof fetch;
    try {
      process.env.STEPWISE_API_URL = 'http://env.test';
      await new AstraClient('sk_acct.key.secret').getTasks({ status: 'active' });
      await new AstraClient('a-token').getTask('task_1');
      await new FlowCtlClient('http://flowctl.test', { token: 'tok' }).listWorkflows({ page: 2 });
    } finally {
      globalThis.fetch = original;
      if (before === undefined) delete process.env.STEPWISE_API_URL;
      else process.env.STEPWISE_API_URL = before;
    }
    expect(seen).toEqual([
      { url: 'http://env.test/api/v1/tasks?status=active', auth: null, key: 'sk_acct.key.secret' },
      { url: 'http://env.test/api/v1/tasks/task_1', auth: 'Bearer a-token', key: null },
      { url: 'http://flowctl.test/api/v1/workflows?page=2', auth: 'Bearer tok', key: null },
    ]);
  });
});
