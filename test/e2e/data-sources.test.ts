import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

/** Data sources (what fetch_data reads) against the real local server. */
describe('data sources', () => {
  let user: Account;
  let other: Account;
  beforeAll(async () => {
    [user, other] = await Promise.all([newAccount('ds'), newAccount('dsother')]);
  });

  it('creates each type, lists, reads, patches and deletes; credentials stay {{secrets.KEY}} references', async () => {
    const pg = await user.client.post('/api/v1/data-sources', { name: 'customer_db', type: 'postgres', url: 'postgres://app:{{secrets.DB_PASSWORD}}@db.example.com:5432/crm', table: 'customers' });
    expect(pg.status, JSON.stringify(pg.body)).toBe(201);
    expect(pg.body).toEqual({ name: 'customer_db', type: 'postgres', url: 'postgres://app:{{secrets.DB_PASSWORD}}@db.example.com:5432/crm', table: 'customers', built_in: false, created_at: expect.any(String), updated_at: expect.any(String) });
    const http = await user.client.post('/api/v1/data-sources', { name: 'crm_api', type: 'http', url: 'https://crm.example.com/users', headers: { Authorization: 'Bearer {{secrets.CRM_TOKEN}}', Accept: 'application/json' } });
    expect(http.status).toBe(201);
    expect((await user.client.post('/api/v1/data-sources', { name: 'exports', type: 's3', bucket: 'my-exports', prefix: 'daily/' })).status).toBe(201);
    expect((await user.client.post('/api/v1/data-sources', { name: 'events', type: 'dynamodb', table: 'my-events' })).status).toBe(201);

    const names = (await user.client.get('/api/v1/data-sources')).body.data.filter((s: { built_in: boolean }) => !s.built_in).map((s: { name: string }) => s.name);
    expect(names.toSorted()).toEqual(['crm_api', 'customer_db', 'events', 'exports']);
    const patched = await user.client.patch('/api/v1/data-sources/customer_db', { table: null, url: 'postgres://app:{{secrets.DB_PASSWORD}}@db2.example.com/crm' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: 'postgres://app:{{secrets.DB_PASSWORD}}@db2.example.com/crm', created_at: pg.body.created_at });
    expect(patched.body.table).toBeUndefined();
    expect((await user.client.get('/api/v1/data-sources/customer_db')).body.url).toContain('db2.example.com');
    expect((await user.client.delete('/api/v1/data-sources/events')).status).toBe(204);
    expect((await user.client.get('/api/v1/data-sources/events')).status).toBe(404);
    expect((await user.client.post('/api/v1/data-sources', { name: 'crm_api', type: 'http', url: 'https://x.example.com' })).status).toBe(409);
  });

  it('refuses plain-text credentials, naming the field and never echoing the value', async () => {
    const password = await user.client.post('/api/v1/data-sources', { name: 'leaky', type: 'postgres', url: 'postgres://app:hunter2-secret@db.example.com/crm' });
    expect(password.status).toBe(400);
    expect(password.body.error).toMatchObject({ code: 'validation_error', field: 'url' });
    expect(JSON.stringify(password.body)).not.toContain('hunter2-secret');
    const header = await user.client.post('/api/v1/data-sources', { name: 'leaky', type: 'http', url: 'https://crm.example.com', headers: { 'X-API-Key': 'sk_live_plaintext' } });
    expect(header.status).toBe(400);
    expect(header.body.error.field).toBe('headers.X-API-Key');
    expect(JSON.stringify(header.body)).not.toContain('sk_live_plaintext');
    const query = await user.client.post('/api/v1/data-sources', { name: 'leaky', type: 'http', url: 'https://crm.example.com/users?api_key=abc123xyz' });
    expect(query.status).toBe(400);
    expect(query.body.error.field).toBe('url');
    const patchLeak = await user.client.patch('/api/v1/data-sources/crm_api', { headers: { Authorization: 'Bearer plain-token-value' } });
    expect(patchLeak.status).toBe(400);
    expect(patchLeak.body.error.field).toBe('headers.Authorization');
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [object, string][] = [
      [{ name: 'x y', type: 'postgres', url: 'postgres://h/db' }, 'name'],
      [{ name: 'a', type: 'mysql', url: 'mysql://h/db' }, 'type'],
      [{ name: 'a', type: 'postgres' }, 'url'],
      [{ name: 'a', type: 'postgres', url: 'https://h/db' }, 'url'],
      [{ name: 'a', type: 'postgres', url: 'postgres://h/db', table: 'users; DROP TABLE users' }, 'table'],
      [{ name: 'a', type: 'http', url: 'ftp://h/x' }, 'url'],
      [{ name: 'a', type: 's3', bucket: 'Not_A_Bucket' }, 'bucket'],
      [{ name: 'a', type: 'dynamodb', table: 'my-table', bucket: 'my-bucket' }, 'bucket'],
    ];
    for (const [body, field] of cases) {
      const res = await user.client.post('/api/v1/data-sources', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field ?? res.body.error.details?.issues?.[0]?.field, JSON.stringify(res.body)).toBe(field);
    }
    const patchType = await user.client.patch('/api/v1/data-sources/crm_api', { type: 'dynamodb' });
    expect(patchType.status).toBe(400);
    expect(patchType.body.error.field).toBe('table');
  });

  it('another account’s source is a 404 for every verb; the same name is another source there', async () => {
    expect((await other.client.get('/api/v1/data-sources/crm_api')).status).toBe(404);
    expect((await other.client.patch('/api/v1/data-sources/crm_api', { url: 'https://evil.example.com' })).status).toBe(404);
    expect((await other.client.delete('/api/v1/data-sources/crm_api')).status).toBe(404);
    expect((await other.client.post('/api/v1/data-sources', { name: 'crm_api', type: 'http', url: 'https://other.example.com' })).status).toBe(201);
    expect((await user.client.get('/api/v1/data-sources/crm_api')).body.url).toBe('https://crm.example.com/users');
  });

  it('a dry run warns about a fetch_data source the account does not have, by name', async () => {
    const res = await user.client.post('/api/v1/workflows/validate', { name: 'x', trigger: { type: 'manual' }, steps: [{ id: 'read', type: 'fetch_data', source: 'nowhere' }, { id: 'ok', type: 'fetch_data', source: 'crm_api' }] });
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([expect.objectContaining({ path: 'nodes.read', code: 'unknown_data_source', message: expect.stringContaining('"nowhere"') })]);
  });
});
