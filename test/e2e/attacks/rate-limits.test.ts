import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalServerProcess, type LocalServerProcess } from '../../../scripts/local-server-process.ts';
import { rateLimitWindow } from '../../../functions/core/rate-limit/policy.ts';
import { apiAt, type ApiResponse } from '../../support/api-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const resetOf = (res: ApiResponse) => Number(res.headers.get('x-ratelimit-reset'));
/** Waits until just after the window `res` was counted in, so what follows starts a fresh one. */
const untilWindowEnds = (res: ApiResponse) => sleep(resetOf(res) * 1000 + 50 - Date.now());

/**
 * Issue 13 #9 (Medium) and issue 15 #4: requests with missing or failed credentials are turned
 * away by the gateway's authorizer before any function runs; they must still count against the
 * anonymous limit of their address and carry the rate-limit fields.
 */
describe('issue 13 #9 (Medium): failed credentials are rate-limited at the gateway', () => {
  // Long enough that a test's burst (up to ten sequential requests) fits in one window on a busy machine.
  const WINDOW = 6;
  const ANONYMOUS = 5;
  const PER_KEY = 4;
  const PER_ACCOUNT = 6;
  let server: LocalServerProcess | undefined;
  let dataDir: string;
  let base: string;
  let token: string;
  let accountId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stepwise-atk-rl-'));
    server = await startLocalServerProcess({
      env: {
        STEPWISE_DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
        RATE_LIMIT_ANONYMOUS: String(ANONYMOUS),
        RATE_LIMIT_FREE: String(PER_KEY),
        RATE_LIMIT_ACCOUNT_FREE: String(PER_ACCOUNT),
      },
    });
    base = server.url;
    // Registration and login are anonymous requests too: done before the tests count anything.
    const username = `rlatk${Date.now().toString(36)}`;
    await apiAt(base).post('/api/v1/auth/register', { username, password: 'correct horse battery staple' });
    const login = await apiAt(base).post('/api/v1/auth/login', { username, password: 'correct horse battery staple' });
    token = login.body.token;
    accountId = login.body.account_id;
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('bad X-API-Key floods get 401s with the anonymous fields up to the limit, then 429s', async () => {
    const anon = apiAt(base);
    const badKey = (n: number) => anon.get('/api/v1/tasks', { 'X-API-Key': `sk_acct_forged.key_forged.${n}` });
    await untilWindowEnds(await badKey(0));
    const first = await Promise.all([1, 2, 3].map(badKey));
    const more = [await anon.get('/api/v1/tasks'), await apiAt(base, 'not-a-token').get('/api/v1/workflows')];
    const allowed = [...first, ...more];
    expect(allowed.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(allowed.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).toSorted()).toEqual([0, 1, 2, 3, 4]);
    for (const res of allowed) {
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers.get('x-ratelimit-limit')).toBe(String(ANONYMOUS));
      expect(res.headers.get('ratelimit-policy')).toBe(`"anonymous";q=${ANONYMOUS};w=${WINDOW}`);
      expect(res.headers.get('ratelimit')).toMatch(/^"anonymous";r=\d;t=\d$/);
      expect(resetOf(res)).toBeGreaterThan(Date.now() / 1000 - 1);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }

    const limited = await badKey(99);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limit_exceeded', retry_after: WINDOW });
    expect(limited.headers.get('retry-after')).toBe(String(WINDOW));
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-policy')).toBe(`"anonymous";q=${ANONYMOUS};w=${WINDOW}`);
    // The same budget as every other anonymous request of the address: public routes are refused too.
    expect((await anon.post('/api/v1/auth/login', { username: 'x', password: 'y' })).status).toBe(429);
  });

  it('a valid credential from the same address keeps its own budget, and the address comes back after the window', async () => {
    const anon = apiAt(base);
    const bad = () => anon.get('/api/v1/tasks', { 'X-API-Key': 'sk_bad' });
    // Whatever the previous test left, start in a window with the whole budget.
    await sleep(WINDOW * 1000 + 100);
    const first = await bad();
    expect(first.status).toBe(401);
    await untilWindowEnds(first);
    const counted = [];
    for (let i = 0; i < ANONYMOUS; i++) counted.push(await bad());
    expect(counted.map((r) => r.status)).toEqual(Array(ANONYMOUS).fill(401));
    const limited = await bad();
    expect(limited.status).toBe(429);
    const own = await apiAt(base, token).get('/api/v1/tasks');
    expect(own.status).toBe(200);
    expect(own.headers.get('ratelimit-policy')).toBe(`"free";q=${PER_KEY};w=${WINDOW}`);
    await untilWindowEnds(counted[0]!);
    const back = await bad();
    expect(back.status).toBe(401);
    expect(back.headers.get('x-ratelimit-remaining')).toBe(String(ANONYMOUS - 1));
  });

  it('issue 13 #12 (Low): more API keys do not multiply an account’s budget', async () => {
    const session = apiAt(base, token);
    const keys = [];
    for (const name of ['one', 'two', 'three']) {
      const created = await session.post('/api/v1/api-keys', { name, scopes: ['tasks:read'] });
      expect(created.status).toBe(201);
      keys.push(created.body.key as string);
    }
    const withKey = (key: string) => session.get('/api/v1/tasks', { 'X-API-Key': key });
    // Windows are shifted per subject (functions/core/rate-limit/policy.ts), and a response's reset is
    // the binding subject's, here a key's: so start at the account's own window, computed the same way.
    await sleep(rateLimitWindow(`acct#${accountId}`, new Date(), WINDOW).end * 1000 + 50 - Date.now());
    const counted = [];
    for (let i = 0; i < PER_KEY; i++) counted.push(await withKey(keys[0]!));
    for (let i = 0; i < PER_ACCOUNT - PER_KEY; i++) counted.push(await withKey(keys[1]!));
    expect(counted.map((r) => r.status)).toEqual(Array(PER_ACCOUNT).fill(200));
    // Each key is within its own budget; the account is not.
    for (const res of [await withKey(keys[1]!), await withKey(keys[2]!), await session.get('/api/v1/tasks')]) {
      expect(res.status).toBe(429);
      expect(res.headers.get('ratelimit-policy')).toBe(`"account";q=${PER_ACCOUNT};w=${WINDOW}`);
      expect(res.body.error.code).toBe('rate_limit_exceeded');
    }
  });

  it('issue 15 #4: CORS preflight answers carry X-Request-Id', async () => {
    const res = await fetch(`${base}/api/v1/tasks`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
