import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, unauthorized } from '../../../functions/core/errors.ts';
import { ROLE_SCOPES } from '../../../functions/core/principal.ts';
import { createJsonLogger as createLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { operation, publicOperation, type Operation } from '../../../functions/http/operation.ts';
import { API_PAGE_POLICY } from '../../../functions/http/middleware/page-policy.ts';
import { httpHandler, type PipelineOptions } from '../../../functions/http/pipeline.ts';
import { principal } from '../../support/fakes.ts';
import { MemoryIdempotency } from '../../support/memory-idempotency.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

const verifier = {
  verifyApiKey: vi.fn(async (key: string) => {
    if (key === 'sk_good') return principal({ authMethod: 'api_key' });
    throw unauthorized('The API key is invalid, expired or revoked');
  }),
  verifyAccessToken: vi.fn(async (token: string) => {
    if (token === 'viewer') return principal({ role: 'viewer', scopes: ROLE_SCOPES.viewer });
    if (token === 'good') return principal();
    throw unauthorized('The access token is invalid');
  }),
};


const event = proxyEvent;
const ctx = {} as Context;
const logs: string[] = [];

function handlerWith(ops: Partial<Record<string, Operation>>, extra: Partial<PipelineOptions> = {}) {
  const noop = operation({}, async () => ({ status: 200, body: {} }));
  const all: Record<string, Operation> = {
    listTasks: noop, createTask: noop, getTask: noop, replaceTask: noop, patchTask: noop, deleteTask: noop,
    ...(ops as Record<string, Operation>),
  };
  return httpHandler('tasks', all, { verifier: () => verifier, logger: createLogger('debug', (l) => logs.push(l)), ...extra });
}

describe('httpHandler', () => {
  const create = operation(
    { body: z.strictObject({ name: z.string() }), query: z.object({ limit: z.coerce.number().max(100).optional() }) },
    async ({ body, principal: p }) => ({ status: 201, body: { name: body.name, account: p.accountId } }),
  );

  it('dispatches by route, validates and authenticates', async () => {
    const res = await handlerWith({ createTask: create })(
      event('POST', '/api/v1/tasks', { headers: { Authorization: 'Bearer good' }, body: '{"name":"x"}' }),
      ctx,
    );
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ name: 'x', account: principal().accountId });
    expect(res.headers['X-Request-Id']).toBe('req-123');
    expect(res.headers['Content-Type']).toContain('application/json');
  });

  it('decodes base64 bodies and form-encoded bodies', async () => {
    const h = handlerWith({ createTask: create });
    const b64 = await h(event('POST', '/api/v1/tasks', { headers: { authorization: 'good' }, body: Buffer.from('{"name":"b"}').toString('base64'), isBase64Encoded: true }), ctx);
    expect(JSON.parse(b64.body).name).toBe('b');
    const form = await h(event('POST', '/api/v1/tasks', { headers: { authorization: 'good', 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=f' }), ctx);
    expect(JSON.parse(form.body).name).toBe('f');
  });

  it.each([
    ['malformed JSON', { body: '{"name":' }, 400, 'invalid_json', undefined],
    ['unknown field', { body: '{"name":"x","extra":1}' }, 400, 'validation_error', 'extra'],
    ['wrong type', { body: '{"name":5}' }, 400, 'validation_error', 'name'],
    ['limit over 100', { body: '{"name":"x"}', queryStringParameters: { limit: '101' } }, 400, 'validation_error', 'limit'],
    ['body over 1 MB', { body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }) }, 413, 'payload_too_large', undefined],
  ] as const)('%s → %i %s', async (_name, init, status, code, field) => {
    const res = await handlerWith({ createTask: create })(
      event('POST', '/api/v1/tasks', { headers: { Authorization: 'Bearer good' }, ...init }),
      ctx,
    );
    expect(res.statusCode).toBe(status);
    const body = JSON.parse(res.body);
    expect(body.error).toMatchObject({ code, request_id: 'req-123' });
    expect(body.error.field).toBe(field);
    expect(res.headers['X-Request-Id']).toBe('req-123');
  });

  it('refuses missing or invalid credentials with 401 and insufficient scope with 403', async () => {
    const h = handlerWith({ createTask: create });
    const none = await h(event('POST', '/api/v1/tasks', { body: '{"name":"x"}' }), ctx);
    expect(none.statusCode).toBe(401);
    expect(none.headers['WWW-Authenticate']).toContain('Bearer');
    const bad = await h(event('POST', '/api/v1/tasks', { headers: { Authorization: 'Bearer nope' }, body: '{"name":"x"}' }), ctx);
    expect(bad.statusCode).toBe(401);
    const viewer = await h(event('POST', '/api/v1/tasks', { headers: { Authorization: 'Bearer viewer' }, body: '{"name":"x"}' }), ctx);
    expect(viewer.statusCode).toBe(403);
    expect(JSON.parse(viewer.body).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('tasks:write') });
  });

  it('turns unexpected errors into a 500 without leaking the stack, and logs it', async () => {
    const boom = operation({}, async () => {
      throw new Error('secret internal detail at /var/task/index.js:1');
    });
    const res = await handlerWith({ listTasks: boom })(event('GET', '/api/v1/tasks', { headers: { Authorization: 'good' } }), ctx);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(JSON.parse(res.body).error).toEqual({ code: 'internal_error', message: 'An unexpected error occurred', request_id: 'req-123' });
    expect(logs.some((l) => l.includes('secret internal detail'))).toBe(true);
  });

  it('adds security and CORS headers to errors too', async () => {
    const res = await handlerWith({})(event('GET', '/api/v1/tasks'), ctx);
    expect(res.statusCode).toBe(401);
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(Object.values(res.headers).every((v) => typeof v === 'string')).toBe(true);
  });

  it('gives an HTML answer the page policy that runs nothing, unless its operation states its own', async () => {
    const html = (headers: Record<string, string>) => operation({}, async () => ({ status: 200, text: '<!doctype html><p>hi</p>', headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } }));
    const plain = await handlerWith({ listTasks: html({}) })(event('GET', '/api/v1/tasks', { headers: { Authorization: 'good' } }), ctx);
    expect(plain.headers['Content-Security-Policy']).toBe(API_PAGE_POLICY);
    expect(plain.headers['Content-Security-Policy']).toContain('sandbox');
    const own = "default-src 'none'; script-src 'self'";
    const page = await handlerWith({ listTasks: html({ 'Content-Security-Policy': own }) })(event('GET', '/api/v1/tasks', { headers: { Authorization: 'good' } }), ctx);
    expect(page.headers['Content-Security-Policy']).toBe(own);
    expect(page.headers['X-Content-Type-Options']).toBe('nosniff');
    // JSON answers, errors included, carry no page policy: there is nothing to run.
    const json = await handlerWith({})(event('GET', '/api/v1/tasks'), ctx);
    expect(json.headers['Content-Security-Policy']).toBeUndefined();
  });

  it('maps AppError details, headers and retry_after into the one shape', async () => {
    const limited = operation({}, async () => {
      throw new AppError('rate_limit_exceeded', 'Slow down', { details: { retry_after: 42 }, headers: { 'Retry-After': '42' } });
    });
    const res = await handlerWith({ listTasks: limited })(event('GET', '/api/v1/tasks', { headers: { Authorization: 'good' } }), ctx);
    expect(res.statusCode).toBe(429);
    expect(res.headers['Retry-After']).toBe('42');
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'rate_limit_exceeded', retry_after: 42, details: { retry_after: 42 } });
  });

  it('fails at construction when an operation is missing or disagrees with the route table', () => {
    expect(() => httpHandler('tasks', {}, { verifier: () => verifier })).toThrow(/no operation 'listTasks'/);
    const pub = publicOperation({}, async () => ({ status: 200 }));
    expect(() => handlerWith({ listTasks: pub })).toThrow(/disagrees with the route table/);
  });

  it('accepts X-API-Key in place of a bearer token', async () => {
    const h = handlerWith({ createTask: create });
    const ok = await h(event('POST', '/api/v1/tasks', { headers: { 'X-API-Key': 'sk_good' }, body: '{"name":"k"}' }), ctx);
    expect(ok.statusCode).toBe(201);
    const bad = await h(event('POST', '/api/v1/tasks', { headers: { 'x-api-key': 'sk_bad' }, body: '{"name":"k"}' }), ctx);
    expect(bad.statusCode).toBe(401);
  });

  describe('Idempotency-Key on a create route', () => {
    const setup = () => {
      const store = new MemoryIdempotency();
      let n = 0;
      const counted = operation({ body: z.strictObject({ name: z.string() }) }, async ({ body }) => ({ status: 201, body: { id: `t${++n}`, name: body.name }, headers: { Location: `/api/v1/tasks/t${n}` } }));
      return { store, h: handlerWith({ createTask: counted }, { idempotency: store }), calls: () => n };
    };
    const post = (body: string, key?: string) => event('POST', '/api/v1/tasks', { headers: { Authorization: 'Bearer good', ...(key ? { 'Idempotency-Key': key } : {}) }, body });

    it('a retry with the same key and body replays the first answer with every response header, without creating again', async () => {
      const { h, calls } = setup();
      const first = await h(post('{"name":"x"}', 'k1'), ctx);
      const again = await h(post('{ "name": "x" }', 'k1'), ctx);
      expect(calls()).toBe(1);
      expect(again.statusCode).toBe(201);
      expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
      expect(again.headers).toMatchObject({ Location: '/api/v1/tasks/t1', 'Idempotent-Replayed': 'true', 'X-Request-Id': 'req-123', 'X-Content-Type-Options': 'nosniff' });
      expect(first.headers['Idempotent-Replayed']).toBeUndefined();
    });

    it('the same key with another body is a 409 naming the header; requests without a key always run', async () => {
      const { h, calls } = setup();
      await h(post('{"name":"x"}', 'k1'), ctx);
      const other = await h(post('{"name":"y"}', 'k1'), ctx);
      expect(other.statusCode).toBe(409);
      expect(JSON.parse(other.body).error).toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });
      await h(post('{"name":"x"}'), ctx);
      await h(post('{"name":"x"}'), ctx);
      expect(calls()).toBe(3);
    });

    it('an invalid body is refused before the key is claimed, so the corrected request may use it', async () => {
      const { h, store, calls } = setup();
      const bad = await h(post('{"name":5}', 'k1'), ctx);
      expect(bad.statusCode).toBe(400);
      expect(store.items.size).toBe(0);
      expect((await h(post('{"name":"ok"}', 'k1'), ctx)).statusCode).toBe(201);
      expect(calls()).toBe(1);
    });

    it('a key over 255 characters is a 400 naming the header', async () => {
      const { h, calls } = setup();
      const res = await h(post('{"name":"x"}', 'k'.repeat(256)), ctx);
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'validation_error', field: 'Idempotency-Key' });
      expect(calls()).toBe(0);
    });
  });
});
