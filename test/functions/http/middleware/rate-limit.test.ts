import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, unauthorized } from '../../../../functions/core/errors.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import type { RateLimitCounter, RateLimitIncrement } from '../../../../functions/core/rate-limit/ports.ts';
import { RateLimiter, type RequestRateLimiter } from '../../../../functions/core/rate-limit/rate-limiter.ts';
import { createJsonLogger as createLogger } from '../../../../functions/adapters/logging/json-logger.ts';
import { UNLIMITED_ROUTES } from '../../../../functions/http/middleware/rate-limit.ts';
import { operation, publicOperation, type Operation } from '../../../../functions/http/operation.ts';
import { httpHandler } from '../../../../functions/http/pipeline.ts';
import { ROUTES, routeKey, routesOf, type Resource } from '../../../../lib/definitions/routes.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';
import { proxyEvent } from '../../../support/proxy-event.ts';

const verifier = {
  verifyAccessToken: vi.fn(async (token: string) => {
    if (token === 'good') return principal({ credentialId: 'ses_good' });
    if (token === 'other') return principal({ credentialId: 'ses_other' });
    if (token === 'big') return principal({ credentialId: 'ses_big', plan: 'enterprise' });
    if (token === 'viewer') return principal({ credentialId: 'ses_viewer', role: 'viewer', scopes: ROLE_SCOPES.viewer });
    throw unauthorized('The access token is invalid');
  }),
  verifyApiKey: vi.fn(async (key: string) => {
    if (key === 'sk_good') return principal({ credentialId: 'key_good', authMethod: 'api_key' });
    throw unauthorized('The API key is invalid, expired or revoked');
  }),
};

/** The DynamoDB contract in memory: a conditional increment that stops at the limit. */
class InMemoryCounter implements RateLimitCounter {
  readonly counts = new Map<string, number>();
  readonly calls: RateLimitIncrement[] = [];
  async increment(r: RateLimitIncrement) {
    this.calls.push(r);
    const id = `${r.key}@${r.windowStart}`;
    const n = this.counts.get(id) ?? 0;
    if (n >= r.limit) return { count: n, allowed: false };
    this.counts.set(id, n + 1);
    return { count: n + 1, allowed: true };
  }
}


const event = (method: string, resource: string, init: Parameters<typeof proxyEvent>[2] = {}) => proxyEvent(method, resource, { ip: '198.51.100.7', ...init });
const ctx = {} as Context;
let logs: string[] = [];

/** A handler for `resource` whose every operation answers 200, with overrides. */
function handlerFor(resource: Resource, limiter: RequestRateLimiter | undefined, ops: Record<string, Operation> = {}) {
  const all: Record<string, Operation> = {};
  for (const r of routesOf(resource)) {
    all[r.operation] ??= r.scope === null ? publicOperation({}, async () => ({ status: 200, body: { ok: true } })) : operation({}, async () => ({ status: 200, body: { ok: true } }));
  }
  return httpHandler(resource, { ...all, ...ops }, {
    verifier: () => verifier,
    logger: createLogger('debug', (l) => logs.push(l)),
    ...(limiter ? { rateLimiter: limiter } : {}),
  });
}

const settings = { free: 3, enterprise: 6, anonymous: 2, windowSeconds: 60 };
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
const body = (res: { body: string }) => JSON.parse(res.body) as { error: Record<string, unknown> };

