import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESOURCES, type Resource } from '../../../../lib/definitions/routes.ts';
import { createLocalApi } from '../../../../functions/adapters/local/api-gateway-server.ts';
import type { HttpHandler } from '../../../../functions/http/pipeline.ts';

const seen: APIGatewayProxyEvent[] = [];
const echo: HttpHandler = async (event) => {
  seen.push(event);
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ok: true }) };
};
const authorizer = vi.fn(async (event: APIGatewayRequestAuthorizerEvent) => {
  const auth = event.headers?.authorization ?? event.headers?.Authorization;
  if (auth === 'Bearer boom') throw new Error('DynamoDB unreachable');
  if (auth !== 'Bearer good') throw new Error('Unauthorized');
  return {
    principalId: 'usr_1',
    policyDocument: { Version: '2012-10-17', Statement: [] },
    context: { accountId: 'acct_1', role: 'admin', scopes: 'tasks:read tasks:write' },
    usageIdentifierKey: 'usage-key',
  };
});

let server: Server;
let base: string;

beforeAll(async () => {
  const handlers = Object.fromEntries(RESOURCES.map((r) => [r, echo])) as Record<Resource, HttpHandler>;
  server = createLocalApi({ handlers, authorizer });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  authorizer.mockClear();
});

const get = (path: string, authorization?: string) => fetch(`${base}${path}`, { headers: authorization ? { Authorization: authorization } : {} });

describe('local API Gateway: the Lambda authorizer', () => {
  it('runs the authorizer before a route with a scope and hands its context to the function', async () => {
    const res = await get('/api/v1/tasks?status=pending', 'Bearer good');
    expect(res.status).toBe(200);
    const [event] = authorizer.mock.calls[0]!;
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:local:000000000000:local/local/GET/api/v1/tasks',
      resource: '/api/v1/tasks',
      httpMethod: 'GET',
      queryStringParameters: { status: 'pending' },
    });
    expect(event).not.toHaveProperty('body');
    expect(seen[0]?.requestContext.authorizer).toEqual({ principalId: 'usr_1', accountId: 'acct_1', role: 'admin', scopes: 'tasks:read tasks:write' });
  });

  it('answers a rejected credential itself with 401 in the API’s error shape; the function never runs', async () => {
    const res = await get('/api/v1/tasks', 'Bearer forged');
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body).toEqual({ error: { code: 'unauthorized', message: 'Unauthorized', request_id: expect.stringMatching(/^req_/) } });
    expect(res.headers.get('x-request-id')).toBe(body.error.request_id);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="stepwise"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(seen).toEqual([]);
    expect((await get('/api/v1/me')).status).toBe(401);
  });

  it('answers 500, not 401, when the authorizer fails for another reason', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await get('/api/v1/tasks', 'Bearer boom')).status).toBe(500);
    expect(seen).toEqual([]);
    quiet.mockRestore();
  });

  it('leaves public routes open, with no authorizer context', async () => {
    for (const path of ['/health', '/api/v1/openapi.json', '/.well-known/jwks.json']) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect(authorizer).not.toHaveBeenCalled();
    expect(seen.every((e) => e.requestContext.authorizer === null)).toBe(true);
  });
});

describe('local API Gateway: refusals as the stage’s gateway responses (issue 13 #9, Medium)', () => {
  const deny = vi.fn(async (event: APIGatewayRequestAuthorizerEvent) => {
    if (event.headers?.['X-API-Key'] === 'over') throw new Error('Unauthorized');
    return {
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny' as const, Action: 'execute-api:Invoke', Resource: '*' }] },
      context: { message: 'Unauthorized', rateLimitLimit: '20', rateLimitRemaining: '7', rateLimitReset: '1767225660', rateLimitPolicy: '"anonymous";q=20;w=60', rateLimitState: '"anonymous";r=7;t=42' },
    };
  });
  let limitedServer: Server;
  let limitedBase: string;
  beforeAll(async () => {
    const handlers = Object.fromEntries(RESOURCES.map((r) => [r, echo])) as Record<Resource, HttpHandler>;
    limitedServer = createLocalApi({ handlers, authorizer: deny, anonymousLimit: { anonymous: 20, windowSeconds: 60 } });
    await new Promise<void>((resolve) => limitedServer.listen(0, '127.0.0.1', () => resolve()));
    limitedBase = `http://127.0.0.1:${(limitedServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    limitedServer.closeAllConnections();
    await new Promise((resolve) => limitedServer.close(resolve));
  });

  it('a Deny is a 401 whose rate-limit fields come from the authorizer’s context', async () => {
    const res = await fetch(`${limitedBase}/api/v1/tasks`, { headers: { 'X-API-Key': 'bad' } });
    expect(res.status).toBe(401);
    expect(Object.fromEntries(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-policy', 'ratelimit', 'www-authenticate'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '7',
      'x-ratelimit-reset': '1767225660',
      'ratelimit-policy': '"anonymous";q=20;w=60',
      ratelimit: '"anonymous";r=7;t=42',
      'www-authenticate': 'Bearer realm="stepwise"',
    });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(seen).toEqual([]);
  });

  it('Unauthorized is the 429 of an address over its anonymous budget', async () => {
    const res = await fetch(`${limitedBase}/api/v1/tasks`, { headers: { 'X-API-Key': 'over' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('ratelimit-policy')).toBe('"anonymous";q=20;w=60');
    expect(await res.json()).toEqual({
      error: { code: 'rate_limit_exceeded', message: 'Rate limit exceeded. Please retry after 60 seconds.', details: { retry_after: 60 }, retry_after: 60, request_id: expect.stringMatching(/^req_/) },
    });
  });

  it('issue 15 #4: a CORS preflight carries X-Request-Id', async () => {
    const res = await fetch(`${limitedBase}/api/v1/tasks`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('local API Gateway: query and header names that are Object.prototype members (issue 13 #14, Low)', () => {
  const names = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

  it.each(names)('passes a query parameter and a header named %s through as plain data', async (name) => {
    // node:http rather than fetch: fetch silently drops a header named __proto__.
    const status = await new Promise<number>((resolve, reject) => {
      request(`${base}/health?${name}=1&${name}=2&ok=yes`, { headers: Object.fromEntries([[name, 'h']]) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const event = seen.at(-1)!;
    expect(Object.hasOwn(event.queryStringParameters!, name)).toBe(true);
    expect(event.queryStringParameters![name]).toBe('2');
    expect(event.multiValueQueryStringParameters![name]).toEqual(['1', '2']);
    expect(event.queryStringParameters!.ok).toBe('yes');
    const header = Object.keys(event.headers).find((k) => k.toLowerCase() === name.toLowerCase())!;
    expect(event.headers[header]).toBe('h');
    expect(event.multiValueHeaders[header]).toEqual(['h']);
  });
});
