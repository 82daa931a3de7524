import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../../support/api-client.ts';
import { expectRateLimitHeaders, javascriptWithFacade, jsonAfter, seedText, snippet, substitute } from './seed-support.ts';

/**
 * AstraFlow's API documentation, example by example (docs/compatibility.md lists every
 * difference). Its examples are one-line `Example Request:` / `Example Response:` pairs; the
 * request line is parsed from the seed as written.
 */
const SEED = seedText('astraflow');

/** `Example Request: METHOD /path {body}` as the seed writes it, after `heading`. */
function exampleRequest(heading: string): { method: string; path: string; body?: unknown } {
  const line = snippet(SEED, 'Example Request:', '\n', SEED.indexOf(heading)).slice('Example Request:'.length).trim();
  const [, method, path, body] = /^(GET|POST|PUT|PATCH|DELETE) (\S+)\s*(.*)$/.exec(line)!;
  return { method: method!, path: path!, ...(body ? { body: JSON.parse(body) } : {}) };
}

describe('seed: AstraFlow', () => {
  let owner: Awaited<ReturnType<typeof newAccount>>;
  let token: string;
  let taskId: string;

  beforeAll(async () => {
    owner = await newAccount('astra');
    // "Obtain a token via POST /oauth/token": an OAuth client of the account, client_credentials.
    const client = await owner.client.post('/api/v1/oauth/clients', { name: 'astraflow', scopes: ['tasks:read', 'tasks:write'] });
    const res = await fetch(`${api().baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.body.client_id, client_secret: client.body.client_secret }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  it('Authentication: an OAuth 2.0 token from POST /oauth/token works as Authorization: Bearer <token>', async () => {
    expect(SEED).toContain('Authorization: Bearer <token>');
    const res = await api(token).get('/api/v1/tasks');
    expect(res.status).toBe(200);
  });

  it('Rate Limiting: X-RateLimit-Limit (100 a minute), X-RateLimit-Remaining and X-RateLimit-Reset (UTC epoch seconds)', async () => {
    expect(SEED).toContain('Clients are limited to 100 requests per minute');
    const res = await api(token).get('/api/v1/tasks');
    expectRateLimitHeaders(res.headers, 100);
  });

  it('Error Codes: 400, 401, 403 and 404 mean what the table says', async () => {
    expect((await api(token).post('/api/v1/tasks', { name: 'x', priority: 'extreme' })).status).toBe(400);
    expect((await api('not-a-token').get('/api/v1/tasks')).status).toBe(401);
    expect((await api(token).get('/api/v1/users')).status).toBe(403);
    expect((await api(token).get('/api/v1/tasks/task_01J00000000000000000000000')).status).toBe(404);
  });

  it('POST /api/v1/tasks: the example creates a pending task with its due date and priority', async () => {
    const req = exampleRequest('POST /api/v1/tasks\n\nCreate a new task');
    expect(req).toEqual({ method: 'POST', path: '/api/v1/tasks', body: { name: 'New', due_date: '2025-07-01T12:00:00Z', priority: 'high' } });
    const res = await api(token).raw(req.method, req.path, req.body);
    expect(res.status).toBe(201);
    const documented = jsonAfter(SEED, 'Example Response: {', 2) as Record<string, unknown>;
    // Same fields and values; the id is Stepwise's, the due date comes back normalised to UTC with milliseconds.
    expect(res.body).toMatchObject({ ...documented, id: expect.stringMatching(/^task_/), due_date: '2025-07-01T12:00:00.000Z' });
    taskId = res.body.id;
  });

  it('GET /api/v1/tasks?status=active&page;=1&per;_page=20: lists with the documented fields, verbatim query included', async () => {
    await api(token).put(`/api/v1/tasks/${taskId}`, { status: 'active' });
    const req = exampleRequest('GET /api/v1/tasks\n\nRetrieve list of tasks');
    expect(req.path).toBe('/api/v1/tasks?status=active&page;=1&per;_page=20');
    // The seed's query is mangled ("&page;=1"): the unknown names are ignored, status=active still filters.
    for (const path of [req.path, '/api/v1/tasks?status=active&page=1&per_page=20']) {
      const res = await api(token).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tasks: [{ id: taskId, name: 'New', status: 'in_progress' }], page: 1, total: 1 });
    }
  });

  it('GET /api/v1/tasks/{id}: the documented fields', async () => {
    const req = exampleRequest('GET /api/v1/tasks/{id}');
    const res = await api(token).get(req.path.replace('123', taskId));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(['id', 'name', 'description', 'status', 'created_at', 'updated_at']));
  });

  it('PUT /api/v1/tasks/{id} { "status": "completed" }: answers id, status and updated_at', async () => {
    const req = exampleRequest('PUT /api/v1/tasks/{id}');
    expect(req.body).toEqual({ status: 'completed' });
    const res = await api(token).put(req.path.replace('123', taskId), req.body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: taskId, status: 'completed', updated_at: expect.any(String) });
  });

  it('DELETE /api/v1/tasks/{id}: deletes (204, as Behflow documents for the same path; no message body)', async () => {
    const req = exampleRequest('DELETE /api/v1/tasks/{id}');
    const res = await api(token).delete(req.path.replace('123', taskId));
    expect(res.status).toBe(204);
    expect((await api(token).get(`/api/v1/tasks/${taskId}`)).status).toBe(404);
  });

  it('POST /api/v1/users { "email":"new@af.com","password":"secret" }: a 6-character password is refused; 8 or more creates the user', async () => {
    const req = exampleRequest('POST /api/v1/users');
    expect(req.body).toEqual({ email: 'new@af.com', password: 'secret' });
    const refused = await owner.client.post(req.path, req.body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_error', field: 'password' });
    const created = await owner.client.post(req.path, { email: 'new@af.com', password: 'secret-8' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^usr_/), email: 'new@af.com', created_at: expect.any(String) });
  });

  it('GET /api/v1/users?role=admin&active;=true: users with id and email, page and total', async () => {
    const req = exampleRequest('GET /api/v1/users');
    expect(req.path).toBe('/api/v1/users?role=admin&active;=true');
    for (const path of [req.path, '/api/v1/users?role=admin&active=true']) {
      const res = await owner.client.get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ users: [{ id: owner.userId, email: null, role: 'admin' }], page: 1, total: 1 });
    }
  });

  it('Webhooks: POST /api/v1/webhooks with a target url and an event type', async () => {
    const res = await owner.client.post('/api/v1/webhooks', { url: 'https://hooks.astraflow.example/events', event: 'task.created' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: 'https://hooks.astraflow.example/events', event: 'task.created', events: ['task.created'], secret: expect.stringMatching(/^whsec_/) });
    const updated = await owner.client.post('/api/v1/webhooks', { url: 'https://hooks.astraflow.example/events', event: 'task.updated' });
    expect(updated.status).toBe(201);
  });

  // The Python SDK (astraflow_sdk) has no Stepwise package: its call runs translated to fetch
  // (docs/compatibility.md). The JavaScript one runs verbatim on the facade stepwise/compat/astraflow.
  it('Python SDK: client.get_tasks(status=\'active\') (translated to its HTTP call)', async () => {
    expect(SEED).toContain("tasks = client.get_tasks(status='active')");
    await api(token).post('/api/v1/tasks', { name: 'Sample', status: 'active' });
    const res = await fetch(`${api().baseUrl}/api/v1/tasks?status=active`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { tasks: { name: string }[] }).tasks.map((t) => t.name)).toContain('Sample');
  });

  it('JavaScript SDK: the snippet runs verbatim on stepwise/compat/astraflow (only the import and the token changed)', async () => {
    const code = snippet(SEED, "import AstraClient from 'astraflow-sdk';", '.then(console.log);');
    expect(code).toBe("import AstraClient from 'astraflow-sdk'; const client = new AstraClient('YOUR\\_TOKEN'); client.getTasks({ status: 'active' }).then(console.log);");
    await api(token).post('/api/v1/tasks', { name: 'From the SDK', status: 'active' });
    const out = await javascriptWithFacade(substitute(code, { "'astraflow-sdk'": "'stepwise/compat/astraflow'", 'YOUR\\_TOKEN': token }), { STEPWISE_API_URL: api().baseUrl });
    // console.log of the API's answer: AstraFlow's `tasks`, `page` and `total`, active tasks only.
    expect(out).toContain("name: 'From the SDK'");
    expect(out).toMatch(/tasks: \[/);
    expect(out).toMatch(/page: 1/);
    expect(out).toMatch(/total: \d+/);
    expect(out).not.toMatch(/status: '(?!in_progress)/);
  });
});
