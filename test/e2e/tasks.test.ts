import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

type Client = ReturnType<typeof api>;

describe('tasks (end to end)', () => {
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    [alice, bob] = (await Promise.all([newAccount('alice'), newAccount('bob')])).map((a) => a.client) as [Client, Client];
  });

  it('creates with defaults, returns both id names, and reads it back', async () => {
    const created = await alice.post('/api/v1/tasks', { name: 'New', due_date: '2025-07-01T12:00:00Z', priority: 'high' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'New', status: 'pending', priority: 'high', due_date: '2025-07-01T12:00:00.000Z', tags: [], version: 1 });
    expect(created.body.id).toMatch(/^task_[0-9A-Z]{26}$/);
    expect(created.body.task_id).toBe(created.body.id);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/v1/tasks/${created.body.id}`);
    const got = await alice.get(`/api/v1/tasks/${created.body.id}`);
    expect(got.body).toEqual(created.body);
  });

  it('accepts the Behflow body and the status aliases', async () => {
    const created = await alice.post('/api/v1/tasks', { name: 'Review documentation', description: 'Check all API docs', priority: 'urgent', status: 'not_started', tags: ['docs', 'docs', 'q4'] });
    expect(created.body).toMatchObject({ status: 'pending', priority: 'urgent', tags: ['docs', 'q4'], description: 'Check all API docs' });
    const active = await alice.put(`/api/v1/tasks/${created.body.task_id}`, { status: 'active' });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'in_progress', version: 2, name: 'Review documentation' });
  });

  it('updates with PUT and PATCH, clears nullable fields, and deletes with 204', async () => {
    const { body: t } = await alice.post('/api/v1/tasks', { name: 'Edit me', description: 'x', due_date: '2030-01-01' });
    expect(t.due_date).toBe('2030-01-01T00:00:00.000Z');
    const put = await alice.put(`/api/v1/tasks/${t.id}`, { status: 'completed' });
    expect(put.body).toMatchObject({ id: t.id, status: 'completed', description: 'x', version: 2 });
    expect(Date.parse(put.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(t.updated_at));
    const patch = await alice.patch(`/api/v1/tasks/${t.id}`, { description: null, due_date: null, name: 'Edited' });
    expect(patch.body).toMatchObject({ description: null, due_date: null, name: 'Edited', version: 3 });
    const del = await alice.delete(`/api/v1/tasks/${t.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await alice.get(`/api/v1/tasks/${t.id}`)).status).toBe(404);
    expect((await alice.delete(`/api/v1/tasks/${t.id}`)).status).toBe(404);
  });

  it('enforces optimistic concurrency with If-Match and body version', async () => {
    const { body: t } = await alice.post('/api/v1/tasks', { name: 'Contended' });
    const ok = await alice.patch(`/api/v1/tasks/${t.id}`, { priority: 'low' }, { 'If-Match': '"1"' });
    expect(ok.status).toBe(200);
    const stale = await alice.patch(`/api/v1/tasks/${t.id}`, { priority: 'high' }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'conflict', field: 'version' });
    const staleBody = await alice.put(`/api/v1/tasks/${t.id}`, { name: 'x', version: 1 });
    expect(staleBody.status).toBe(409);
    const staleDelete = await alice.delete(`/api/v1/tasks/${t.id}`, { 'If-Match': '1' });
    expect(staleDelete.status).toBe(409);
    expect((await alice.get(`/api/v1/tasks/${t.id}`)).body).toMatchObject({ priority: 'low', version: 2 });
    const bad = await alice.patch(`/api/v1/tasks/${t.id}`, { name: 'y' }, { 'If-Match': 'banana' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('If-Match');
  });

  it('keeps concurrent writers from losing updates', async () => {
    const { body: t } = await alice.post('/api/v1/tasks', { name: 'Race' });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => alice.patch(`/api/v1/tasks/${t.id}`, { tags: [tag] })));
    const succeeded = results.filter((r) => r.status === 200).length;
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const final = await alice.get(`/api/v1/tasks/${t.id}`);
    expect(final.body.version).toBe(1 + succeeded);
  });

  it('isolates tenants: another account gets 404 for every verb and nothing changes', async () => {
    const { body: t } = await alice.post('/api/v1/tasks', { name: 'Private' });
    expect((await bob.get(`/api/v1/tasks/${t.id}`)).status).toBe(404);
    expect((await bob.put(`/api/v1/tasks/${t.id}`, { name: 'pwned' })).status).toBe(404);
    expect((await bob.patch(`/api/v1/tasks/${t.id}`, { name: 'pwned' })).status).toBe(404);
    expect((await bob.delete(`/api/v1/tasks/${t.id}`)).status).toBe(404);
    const list = await bob.get('/api/v1/tasks?limit=100');
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await alice.get(`/api/v1/tasks/${t.id}`)).body).toMatchObject({ name: 'Private', version: 1 });
  });
});

