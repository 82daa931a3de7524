import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

type Client = ReturnType<typeof api>;

/** Every bad-input rule of the HTTP pipeline, through the real server. */
describe('HTTP pipeline (end to end)', () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await newAccount('pipe'));
  });

  const expectError = (res: { status: number; body: any; headers: Headers }, status: number, code: string, field?: string) => {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    if (field) expect(res.body.error.field).toBe(field);
    expect(res.body.error.request_id).toBe(res.headers.get('x-request-id'));
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|node_modules|Error:/);
  };

  it('puts X-Request-Id, security headers and CORS on successes and errors alike', async () => {
    for (const res of [await client.get('/api/v1/tasks'), await api().get('/api/v1/tasks'), await api().get('/health')]) {
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toContain('max-age');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    const ids = new Set([(await client.get('/api/v1/tasks')).headers.get('x-request-id'), (await client.get('/api/v1/tasks')).headers.get('x-request-id')]);
    expect(ids.size).toBe(2);
  });

  it('answers CORS preflight', async () => {
    const res = await fetch(`${client.baseUrl}/api/v1/tasks`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('turns malformed JSON into 400 invalid_json', async () => {
    expectError(await client.post('/api/v1/tasks', '{"name": "x",'), 400, 'invalid_json');
    expectError(await api().post('/api/v1/auth/login', 'not json at all'), 400, 'invalid_json');
  });

  it('rejects unknown body fields, naming the field', async () => {
    expectError(await client.post('/api/v1/tasks', { name: 'x', owner_id: 'someone-else' }), 400, 'validation_error', 'owner_id');
    expectError(await client.patch('/api/v1/tasks/task_01ARZ3NDEKTSV4RRFFQ69G5FAV', { account_id: 'acct_x' }), 400, 'validation_error', 'account_id');
  });

  it('validates body, query and path with the field named', async () => {
    expectError(await client.post('/api/v1/tasks', {}), 400, 'validation_error', 'name');
    expectError(await client.post('/api/v1/tasks', { name: 'x', priority: 'critical' }), 400, 'validation_error', 'priority');
    expectError(await client.post('/api/v1/tasks', { name: 'x', due_date: 'next tuesday' }), 400, 'validation_error', 'due_date');
    expectError(await client.post('/api/v1/tasks', { name: 'x', due_date: '2025-13-45T99:00:00Z' }), 400, 'validation_error', 'due_date');
    expectError(await client.post('/api/v1/tasks', { name: 'x', tags: ['ok', 3] }), 400, 'validation_error', 'tags.1');
    expectError(await client.post('/api/v1/tasks', [1, 2]), 400, 'validation_error', 'body');
    expectError(await client.get('/api/v1/tasks?status=done'), 400, 'validation_error', 'status');
    expectError(await client.get('/api/v1/tasks?due_before=yesterday'), 400, 'validation_error', 'due_before');
    expectError(await client.get('/api/v1/tasks?offset=-1'), 400, 'validation_error', 'offset');
    expectError(await client.get(`/api/v1/tasks/${'x'.repeat(65)}`), 400, 'validation_error', 'id');
  });

  it('caps limit at 100', async () => {
    expectError(await client.get('/api/v1/tasks?limit=101'), 400, 'validation_error', 'limit');
    expectError(await client.get('/api/v1/tasks?per_page=1000'), 400, 'validation_error', 'per_page');
    expectError(await client.get('/api/v1/tasks?limit=0'), 400, 'validation_error', 'limit');
    expectError(await client.get('/api/v1/tasks?limit=ten'), 400, 'validation_error', 'limit');
    expect((await client.get('/api/v1/tasks?limit=100')).status).toBe(200);
  });

  it('refuses a body over 1 MB with 413 and stores nothing', async () => {
    const before = (await client.get('/api/v1/tasks')).body.pagination.total;
    const big = JSON.stringify({ name: 'big', description: 'x'.repeat(1024 * 1024) });
    expectError(await client.post('/api/v1/tasks', big), 413, 'payload_too_large');
    expect((await client.get('/api/v1/tasks')).body.pagination.total).toBe(before);
  });

  it('answers unknown ids with 404 and unknown routes with the error shape', async () => {
    expectError(await client.get('/api/v1/tasks/task_01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404, 'not_found');
    expectError(await client.get('/api/v1/tasks/not-an-id'), 404, 'not_found');
    const unknown = await client.get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('requires authentication on protected routes', async () => {
    expectError(await api().get('/api/v1/tasks'), 401, 'unauthorized');
    expectError(await api().post('/api/v1/tasks', { name: 'x' }), 401, 'unauthorized');
  });
});
