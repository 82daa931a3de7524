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
    // Webhook-triggered, so the attacker's token rotation (POST /workflows/{id}/webhook-token) has something to steal.
    const workflow = (await victim.client.post('/api/v1/workflows', { name: 'secret plans', trigger: { type: 'webhook' }, tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' } }] })).body;
    ids.workflows = workflow.id;
    ids.hookUrl = workflow.webhook_url;
    ids.oauth = `${victim.accountId}.cli_01ARZ3NDEKTSV4RRFFQ69G5FAV`;
    ids.executions = (await victim.client.post(`/api/v1/workflows/${ids.workflows}/run`, { input: { note: 'secret plans' } })).body.execution_id;
    ids.chat = (await victim.client.post('/api/v1/chat', { message: 'add a task called secret plans' })).body?.session_id;
    await victim.client.post(`/api/v1/accounts/${victim.accountId}/secrets`, { key: 'API_KEY', value: 'secret plans' });
    ids.webhooks = (await victim.client.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/secret-plans', events: ['webhook.disabled'], description: 'secret plans' })).body.id;
    // Subscribed to an event the victim never causes, so only this test ping (to a closed port: it fails and is
    // dead-lettered, and pings leave the failure clock alone) touches it; it gives the delivery a replay could target.
    ids.webhookDelivery = (await victim.client.post(`/api/v1/webhooks/${ids.webhooks}/test`)).body.id;
    ids.emailTemplate = (await victim.client.post('/api/v1/email-templates', { id: 'tpl_secret', subject: 'secret plans', text: 'secret plans' })).body.id;
  });

  // Well-formed bodies, so a refusal can only come from authorisation, never from validation.
  const bodyFor = (method: string, path: string): unknown => {
    if (method === 'GET' || method === 'DELETE') return undefined;
    if (path.includes('/secrets')) return method === 'POST' ? { key: 'PWNED', value: 'pwned-value' } : { value: 'pwned-value' };
    if (/\/(workflows|flows)\/\{id\}$/.test(path) && method === 'PUT') return { name: 'pwned', tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' } }] };
    if (path.endsWith('/webhooks/{id}') && method === 'PATCH') return { enabled: false, description: 'pwned' };
    if (path.includes('/approvals/{node_id}')) return { decision: 'approve', comment: 'pwned' };
    if (path.endsWith('/email-templates/{id}') && method === 'PUT') return { subject: 'pwned', text: 'pwned' };
    return method === 'PUT' || method === 'PATCH' ? { name: 'pwned' } : method === 'POST' ? {} : undefined;
  };
  const idRoutes = ROUTES.filter((r) => r.path.includes('{id}'));
  /** Which fixture a path's `{id}` names: runs are started, listed and analysed through their workflow. */
  const fixtureFor = (resource: string, path: string): string | undefined => {
    if (/\/executions\/\{id\}/.test(path)) return ids.executions;
    if (path.includes('/email-templates/{id}')) return ids.emailTemplate;
    if (/\/(workflows|flows|processes|pipelines|analytics\/workflows)\/\{id\}/.test(path)) return ids.workflows;
    return ids[resource];
  };

  it('covers every id-taking route', () => {
    expect(idRoutes.map((r) => r.resource).toSorted()).toEqual(expect.arrayContaining(['tasks', 'users', 'accounts', 'api-keys', 'workflows', 'oauth', 'executions']));
  });

  for (const route of idRoutes) {
    it(`${route.method} ${route.path}`, async () => {
      const id = fixtureFor(route.resource, route.path);
      expect(id, `no fixture id for ${route.method} ${route.path}`).toBeDefined();
      // A valid query too, so a refusal cannot come from validation.
      const query = route.path.includes('/analytics/') ? '?period=24h' : '';
      const path = route.path.replace('{id}', id!).replace('{key}', 'API_KEY').replace('{delivery_id}', ids.webhookDelivery ?? '').replace('{node_id}', 'a') + query;
      const res = await attacker.client.raw(route.method, path, bodyFor(route.method, route.path));
      // Template ids are names within an account: PUT creates the attacker's own template under the same id (docs/api.md#email-templates).
      const ownUpsert = route.method === 'PUT' && route.path.endsWith('/email-templates/{id}');
      expect(ownUpsert ? [201] : [403, 404]).toContain(res.status);
      expect(res.text).not.toContain('secret plans');
      expect(res.text).not.toContain(victim.username);
      // The attacker's own copy goes again, so DELETE below meets only the victim's.
      const cleanup = ownUpsert ? (await attacker.client.raw('DELETE', path)).status : 204;
      expect(cleanup).toBe(204);
    });
  }

  it('left the victim’s data untouched', async () => {
    expect((await victim.client.get(`/api/v1/tasks/${ids.tasks}`)).body).toMatchObject({ name: 'secret plans', version: 1 });
    expect((await victim.client.get(`/api/v1/accounts/${ids.accounts}`)).status).toBe(200);
    expect((await victim.client.get('/api/v1/api-keys')).body.data).toHaveLength(1);
    expect((await victim.client.get('/api/v1/me')).status).toBe(200);
    expect((await victim.client.get(`/api/v1/accounts/${ids.accounts}/secrets`)).body.secrets).toHaveLength(1);
    const run = (await victim.client.get(`/api/v1/executions/${ids.executions}`)).body;
    expect(run).toMatchObject({ workflow_id: ids.workflows, input: { note: 'secret plans' }, redrive_count: 0 });
    expect(run.status).not.toBe('cancelled');
    expect((await victim.client.get(`/api/v1/executions?workflow_id=${ids.workflows}`)).body.total).toBe(1);
    expect((await victim.client.get(`/api/v1/webhooks/${ids.webhooks}`)).body).toMatchObject({ enabled: true, description: 'secret plans', version: 1 });
    const deliveries = (await victim.client.get(`/api/v1/webhooks/${ids.webhooks}/deliveries`)).body.data;
    expect(deliveries.map((d: { id: string; test: boolean }) => [d.id, d.test])).toEqual([[ids.webhookDelivery, true]]);
    expect((await victim.client.get(`/api/v1/email-templates/${ids.emailTemplate}`)).body).toMatchObject({ subject: 'secret plans', text: 'secret plans' });
  });

  it('accepts a webhook token only for its own workflow, and the victim’s token survived the rotation attempts', async () => {
    const own = (await attacker.client.post('/api/v1/workflows', { name: 'mine', trigger: { type: 'webhook' }, tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' } }] })).body;
    const token = String(own.webhook_url).split('/').pop();
    const res = await api().post(`/api/v1/hooks/${ids.workflows}/${token}`, { note: 'pwned' });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('secret plans');
    expect((await api().post(new URL(ids.hookUrl!).pathname, { note: 'still the victim’s' })).status).toBe(202);
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
      const res = await api().raw(route.method, route.path.replace('{id}', 'x').replace('{key}', 'K').replace('{delivery_id}', 'd').replace('{node_id}', 'n'), route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
