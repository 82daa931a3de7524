import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

async function login(username: string, password: string) {
  const res = await api().post('/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return api(res.body.token);
}

describe('API keys (end to end)', () => {
  let owner: Account;
  beforeAll(async () => {
    owner = await newAccount('keys');
  });

  it('creates a key shown once, authenticates with X-API-Key within its scopes, and revokes it', async () => {
    const created = await owner.client.post('/api/v1/api-keys', { name: 'ci', scopes: ['tasks:read'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sk_/);
    expect(created.body).toMatchObject({ name: 'ci', scopes: ['tasks:read'], last_used_at: null });
    const key = created.body.key as string;

    const withKey = (method: 'get' | 'post', path: string, body?: unknown) =>
      api().raw(method.toUpperCase(), path, body, { 'X-API-Key': key });
    expect((await withKey('get', '/api/v1/tasks')).status).toBe(200);
    const denied = await withKey('post', '/api/v1/tasks', { name: 'nope' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');

    const listed = await owner.client.get('/api/v1/api-keys');
    const entry = listed.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'ci', prefix: expect.stringMatching(/^sk_/), scopes: ['tasks:read'] });
    expect(entry.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(key.split('.')[2]);

    expect((await owner.client.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await withKey('get', '/api/v1/tasks')).status).toBe(401);
  });

  it('rejects keys with scopes the creator lacks, bad scopes and past expiry', async () => {
    expect((await owner.client.post('/api/v1/api-keys', { name: 'x', scopes: ['root'] })).body.error.field).toBe('scopes.0');
    expect((await owner.client.post('/api/v1/api-keys', { name: 'x', scopes: [] })).body.error.field).toBe('scopes');
    expect((await owner.client.post('/api/v1/api-keys', { name: 'x', scopes: ['tasks:read'], expires_at: '2001-01-01T00:00:00Z' })).body.error.field).toBe('expires_at');
  });
});

describe('users (end to end)', () => {
  let admin: Account;
  beforeAll(async () => {
    admin = await newAccount('boss');
  });

  it('lets an admin add users with AstraFlow’s body, list and filter them', async () => {
    const email = `${admin.username}.m@example.com`;
    const created = await admin.client.post('/api/v1/users', { email, password: 'member-pass-1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'member', active: true });
    expect(created.body.id).toMatch(/^usr_/);
    expect(created.body.created_at).toEqual(expect.any(String));
    const viewer = await admin.client.post('/api/v1/users', { email: `${admin.username}.v@example.com`, password: 'viewer-pass-1', role: 'viewer' });
    expect(viewer.body.role).toBe('viewer');
    const all = await admin.client.get('/api/v1/users');
    expect(all.body.pagination.total).toBe(3);
    expect(all.body.users).toEqual(all.body.data);
    const viewers = await admin.client.get('/api/v1/users?role=viewer&active=true');
    expect(viewers.body.data.map((u: { email: string }) => u.email)).toEqual([`${admin.username}.v@example.com`]);
    expect((await admin.client.get('/api/v1/users?active=maybe')).body.error.field).toBe('active');
  });

  it('enforces roles: members manage only themselves, viewers cannot write', async () => {
    const email = `${admin.username}.r@example.com`;
    const { body: member } = await admin.client.post('/api/v1/users', { email, password: 'member-pass-1' });
    const asMember = await login(email, 'member-pass-1');
    expect((await asMember.get('/api/v1/users')).status).toBe(403);
    expect((await asMember.get(`/api/v1/users/${member.id}`)).status).toBe(200);
    expect((await asMember.get(`/api/v1/users/${admin.userId}`)).status).toBe(403);
    expect((await asMember.patch(`/api/v1/users/${member.id}`, { name: 'Mo' })).body.name).toBe('Mo');
    expect((await asMember.patch(`/api/v1/users/${member.id}`, { role: 'admin' })).status).toBe(403);
    expect((await asMember.post('/api/v1/tasks', { name: 'member task' })).status).toBe(201);

    const vEmail = `${admin.username}.vw@example.com`;
    await admin.client.post('/api/v1/users', { email: vEmail, password: 'viewer-pass-1', role: 'viewer' });
    const asViewer = await login(vEmail, 'viewer-pass-1');
    expect((await asViewer.get('/api/v1/tasks')).status).toBe(200);
    expect((await asViewer.post('/api/v1/tasks', { name: 'x' })).status).toBe(403);
  });

  it('deactivating a user stops their tokens and keys at once', async () => {
    const email = `${admin.username}.d@example.com`;
    const { body: user } = await admin.client.post('/api/v1/users', { email, password: 'member-pass-1' });
    const asUser = await login(email, 'member-pass-1');
    const key = (await asUser.post('/api/v1/api-keys', { name: 'k', scopes: ['tasks:read'] })).body.key as string;
    expect((await api().raw('GET', '/api/v1/tasks', undefined, { 'X-API-Key': key })).status).toBe(200);
    expect((await admin.client.patch(`/api/v1/users/${user.id}`, { active: false })).body.active).toBe(false);
    expect((await asUser.get('/api/v1/tasks')).status).toBe(401);
    expect((await api().raw('GET', '/api/v1/tasks', undefined, { 'X-API-Key': key })).status).toBe(401);
    expect((await api().post('/api/v1/auth/login', { username: email, password: 'member-pass-1' })).status).toBe(401);
    expect((await admin.client.delete(`/api/v1/users/${user.id}`)).status).toBe(204);
    expect((await admin.client.get(`/api/v1/users/${user.id}`)).status).toBe(404);
  });
});

describe('accounts (end to end)', () => {
  let operator: ReturnType<typeof api>;
  beforeAll(async () => {
    const anon = api();
    await anon.post('/api/v1/auth/register', { username: 'e2e-operator', password: 'operator-pass-1' });
    operator = await login('e2e-operator', 'operator-pass-1');
  });

  it('lets the platform admin create and list accounts with FlowRunner’s body', async () => {
    const email = `tenant${Date.now()}@example.com`;
    const created = await operator.post('/api/v1/accounts', { name: 'New Account', email, password: 'your-password', role: 'user' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'New Account', email, plan: 'free' });
    const list = await operator.get('/api/v1/accounts?limit=100');
    expect(list.body.accounts.map((a: { id: string }) => a.id)).toContain(created.body.id);
    const owner = await login(email, 'your-password');
    expect((await owner.get('/api/v1/me')).body.role).toBe('admin');
    expect((await operator.put(`/api/v1/accounts/${created.body.id}`, { plan: 'enterprise' })).body.plan).toBe('enterprise');
  });

  it('shows an account admin only their own account and lets them rename and delete it', async () => {
    const a = await newAccount('acct');
    const list = await a.client.get('/api/v1/accounts');
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([a.accountId]);
    // Any signed-in user may create another account (as registering would); only a paid plan is the operators'.
    const other = await a.client.post('/api/v1/accounts', { name: 'x', email: `x${a.username}@x.io`, password: 'password-1' });
    expect(other.status).toBe(201);
    expect((await a.client.get(`/api/v1/accounts/${other.body.id}`)).status).toBe(404);
    expect((await a.client.post('/api/v1/accounts', { name: 'y', email: `y${a.username}@x.io`, password: 'password-1', plan: 'enterprise' })).status).toBe(403);
    expect((await a.client.put(`/api/v1/accounts/${a.accountId}`, { plan: 'enterprise' })).status).toBe(403);
    expect((await a.client.put(`/api/v1/accounts/${a.accountId}`, { name: 'Renamed' })).body.name).toBe('Renamed');
    await a.client.post('/api/v1/tasks', { name: 'doomed' });
    const del = await a.client.delete(`/api/v1/accounts/${a.accountId}`);
    expect(del.status).toBe(200);
    expect((await operator.get(`/api/v1/accounts/${a.accountId}`)).status).toBe(404);
    expect((await api().post('/api/v1/auth/login', { username: a.username, password: a.password })).status).toBe(401);
    // The name is free again once the account is gone.
    expect((await api().post('/api/v1/auth/register', { username: a.username, password: a.password })).status).toBe(201);
  });
});
