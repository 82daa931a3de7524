import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lib/definitions/routes.ts';
import { api, newAccount } from '../support/api-client.ts';

/** The gateway's own 401 (the local server runs the same authorizer code API Gateway runs). */
function expectGatewayUnauthorized(res: { status: number; body: any; headers: Headers }) {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'Unauthorized', request_id: expect.stringMatching(/^req_/) } });
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

describe('Lambda authorizer and usage keys (end to end)', () => {
  let operator: ReturnType<typeof api>;
  beforeAll(async () => {
    await api().post('/api/v1/auth/register', { username: 'e2e-operator', password: 'operator-pass-1' });
    const res = await api().post('/api/v1/auth/login', { username: 'e2e-operator', password: 'operator-pass-1' });
    operator = api(res.body.token);
  });

  it('stops missing and forged credentials at the gateway on every route with a scope', async () => {
    expectGatewayUnauthorized(await api().get('/api/v1/tasks'));
    expectGatewayUnauthorized(await api('forged.jwt.token').get('/api/v1/me'));
    expectGatewayUnauthorized(await api().raw('GET', '/api/v1/tasks', undefined, { 'X-API-Key': 'sk_not_a_real_key' }));
    const scoped = ROUTES.filter((r) => r.scope !== null);
    for (const route of scoped.slice(0, 10)) {
      const res = await api('forged').raw(route.method, route.path.replace('{id}', 'x').replace('{key}', 'k'), route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      expectGatewayUnauthorized(res);
    }
  });

  it('lets a valid credential through to the function, which verifies it again', async () => {
    const { client } = await newAccount('authz');
    expect((await client.get('/api/v1/tasks')).status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  it('leaves public routes to the function, whatever credential is sent', async () => {
    const { username, password } = await newAccount('authzpub');
    expect((await api('forged').post('/api/v1/auth/login', { username, password })).status).toBe(200);
    expect((await api('forged').get('/health')).status).toBe(200);
  });

  it('never shows an account’s usage-plan key in any response', async () => {
    const email = `keyless${Date.now()}@example.com`;
    const created = await operator.post('/api/v1/accounts', { name: 'Keyed', email, password: 'your-password-1', plan: 'enterprise' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const responses = [
      created,
      await operator.get(`/api/v1/accounts/${id}`),
      await operator.get('/api/v1/accounts?limit=100'),
      await operator.put(`/api/v1/accounts/${id}`, { plan: 'free' }),
    ];
    for (const res of responses) {
      expect(res.status).toBeLessThan(300);
      expect(res.text).not.toMatch(/gateway_key|gatewayKey|usage-key/i);
    }
    expect(responses[3]!.body.plan).toBe('free');
    expect((await operator.delete(`/api/v1/accounts/${id}`)).status).toBe(200);
  });
});
