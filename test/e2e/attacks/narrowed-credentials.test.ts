import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, apiKey, clientCredentials, jwtBearerClient, newAccount, PASSWORD, type Account, type Client } from './support.ts';

/**
 * Issue 13 #1 (High): a read-only credential of an admin must not take over the account. Every
 * write to users, API keys, OAuth clients, secrets and accounts needs `admin:full` on top of the
 * role (or, for your own profile and keys, a credential not narrowed below its role).
 */
describe('issue 13 #1 (High): a narrowed credential of an admin cannot manage identities', () => {
  let admin: Account;
  let viewer: Awaited<ReturnType<typeof addUser>>;
  let member: Awaited<ReturnType<typeof addUser>>;
  let fullKey: Awaited<ReturnType<typeof apiKey>>;
  let viewerKeyId: string;
  const attackers: Record<string, Client> = {};

  beforeAll(async () => {
    admin = await newAccount('scopeatk');
    viewer = await addUser(admin, 'viewer');
    member = await addUser(admin, 'member');
    fullKey = await apiKey(admin.client, ['admin:full']);
    viewerKeyId = (await apiKey(viewer.client, ['tasks:read'])).id;
    attackers['API key scoped tasks:read'] = (await apiKey(admin.client, ['tasks:read'])).client;
    attackers['client_credentials token scoped tasks:read'] = api((await clientCredentials(admin.client, ['tasks:read'])).token);
    const bearer = await jwtBearerClient(admin.client, ['tasks:read']);
    const granted = await bearer.grant(await bearer.assertion({ sub: admin.userId, scope: 'tasks:read' }));
    if (granted.status !== 200) throw new Error(`jwt-bearer grant: ${granted.status} ${JSON.stringify(granted.body)}`);
    attackers['jwt-bearer token of the admin scoped tasks:read'] = api(granted.body.access_token);
  });

  const kinds = ['API key scoped tasks:read', 'client_credentials token scoped tasks:read', 'jwt-bearer token of the admin scoped tasks:read'];

  describe.each(kinds)('with %s', (kind) => {
    const attacker = () => attackers[kind]!;
    const expectRefused = (res: { status: number; body: any }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    };

    it('cannot promote a viewer to admin (PATCH and PUT)', async () => {
      expectRefused(await attacker().patch(`/api/v1/users/${viewer.id}`, { role: 'admin' }));
      expectRefused(await attacker().put(`/api/v1/users/${viewer.id}`, { role: 'admin' }));
      expect((await admin.client.get(`/api/v1/users/${viewer.id}`)).body.role).toBe('viewer');
    });

    it('cannot reset another user’s password', async () => {
      expectRefused(await attacker().patch(`/api/v1/users/${member.id}`, { password: 'attacker-chosen-password' }));
      expect((await api().post('/api/v1/auth/login', { username: member.email, password: 'attacker-chosen-password' })).status).toBe(401);
      expect((await api().post('/api/v1/auth/login', { username: member.email, password: PASSWORD })).status).toBe(200);
    });

    it('cannot deactivate a user', async () => {
      expectRefused(await attacker().patch(`/api/v1/users/${member.id}`, { active: false }));
      expect((await member.client.get('/api/v1/me')).status).toBe(200);
    });

    it('cannot read another user’s profile', async () => {
      expectRefused(await attacker().get(`/api/v1/users/${member.id}`));
    });

    it('cannot delete the admin’s full API key', async () => {
      const res = await attacker().delete(`/api/v1/api-keys/${fullKey.id}`);
      expect([403, 404]).toContain(res.status);
      expect((await fullKey.client.get('/api/v1/tasks')).status).toBe(200);
    });

    it('cannot mint a new API key', async () => {
      expectRefused(await attacker().post('/api/v1/api-keys', { name: 'escalate', scopes: ['tasks:read'] }));
    });

    it('cannot list the keys of other users', async () => {
      const res = await attacker().get('/api/v1/api-keys');
      expect(res.status).toBe(200);
      expect(res.body.data.map((k: { id: string }) => k.id)).not.toContain(viewerKeyId);
    });

    it('cannot write account secrets', async () => {
      expectRefused(await attacker().post(`/api/v1/accounts/${admin.accountId}/secrets`, { key: 'STOLEN', value: 'attacker-value-123' }));
      expectRefused(await attacker().put(`/api/v1/accounts/${admin.accountId}/secrets/STOLEN`, { value: 'attacker-value-123' }));
      expectRefused(await attacker().delete(`/api/v1/accounts/${admin.accountId}/secrets/STOLEN`));
    });

    it('cannot register or delete OAuth clients, or rename the account', async () => {
      expectRefused(await attacker().post('/api/v1/oauth/clients', { name: 'x', scopes: ['tasks:read'] }));
      expectRefused(await attacker().put(`/api/v1/accounts/${admin.accountId}`, { name: 'pwned' }));
    });
  });

  it('the admin’s own session still does all of it; members still edit themselves', async () => {
    const other = await addUser(admin, 'viewer');
    expect((await admin.client.patch(`/api/v1/users/${other.id}`, { role: 'member' })).status).toBe(200);
    expect((await admin.client.get(`/api/v1/users/${other.id}`)).status).toBe(200);
    const key = await apiKey(admin.client, ['tasks:read']);
    expect((await admin.client.delete(`/api/v1/api-keys/${key.id}`)).status).toBe(204);
    expect((await fullKey.client.patch(`/api/v1/users/${other.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await member.client.patch(`/api/v1/users/${member.id}`, { name: 'Renamed' })).status).toBe(200);
    const own = await apiKey(member.client, ['tasks:read']);
    expect((await member.client.delete(`/api/v1/api-keys/${own.id}`)).status).toBe(204);
  });

  it('a narrowed key cannot rename its own user or revoke its owner’s other keys', async () => {
    const narrow = await apiKey(member.client, ['tasks:read']);
    const sibling = await apiKey(member.client, ['tasks:read', 'tasks:write']);
    const res = await narrow.client.delete(`/api/v1/api-keys/${sibling.id}`);
    expect(res.status).toBe(403);
    expect((await sibling.client.get('/api/v1/tasks')).status).toBe(200);
    expect((await narrow.client.patch(`/api/v1/users/${member.id}`, { name: 'Narrowed' })).status).toBe(403);
  });
});
