import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { api, apiAt, newAccount, type ApiResponse } from '../support/api-client.ts';

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-policy', 'ratelimit'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const resetOf = (res: ApiResponse) => Number(res.headers.get('x-ratelimit-reset'));
const remainingOf = (res: ApiResponse) => Number(res.headers.get('x-ratelimit-remaining'));
/** Sleeps until just after the window `res` was counted in has ended, so what follows starts a fresh window. */
const untilWindowEnds = (res: ApiResponse) => sleep(resetOf(res) * 1000 + 50 - Date.now());

describe('rate limits (end to end)', () => {
  describe('on the shared server (default limits)', () => {
    it('states the free plan’s policy and counts down, on successes and errors alike', async () => {
      const { client } = await newAccount('rl');
      const first = await client.get('/api/v1/tasks');
      const missing = await client.get('/api/v1/tasks/task_01ARZ3NDEKTSV4RRFFQ69G5FAV');
      expect(first.status).toBe(200);
      expect(missing.status).toBe(404);
      for (const res of [first, missing]) {
        expect(res.headers.get('x-ratelimit-limit')).toBe('100');
        expect(res.headers.get('ratelimit-policy')).toBe('"free";q=100;w=60');
        expect(res.headers.get('ratelimit')).toMatch(/^"free";r=\d+;t=\d+$/);
        expect(resetOf(res)).toBeGreaterThan(Date.now() / 1000);
        expect(resetOf(res)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      }
      // One fewer left, unless the 60-second window happened to roll over between the two calls.
      expect(resetOf(first) !== resetOf(missing) || remainingOf(missing) === remainingOf(first) - 1).toBe(true);
      // CORS lets browser clients read them.
      expect(first.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/);
    });

    it('charges anonymous and failed-auth requests to the address, and never limits health', async () => {
      // A failed credential on a public route reaches the pipeline and is charged to the address;
      // on protected routes the gateway's authorizer turns it away first (no function runs) and
      // charges it there (test/e2e/attacks/rate-limits.test.ts).
      const unauth = await api().post('/api/v1/auth/refresh', { refresh_token: 'rt_not.a.token' });
      expect(unauth.status).toBe(401);
      expect(unauth.headers.get('ratelimit-policy')).toMatch(/^"anonymous";q=\d+;w=60$/);
      const gateway = await api('not-a-token').get('/api/v1/tasks');
      expect(gateway.status).toBe(401);
      expect(gateway.body.error.code).toBe('unauthorized');
      expect(gateway.headers.get('ratelimit-policy')).toMatch(/^"anonymous";q=\d+;w=60$/);
      const exempt = ['/health', '/api/v1/health', '/api/v1/openapi.json', '/api/v1/docs'];
      const responses = await Promise.all(exempt.map((path) => api().get(path)));
      expect(responses.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
      for (const [i, res] of responses.entries()) {
        expect(res.status, exempt[i]).not.toBe(429);
        expect(RATE_HEADERS.filter((h) => res.headers.has(h)), exempt[i]).toEqual([]);
      }
    });
  });

  describe('on a second server with a 2-second window (anonymous 5, free 8)', () => {
    const WINDOW = 2;
    let server: LocalServerProcess | undefined;
    let dataDir: string;
    let anon: ReturnType<typeof apiAt>;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'stepwise-rl-'));
      server = await startLocalServerProcess({
        env: {
          STEPWISE_DATA_DIR: dataDir,
          DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
          RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
          RATE_LIMIT_ANONYMOUS: '5',
          RATE_LIMIT_FREE: '8',
          RATE_LIMIT_ENTERPRISE: '50',
        },
      });
      const baseUrl = server.url;
      anon = apiAt(baseUrl);
    });

    afterAll(async () => {
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses the 6th anonymous request in a window with 429, failed credentials included, then lets the address back in', async () => {
      await untilWindowEnds(await anon.post('/api/v1/auth/login', {}));

      // Five in one fresh window: three invalid public calls and two forged refresh tokens, all charged to 127.0.0.1.
      const allowed = [
        await anon.post('/api/v1/auth/login', {}),
        await anon.post('/api/v1/auth/register', {}),
        await anon.post('/login', {}),
        await anon.post('/api/v1/auth/refresh', { refresh_token: 'rt_forged.token.one' }),
        await anon.post('/api/v1/auth/refresh', { refresh_token: 'rt_forged.token.two' }),
      ];
      expect(allowed.map((r) => r.status)).toEqual([400, 400, 400, 401, 401]);
      expect(allowed.map(remainingOf)).toEqual([4, 3, 2, 1, 0]);
      expect(new Set(allowed.map(resetOf)).size).toBe(1);
      for (const res of allowed) {
        expect(res.headers.get('x-ratelimit-limit')).toBe('5');
        expect(res.headers.get('ratelimit-policy')).toBe(`"anonymous";q=5;w=${WINDOW}`);
      }

      const limited = await anon.post('/api/v1/auth/refresh', { refresh_token: 'rt_forged.token.three' });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW);
      expect(limited.body).toEqual({
        error: {
          code: 'rate_limit_exceeded',
          message: `Rate limit exceeded. Please retry after ${retryAfter} seconds.`,
          details: { retry_after: retryAfter },
          retry_after: retryAfter,
          request_id: limited.headers.get('x-request-id'),
        },
      });
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('ratelimit')).toBe(`"anonymous";r=0;t=${retryAfter}`);
      expect(resetOf(limited)).toBe(resetOf(allowed[0]!));
      expect((await anon.post('/api/v1/auth/login', { username: 'x', password: 'y' })).status).toBe(429);

      // Health is never starved.
      expect((await anon.get('/health')).status).toBe(200);

      // The counter item stopped at the limit (the condition refused without writing).
      const db = createDocumentClient({ region: 'us-east-1', endpoint: inject('dynamoEndpoint') });
      const windowStart = resetOf(limited) - WINDOW;
      const item = await db.send(new GetCommand({ TableName: 'stepwise-local', Key: { pk: 'RATELIMIT#ip#127.0.0.1', sk: `W${WINDOW}#${windowStart}` } }));
      db.destroy();
      expect(item.Item).toMatchObject({ n: 5, ttl: resetOf(limited) + 60 });

      await untilWindowEnds(limited);
      const again = await anon.post('/api/v1/auth/login', {});
      expect(again.status).toBe(400);
      expect(remainingOf(again)).toBe(4);
    });

    it('gives a credential its plan’s budget, independent of the address’s', async () => {
      // Registering and logging in are anonymous (2 of the address's 5).
      const username = `rl${Date.now().toString(36)}`;
      expect((await anon.post('/api/v1/auth/register', { username, password: 'correct horse battery staple' })).status).toBe(201);
      const login = await anon.post('/api/v1/auth/login', { username, password: 'correct horse battery staple' });
      expect(login.status).toBe(200);
      const user = apiAt(anon.baseUrl, (login.body as { token: string }).token);

      await untilWindowEnds(await user.get('/api/v1/tasks'));
      const burst = [];
      for (let i = 0; i < 8; i++) burst.push(await user.get('/api/v1/tasks'));
      expect(burst.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(burst.map(remainingOf)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
      expect(burst[0]!.headers.get('ratelimit-policy')).toBe(`"free";q=8;w=${WINDOW}`);

      const limited = await user.get('/api/v1/tasks');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('ratelimit')).toMatch(/^"free";r=0;t=\d+$/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      // The address's own budget is untouched by the credential's requests.
      const anonymous = await anon.post('/api/v1/auth/login', {});
      expect(anonymous.status).toBe(400);
      expect(anonymous.headers.get('ratelimit-policy')).toBe(`"anonymous";q=5;w=${WINDOW}`);

      await untilWindowEnds(limited);
      expect((await user.get('/api/v1/tasks')).status).toBe(200);
    });
  });
});
