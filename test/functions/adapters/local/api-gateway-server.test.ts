import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
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
