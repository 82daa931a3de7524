import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lib/definitions/routes.ts';
import { api, newAccount } from '../support/api-client.ts';

/**
 * Broken object-level authorisation: every route that takes an id is called by a second account
 * with the first account's ids. The answer is 404 or 403, never the data, and nothing changes.
 */
describe('BOLA: another account’s ids', () => {
  let victim: Awaited<ReturnType<typeof newAccount>>;
  let attacker: Awaited<ReturnType<typeof newAccount>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [victim, attacker] = await Promise.all([newAccount('victim'), newAccount('attacker')]);
    ids.tasks = (await victim.client.post('/api/v1/tasks', { name: 'secret plans' })).body.id;
    ids.users = victim.userId;
    ids.accounts = victim.accountId;
    ids['api-keys'] = (await victim.client.post('/api/v1/api-keys', { name: 'k', scopes: ['tasks:read'] })).body.id;
    ids.workflows = (await victim.client.post('/api/v1/workflows', { name: 'secret plans', tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' } }] })).body.id;
    ids.oauth = `${victim.accountId}.cli_01ARZ3NDEKTSV4RRFFQ69G5FAV`;
    await victim.client.post(`/api/v1/accounts/${victim.accountId}/secrets`, { key: 'API_KEY', value: 'secret plans' });
  });

  // Well-formed bodies, so a refusal can only come from authorisation, never from validation.
  const bodyFor = (method: string, path: string): unknown => {
    if (method === 'GET' || method === 'DELETE') return undefined;
    if (path.includes('/secrets')) return method === 'POST' ? { key: 'PWNED', value: 'x' } : { value: 'pwned' };
    if (/\/(workflows|flows)\/\{id\}$/.test(path) && method === 'PUT') return { name: 'pwned', tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' } }] };
    return method === 'PUT' || method === 'PATCH' ? { name: 'pwned' } : method === 'POST' ? {} : undefined;
  };
  const idRoutes = ROUTES.filter((r) => r.path.includes('{id}'));

  it('covers every id-taking route', () => {
    expect(idRoutes.map((r) => r.resource).toSorted()).toEqual(expect.arrayContaining(['tasks', 'users', 'accounts', 'api-keys', 'workflows', 'oauth']));
  });

  for (const route of idRoutes) {
    it(`${route.method} ${route.path}`, async () => {
      const id = ids[route.resource];
      expect(id, `no fixture id for ${route.resource}`).toBeDefined();
      const path = route.path.replace('{id}', id!).replace('{key}', 'API_KEY');
      const res = await attacker.client.raw(route.method, path, bodyFor(route.method, route.path));
      expect([403, 404]).toContain(res.status);
      expect(res.text).not.toContain('secret plans');
      expect(res.text).not.toContain(victim.username);
    });
  }

  it('left the victim’s data untouched', async () => {
    expect((await victim.client.get(`/api/v1/tasks/${ids.tasks}`)).body).toMatchObject({ name: 'secret plans', version: 1 });
    expect((await victim.client.get(`/api/v1/accounts/${ids.accounts}`)).status).toBe(200);
    expect((await victim.client.get('/api/v1/api-keys')).body.data).toHaveLength(1);
    expect((await victim.client.get('/api/v1/me')).status).toBe(200);
    expect((await victim.client.get(`/api/v1/accounts/${ids.accounts}/secrets`)).body.secrets).toHaveLength(1);
  });
});

describe('route × role × scope matrix', () => {
  const roles = ['viewer', 'member', 'admin'] as const;
  const clients: Record<string, ReturnType<typeof api>> = {};

  beforeAll(async () => {
    const admin = await newAccount('matrix');
    clients.admin = admin.client;
    for (const role of ['viewer', 'member'] as const) {
      const email = `${admin.username}.${role}@example.com`;
      await admin.client.post('/api/v1/users', { email, password: 'matrix-pass-1', role });
      const res = await api().post('/api/v1/auth/login', { username: email, password: 'matrix-pass-1' });
      clients[role] = api(res.body.token);
    }
  });

  // Collection routes (no id) whose outcome depends only on role and scope.
  const probes = ROUTES.filter((r) => r.scope !== null && !r.path.includes('{') && r.method === 'GET' && r.path.startsWith('/api/v1/'));

  for (const route of probes) {
    for (const role of roles) {
      const rank = ['viewer', 'member', 'admin', 'platform_admin'];
      const allowed = rank.indexOf(role) >= rank.indexOf(route.role!);
      it(`${role} ${route.method} ${route.path} → ${allowed ? 'allowed' : '403'}`, async () => {
        const res = await clients[role]!.get(route.path);
        expect({ status: res.status, code: res.body?.error?.code }).toEqual(allowed ? { status: 200, code: undefined } : { status: 403, code: 'forbidden' });
      });
    }
  }

  it('a viewer cannot write and an anonymous caller cannot read', async () => {
    expect((await clients.viewer!.post('/api/v1/tasks', { name: 'x' })).status).toBe(403);
    expect((await clients.member!.post('/api/v1/users', { email: 'z@z.io', password: 'password-1' })).status).toBe(403);
    for (const route of ROUTES.filter((r) => r.scope !== null)) {
      const res = await api().raw(route.method, route.path.replace('{id}', 'x').replace('{key}', 'K'), route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
