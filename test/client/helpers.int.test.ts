import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createStepwiseClient, listAll, login, paginate, Session, unwrap, waitForExecution, watchExecution, type SessionTokens, type WatchEvent } from '../../client/index.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { newAccount } from '../support/api-client.ts';

/** The client helpers (client/*.ts) against the real local server. */
describe('client helpers (end to end)', () => {
  const baseUrl = () => inject('baseUrl');

  it('login returns a session whose client refreshes on 401 and hands the new tokens over', async () => {
    const account = await newAccount('helpers');
    const stored: SessionTokens[] = [];
    const { session, login: answer } = await login({ baseUrl: baseUrl(), username: account.username, password: account.password, onTokens: (t) => void stored.push(t) });
    expect(answer).toMatchObject({ account_id: account.accountId, user: { username: account.username } });
    const client = createStepwiseClient({ baseUrl: baseUrl(), session, retry: true });
    expect((await unwrap(client.GET('/api/v1/me'))).username).toBe(account.username);

    // A token the API refuses (a corrupted signature) stands in for an expired one.
    const original = session.tokens;
    const broken = new Session({
      baseUrl: baseUrl(),
      tokens: { ...original, token: `${original.token.slice(0, -4)}AAAA` },
      onTokens: (t) => void stored.push(t),
    });
    const refreshing = createStepwiseClient({ baseUrl: baseUrl(), session: broken });
    const task = await unwrap(refreshing.POST('/api/v1/tasks', { body: { name: 'After a refresh' } }));
    expect(task.name).toBe('After a refresh');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token).not.toBe(original.token);
    expect(stored[0]!.refreshToken).toMatch(/^rt_/);
    expect(stored[0]!.refreshToken).not.toBe(original.refreshToken);
    // The rotated-out refresh token is spent: presenting it again is refused.
    const reuse = await fetch(`${baseUrl()}/api/v1/auth/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: original.refreshToken }) });
    expect(reuse.status).toBe(401);
  });

  it('a wrong password rejects with the API’s error', async () => {
    const account = await newAccount('helpers');
    await expect(login({ baseUrl: baseUrl(), username: account.username, password: 'wrong password!' })).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('paginate walks a real list page by page, with filters', async () => {
    const { token } = await newAccount('pages');
    const client = createStepwiseClient({ baseUrl: baseUrl(), token });
    for (let i = 0; i < 23; i++) await unwrap(client.POST('/api/v1/tasks', { body: { name: `task ${i}`, priority: i % 2 ? 'high' : 'low' } }));
    const all = await listAll(client, '/api/v1/tasks', {}, { pageSize: 10 });
    expect(all).toHaveLength(23);
    expect(new Set(all.map((t) => t.id)).size).toBe(23);
    const high: string[] = [];
    for await (const t of paginate(client, '/api/v1/tasks', { query: { priority: 'high' } }, { pageSize: 4 })) high.push(t.name);
    expect(high).toHaveLength(11);
    expect(high.every((n) => Number(n.split(' ')[1]) % 2 === 1)).toBe(true);
  });

  describe('waiting for a run', () => {
    let client: ReturnType<typeof createStepwiseClient>;
    let token: string;
    let workflowId: string;

    beforeAll(async () => {
      const account = await newAccount('watch');
      token = account.token;
      client = createStepwiseClient({ baseUrl: baseUrl(), token });
      const wf = await unwrap(
        client.POST('/api/v1/workflows', {
          body: {
            name: 'Watched',
            tasks: [
              { name: 'one', type: 'transform', payload: { expression: '"a"' } },
              { name: 'two', type: 'transform', payload: { expression: 'steps.one.output & "b"' }, dependencies: ['one'] },
            ],
          },
        }),
      );
      workflowId = wf.id;
    });

    const start = async () => (await unwrap(client.POST('/api/v1/workflows/{id}/run', { params: { path: { id: workflowId } }, body: { input: {} } }))).execution_id;
    const nodeStates = (events: WatchEvent[]) => events.flatMap((e) => (e.type === 'node' ? [`${e.nodeId}:${e.status}`] : []));

    it('over the WebSocket at /ws/executions/{id}: every node’s changes, then the end', async () => {
      const id = await start();
      const events: WatchEvent[] = [];
      const execution = await waitForExecution(client, id, { baseUrl: baseUrl(), headers: () => ({ Authorization: `Bearer ${token}` }), transport: 'websocket', timeoutMs: 30_000, onEvent: (e) => events.push(e) });
      expect(execution).toMatchObject({ id, status: 'completed', result: 'ab' });
      expect(events[0]).toEqual({ type: 'transport', transport: 'websocket' });
      expect(nodeStates(events)).toEqual(['one:running', 'one:completed', 'two:running', 'two:completed']);
      expect(events.at(-1)).toMatchObject({ type: 'end' });
    });

    it('subscribing by message, as on AWS’s WebSocket API (liveUrl): the same events', async () => {
      const id = await start();
      const events: WatchEvent[] = [];
      const liveUrl = `${baseUrl().replace(/^http/, 'ws')}/ws`;
      const execution = await waitForExecution(client, id, { baseUrl: baseUrl(), liveUrl, headers: () => ({ Authorization: `Bearer ${token}` }), transport: 'websocket', timeoutMs: 30_000, onEvent: (e) => events.push(e) });
      expect(execution.status).toBe('completed');
      expect(nodeStates(events)).toEqual(['one:running', 'one:completed', 'two:running', 'two:completed']);
    });

    it('by polling, and by polling when the socket is refused (auto)', async () => {
      const polled: WatchEvent[] = [];
      expect((await waitForExecution(client, await start(), { baseUrl: baseUrl(), transport: 'polling', timeoutMs: 30_000, onEvent: (e) => polled.push(e) })).status).toBe('completed');
      expect(nodeStates(polled)).toEqual(['one:running', 'one:completed', 'two:running', 'two:completed']);

      // No credential on the handshake: the socket is refused (401), the REST client still works.
      const fallback: WatchEvent[] = [];
      for await (const e of watchExecution(client, await start(), { baseUrl: baseUrl(), timeoutMs: 30_000 })) fallback.push(e);
      expect(fallback[0]).toEqual({ type: 'transport', transport: 'polling', reason: 'live updates refused: HTTP 401' });
      expect(fallback.at(-1)).toMatchObject({ type: 'end', execution: { status: 'completed' } });
    });

    it('another account’s execution is the API’s 404, whichever way', async () => {
      const id = await start();
      const other = await newAccount('watch');
      const stranger = createStepwiseClient({ baseUrl: baseUrl(), token: other.token });
      const watch = async (transport: 'auto' | 'polling') => {
        for await (const e of watchExecution(stranger, id, { baseUrl: baseUrl(), headers: () => ({ Authorization: `Bearer ${other.token}` }), transport })) void e;
      };
      await expect(watch('auto')).rejects.toMatchObject({ status: 404, code: 'not_found' });
      await expect(watch('polling')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    });
  });

  describe('retry on 429, on a server with a 2-second window and 3 requests per credential', () => {
    let server: LocalServerProcess | undefined;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'stepwise-client-rl-'));
      server = await startLocalServerProcess({
        env: { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), STEPWISE_TABLE_NAME: `stepwise-client-rl-${process.pid}`, RATE_LIMIT_WINDOW_SECONDS: '2', RATE_LIMIT_FREE: '3', RATE_LIMIT_ANONYMOUS: '1000' },
      });
    });

    afterAll(async () => {
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('waits out Retry-After and gets through; without retry the 429 is the answer', async () => {
      const account = await newAccount('rl', server!.url);
      const waits: number[] = [];
      const retrying = createStepwiseClient({ baseUrl: server!.url, token: account.token, retry: { onRetry: ({ delayMs }) => waits.push(delayMs) } });
      const plain = createStepwiseClient({ baseUrl: server!.url, token: account.token });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await plain.GET('/api/v1/tasks')).response.status);
      expect(statuses).toContain(429);
      // Six more through the retrying client: at most three fit a window, so it has to wait, and every one succeeds.
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await retrying.GET('/api/v1/tasks')).response.status);
      expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
      expect(waits.length).toBeGreaterThan(0);
      expect(waits.every((ms) => ms >= 1000 && ms <= 2000)).toBe(true);
    });
  });
});
