import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

const VALUE = 'hunter2-super-secret-value';

describe('account secrets (end to end)', () => {
  let admin: Awaited<ReturnType<typeof newAccount>>;
  let stranger: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    [admin, stranger] = await Promise.all([newAccount('sec'), newAccount('secx')]);
  });
  const path = () => `/api/v1/accounts/${admin.accountId}/secrets`;

  it('creates, lists, replaces and deletes with FlowRunner’s shapes, never returning the value', async () => {
    const created = await admin.client.post(path(), { key: 'NEW_API_KEY', value: VALUE });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: 'NEW_API_KEY', created_at: expect.any(String), updated_at: expect.any(String) });
    expect((await admin.client.post(path(), { key: 'NEW_API_KEY', value: 'other-value' })).status).toBe(409);
    const list = await admin.client.get(path());
    expect(list.body.secrets).toEqual([{ key: 'NEW_API_KEY', created_at: created.body.created_at, updated_at: created.body.updated_at }]);
    const replaced = await admin.client.put(`${path()}/NEW_API_KEY`, { value: 'rotated-value' });
    expect(replaced.status).toBe(200);
    expect((await admin.client.put(`${path()}/MISSING`, { value: 'missing-value' })).status).toBe(404);
    for (const res of [created, list, replaced]) expect(res.text).not.toContain(VALUE);
    expect((await admin.client.delete(`${path()}/NEW_API_KEY`)).body).toEqual({ message: 'Secret deleted successfully' });
    expect((await admin.client.get(path())).body.secrets).toEqual([]);
  });

  it('validates keys and bodies without echoing the value', async () => {
    const bad = await admin.client.post(path(), { key: 'lower-case', value: VALUE });
    expect(bad.body.error.field).toBe('key');
    expect(bad.text).not.toContain(VALUE);
    const extra = await admin.client.post(path(), { key: 'OK_KEY', value: VALUE, owner: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.text).not.toContain(VALUE);
    const malformed = await admin.client.post(path(), `{"key":"K","value": ${VALUE}}`);
    expect(malformed.body.error.code).toBe('invalid_json');
    expect(malformed.text).not.toContain('hunter2');
  });

  it('is 404 for another account, and admin-only for writes', async () => {
    await admin.client.post(path(), { key: 'PRIVATE', value: VALUE });
    expect((await stranger.client.get(path())).status).toBe(404);
    expect((await stranger.client.post(path(), { key: 'X', value: 'y-value-123' })).status).toBe(404);
    expect((await stranger.client.delete(`${path()}/PRIVATE`)).status).toBe(404);
    const email = `${admin.username}.m@example.com`;
    await admin.client.post('/api/v1/users', { email, password: 'member-pass-1' });
    const member = api((await api().post('/api/v1/auth/login', { username: email, password: 'member-pass-1' })).body.token);
    expect((await member.get(path())).status).toBe(200);
    expect((await member.post(path(), { key: 'Y', value: 'z-value-123' })).status).toBe(403);
    expect((await admin.client.get(path())).body.secrets.map((s: { key: string }) => s.key)).toEqual(['PRIVATE']);
  });
});