describe('rate-limit middleware', () => {
  let counter: InMemoryCounter;
  let limiter: RateLimiter;
  beforeEach(() => {
    logs = [];
    counter = new InMemoryCounter();
    limiter = new RateLimiter(counter, settings, fixedClock('2026-01-01T00:00:00.000Z'));
  });

  it('charges an authenticated request to its credential at the plan limit and says so in the headers', async () => {
    const h = handlerFor('tasks', limiter);
    const res = await h(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(res.statusCode).toBe(200);
    expect(counter.calls.map((c) => [c.key, c.limit])).toEqual([['cred#ses_good', 3]]);
    expect(res.headers).toMatchObject({
      'X-RateLimit-Limit': '3',
      'X-RateLimit-Remaining': '2',
      'X-RateLimit-Reset': String(counter.calls[0]!.windowEnd),
      'RateLimit-Policy': '"free";q=3;w=60',
      RateLimit: expect.stringMatching(/^"free";r=2;t=\d+$/),
    });
    const t = Number(/t=(\d+)/.exec(res.headers.RateLimit!)![1]);
    expect(t).toBe(counter.calls[0]!.windowEnd - Date.parse('2026-01-01T00:00:00.000Z') / 1000);

    const big = await h(event('GET', '/api/v1/tasks', bearer('big')), ctx);
    expect(big.headers['RateLimit-Policy']).toBe('"enterprise";q=6;w=60');
    const key = await h(event('GET', '/api/v1/tasks', { headers: { 'X-API-Key': 'sk_good' } }), ctx);
    expect(key.headers['X-RateLimit-Remaining']).toBe('2');
    expect(counter.calls.map((c) => c.key)).toEqual(['cred#ses_good', 'cred#ses_big', 'cred#key_good']);
  });

  it('answers limit+1 with 429 in the one error shape, Retry-After and the headers, without running the operation', async () => {
    const run = vi.fn(async () => ({ status: 200, body: {} }));
    const h = handlerFor('tasks', limiter, { listTasks: operation({}, run) });
    for (let i = 0; i < 3; i++) expect((await h(event('GET', '/api/v1/tasks', bearer('good')), ctx)).statusCode).toBe(200);
    const res = await h(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(res.statusCode).toBe(429);
    expect(run).toHaveBeenCalledTimes(3);
    const retry = Number(res.headers['Retry-After']);
    expect(retry).toBeGreaterThan(0);
    expect(body(res).error).toEqual({
      code: 'rate_limit_exceeded',
      message: `Rate limit exceeded. Please retry after ${retry} seconds.`,
      details: { retry_after: retry },
      retry_after: retry,
      request_id: 'req-123',
    });
    expect(res.headers).toMatchObject({ 'X-RateLimit-Remaining': '0', RateLimit: `"free";r=0;t=${retry}`, 'X-Request-Id': 'req-123' });
    // Another credential of the same user, and anonymous traffic from the same address, are unaffected.
    expect((await h(event('GET', '/api/v1/tasks', bearer('other')), ctx)).statusCode).toBe(200);
    expect((await handlerFor('auth', limiter)(event('POST', '/api/v1/auth/login', { body: '{}' }), ctx)).statusCode).toBe(200);
  });

  it('charges public routes to the source address at the anonymous limit', async () => {
    const h = handlerFor('auth', limiter);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h(event('POST', '/api/v1/auth/login', { body: '{}' }), ctx)).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    expect(counter.calls.map((c) => [c.key, c.limit])).toEqual([
      ['ip#198.51.100.7', 2],
      ['ip#198.51.100.7', 2],
      ['ip#198.51.100.7', 2],
    ]);
    expect((await h(event('POST', '/api/v1/auth/login', { body: '{}', ip: '198.51.100.8' }), ctx)).statusCode).toBe(200);
  });

  it('charges failed authentication to the address, so a flood of bad tokens turns into 429s', async () => {
    const h = handlerFor('tasks', limiter);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h(event('GET', '/api/v1/tasks', bearer(`forged-${i}`)), ctx)).statusCode);
    expect(statuses).toEqual([401, 401, 429, 429]);
    const none = await h(event('GET', '/api/v1/tasks'), ctx);
    expect(none.statusCode).toBe(429);
    expect(counter.calls.every((c) => c.key === 'ip#198.51.100.7' && c.limit === 2)).toBe(true);
    // Once refused, the container stops writing for that address until the window ends.
    expect(counter.calls).toHaveLength(3);
    // A valid credential from the same address (a shared NAT) still gets through on its own budget.
    expect((await h(event('GET', '/api/v1/tasks', bearer('good')), ctx)).statusCode).toBe(200);
  });

  it('puts the headers on 401, 403, 400 and 404 responses too', async () => {
    const notFound = operation({}, async () => {
      throw new AppError('not_found', 'Task was not found');
    });
    const create = operation({ body: z.strictObject({ name: z.string() }) }, async () => ({ status: 201, body: {} }));
    const h = handlerFor('tasks', new RateLimiter(new InMemoryCounter(), { ...settings, anonymous: 50, free: 50 }, fixedClock()), {
      getTask: notFound,
      createTask: create,
    });
    const cases = [
      [await h(event('GET', '/api/v1/tasks'), ctx), 401, '"anonymous";q=50;w=60'],
      [await h(event('POST', '/api/v1/tasks', { ...bearer('viewer'), body: '{"name":"x"}' }), ctx), 403, '"anonymous";q=50;w=60'],
      [await h(event('POST', '/api/v1/tasks', { ...bearer('good'), body: '{"nope":1}' }), ctx), 400, '"free";q=50;w=60'],
      [await h(event('POST', '/api/v1/tasks', { ...bearer('good'), body: '{"name":' }), ctx), 400, '"anonymous";q=50;w=60'],
      [await h(event('GET', '/api/v1/tasks/{id}', { ...bearer('good'), pathParameters: { id: 'task_x' } }), ctx), 404, '"free";q=50;w=60'],
    ] as const;
    for (const [res, status, policy] of cases) {
      expect(res.statusCode).toBe(status);
      expect(res.headers['RateLimit-Policy']).toBe(policy);
      expect(res.headers['X-RateLimit-Limit']).toBe('50');
      expect(res.headers['X-RateLimit-Remaining']).toMatch(/^\d+$/);
      expect(res.headers['X-RateLimit-Reset']).toMatch(/^\d{10}$/);
      expect(res.headers.RateLimit).toMatch(/^"(free|anonymous)";r=\d+;t=\d+$/);
      expect(res.headers['X-Request-Id']).toBe('req-123');
    }
  });

  it('never counts health, OpenAPI or docs, and sends no rate-limit fields there', async () => {
    const consume = vi.fn<RequestRateLimiter['consume']>();
    const h = handlerFor('system', { consume });
    for (const key of UNLIMITED_ROUTES) {
      const [method, path] = key.split(' ') as [string, string];
      const res = await h(event(method, path), ctx);
      expect(res.statusCode, key).toBe(200);
      expect(Object.keys(res.headers).filter((n) => /ratelimit/i.test(n))).toEqual([]);
    }
    expect(consume).not.toHaveBeenCalled();
  });

  it('names only routes that exist, so a renamed route cannot silently lose its exemption', () => {
    const known = new Set(ROUTES.map(routeKey));
    for (const key of UNLIMITED_ROUTES) expect(known.has(key), key).toBe(true);
  });

  it('fails open with a warning when the store is unavailable: policy fields only, request served', async () => {
    const down = new RateLimiter({ increment: async () => Promise.reject(new Error('connect ECONNREFUSED')) }, settings, fixedClock());
    const h = handlerFor('tasks', down);
    const res = await h(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'X-RateLimit-Limit': '3', 'RateLimit-Policy': '"free";q=3;w=60' });
    expect(res.headers).not.toHaveProperty('X-RateLimit-Remaining');
    expect(res.headers).not.toHaveProperty('RateLimit');
    const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ message: 'rate limiter unavailable; failing open', detail: 'connect ECONNREFUSED', request_id: 'req-123' })]);
    // …and does not flood the log while the outage lasts.
    for (let i = 0; i < 5; i++) await h(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('fails open even if the limiter itself throws, keeping the original error', async () => {
    const broken: RequestRateLimiter = { consume: vi.fn(async () => Promise.reject(new TypeError('bug'))) };
    const h = handlerFor('tasks', broken);
    expect((await h(event('GET', '/api/v1/tasks', bearer('good')), ctx)).statusCode).toBe(200);
    const res = await h(event('GET', '/api/v1/tasks', bearer('forged')), ctx);
    expect(res.statusCode).toBe(401);
    expect(body(res).error.code).toBe('unauthorized');
  });

  it('charges each request exactly once, whatever fails after the charge', async () => {
    const consume = vi.fn<RequestRateLimiter['consume']>(async () => ({
      decision: { policy: 'free', limit: 3, windowSeconds: 60, allowed: true, remaining: 2, resetAt: 1, resetIn: 1 },
    }));
    const boom = operation({}, async () => {
      throw new Error('unexpected');
    });
    const res = await handlerFor('tasks', { consume }, { listTasks: boom })(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(res.statusCode).toBe(500);
    expect(consume).toHaveBeenCalledTimes(1);
    expect(consume).toHaveBeenCalledWith(expect.objectContaining({ credentialId: 'ses_good' }), '198.51.100.7');
    expect(res.headers['X-RateLimit-Remaining']).toBe('2');
  });

  it('does nothing without a limiter (the pipeline option is optional)', async () => {
    const res = await handlerFor('tasks', undefined)(event('GET', '/api/v1/tasks', bearer('good')), ctx);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.headers).filter((n) => /ratelimit/i.test(n))).toEqual([]);
  });
});