describe('task lists (end to end)', () => {
  let client: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ client } = await newAccount('lists'));
    const specs = [
      { name: 't0', status: 'pending', priority: 'low', tags: ['a'], due_date: '2030-01-05T00:00:00Z' },
      { name: 't1', status: 'in_progress', priority: 'high', tags: ['a', 'b'], due_date: '2030-01-01T00:00:00Z' },
      { name: 't2', status: 'completed', priority: 'high', tags: ['b'] },
      { name: 't3', status: 'pending', priority: 'urgent', tags: [], due_date: '2030-01-03T00:00:00Z' },
      { name: 't4', status: 'blocked', priority: 'medium', tags: ['a'] },
      { name: 't5', status: 'pending', priority: 'high', tags: ['c'], due_date: '2029-12-31T00:00:00Z' },
      { name: 't6', status: 'cancelled', priority: 'low', tags: ['a', 'c'] },
    ];
    for (const s of specs) ids.push((await client.post('/api/v1/tasks', s)).body.id);
  });

  const names = (body: { data: { name: string }[] }) => body.data.map((t) => t.name);

  it('lists newest first with exact totals and the seed envelopes', async () => {
    const res = await client.get('/api/v1/tasks');
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    expect(res.body.tasks).toEqual(res.body.data);
    expect(res.body.pagination).toEqual({ total: 7, limit: 20, offset: 0, has_more: false, next_cursor: null });
    expect(res.body.total).toBe(7);
    expect(res.body.page).toBe(1);
  });

  it('filters by status (with aliases), priority, tag and due_before, alone and combined', async () => {
    const pending = await client.get('/api/v1/tasks?status=not_started');
    expect(names(pending.body)).toEqual(['t5', 't3', 't0']);
    expect(pending.body.pagination.total).toBe(3);
    expect(names((await client.get('/api/v1/tasks?status=active')).body)).toEqual(['t1']);
    const high = await client.get('/api/v1/tasks?priority=high');
    expect(names(high.body)).toEqual(['t5', 't2', 't1']);
    expect(high.body.pagination.total).toBe(3);
    const tagA = await client.get('/api/v1/tasks?tag=a');
    expect(names(tagA.body)).toEqual(['t6', 't4', 't1', 't0']);
    expect(tagA.body.pagination.total).toBe(4);
    const due = await client.get('/api/v1/tasks?due_before=2030-01-04T00:00:00Z');
    expect(names(due.body)).toEqual(['t5', 't1', 't3']);
    expect(due.body.pagination.total).toBe(3);
    const combined = await client.get('/api/v1/tasks?status=pending&priority=high&due_before=2030-06-01');
    expect(names(combined.body)).toEqual(['t5']);
    expect(combined.body.pagination.total).toBe(1);
    const tagAndStatus = await client.get('/api/v1/tasks?tag=a&status=pending');
    expect(names(tagAndStatus.body)).toEqual(['t0']);
  });

  it('keeps totals exact through updates and deletes', async () => {
    const { body: extra } = await client.post('/api/v1/tasks', { name: 'tmp', status: 'pending' });
    expect((await client.get('/api/v1/tasks?status=pending')).body.pagination.total).toBe(4);
    await client.patch(`/api/v1/tasks/${extra.id}`, { status: 'completed' });
    expect((await client.get('/api/v1/tasks?status=pending')).body.pagination.total).toBe(3);
    expect((await client.get('/api/v1/tasks?status=completed')).body.pagination.total).toBe(2);
    await client.delete(`/api/v1/tasks/${extra.id}`);
    expect((await client.get('/api/v1/tasks?status=completed')).body.pagination.total).toBe(1);
    expect((await client.get('/api/v1/tasks')).body.pagination.total).toBe(7);
  });

  it('pages with limit/offset, page/per_page and cursors', async () => {
    const p1 = await client.get('/api/v1/tasks?limit=3');
    expect(names(p1.body)).toEqual(['t6', 't5', 't4']);
    expect(p1.body.pagination).toMatchObject({ total: 7, limit: 3, offset: 0, has_more: true });
    const p2 = await client.get('/api/v1/tasks?limit=3&offset=3');
    expect(names(p2.body)).toEqual(['t3', 't2', 't1']);
    const p3 = await client.get('/api/v1/tasks?limit=3&offset=6');
    expect(names(p3.body)).toEqual(['t0']);
    expect(p3.body.pagination.has_more).toBe(false);
    const page2 = await client.get('/api/v1/tasks?page=2&per_page=3');
    expect(names(page2.body)).toEqual(['t3', 't2', 't1']);
    expect(page2.body.page).toBe(2);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { name: string }[]; pagination: { next_cursor: string | null } } } = await client.get(
        `/api/v1/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...names(res.body));
      cursor = res.body.pagination.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);

    const filtered = await client.get('/api/v1/tasks?tag=a&limit=2');
    expect(names(filtered.body)).toEqual(['t6', 't4']);
    const next = await client.get(`/api/v1/tasks?tag=a&limit=2&cursor=${filtered.body.pagination.next_cursor}`);
    expect(names(next.body)).toEqual(['t1', 't0']);
    expect(next.body.pagination.has_more).toBe(false);
  });

  it('rejects cursors from another list or another account', async () => {
    const first = await client.get('/api/v1/tasks?limit=1');
    const foreign = await client.get(`/api/v1/tasks?status=pending&cursor=${first.body.pagination.next_cursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.field).toBe('cursor');
    const other = await newAccount('cursor');
    const stolen = await other.client.get(`/api/v1/tasks?cursor=${first.body.pagination.next_cursor}`);
    expect(stolen.status).toBe(400);
    expect((await client.get('/api/v1/tasks?cursor=%%%')).status).toBe(400);
  });

  it('Idempotency-Key: a retried create returns the same task once, per account; another body with the key is a 409', async () => {
    const [alice, bob] = (await Promise.all([newAccount('idem'), newAccount('idem')])).map((a) => a.client) as [Client, Client];
    const key = { 'Idempotency-Key': `create-${Date.now()}` };
    const before = (await alice.get('/api/v1/tasks?limit=1')).body.total;
    const first = await alice.post('/api/v1/tasks', { name: 'Pay invoice 42', priority: 'high' }, key);
    const retry = await alice.post('/api/v1/tasks', { priority: 'high', name: 'Pay invoice 42' }, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/v1/tasks/${first.body.id}`);
    expect(retry.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect((await alice.get('/api/v1/tasks?limit=1')).body.total).toBe(before + 1);

    const other = await alice.post('/api/v1/tasks', { name: 'Pay invoice 43' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });
    // Keys belong to the account: Bob's request with the same key is his own.
    const bobs = await bob.post('/api/v1/tasks', { name: 'Pay invoice 42', priority: 'high' }, key);
    expect(bobs.status).toBe(201);
    expect(bobs.body.id).not.toBe(first.body.id);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();

    const invalid = await alice.post('/api/v1/tasks', { name: '' }, { 'Idempotency-Key': `${key['Idempotency-Key']}-bad` });
    expect(invalid.status).toBe(400);
    const corrected = await alice.post('/api/v1/tasks', { name: 'Fixed' }, { 'Idempotency-Key': `${key['Idempotency-Key']}-bad` });
    expect(corrected.status).toBe(201);
  });
});
