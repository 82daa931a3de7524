import { describe, expect, it } from 'vitest';
import { api, newAccount } from '../../support/api-client.ts';
import { curl, javascript, jsonAfter, python, seedText, snippet, substitute } from './seed-support.ts';

/** Behflow's API documentation, example by example (docs/compatibility.md lists every difference). */
const SEED = seedText('behflow');
const BASE = 'http://localhost:8000';

describe('seed: Behflow', () => {
  const base = () => ({ [BASE]: api().baseUrl });
  let token: string;
  let taskId: string;

  it('Register: the curl creates johndoe (201 Created; the seed says 200) with the documented fields', async () => {
    const res = await curl(snippet(SEED, `curl -X POST ${BASE}/register`, "}'"), base());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user_id: expect.stringMatching(/^usr_/), username: 'johndoe', name: 'John', lastname: 'Doe' });
    // Error Responses: "400 Bad Request: Username already exists" — a 409 conflict naming the field here.
    const again = await curl(snippet(SEED, `curl -X POST ${BASE}/register`, "}'"), base());
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', field: 'username' });
  });

  it('Login: the curl answers a token and the user', async () => {
    const res = await curl(snippet(SEED, `curl -X POST ${BASE}/login`, "}'"), base());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), user: { user_id: expect.any(String), username: 'johndoe', name: 'John', lastname: 'Doe' } });
    token = res.body.token;
    const wrong = await api().post('/login', { username: 'johndoe', password: 'wrong-password' });
    expect(wrong.status).toBe(401);
  });

  it('Get Current User: the curl with `Authorization: <token>` (no "Bearer")', async () => {
    const res = await curl(snippet(SEED, `curl -X GET ${BASE}/me`, '"Authorization: <token>"'), { ...base(), '<token>': token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: expect.any(String), username: 'johndoe', name: 'John', lastname: 'Doe' });
    expect((await api().get('/me')).status).toBe(401);
  });

  it('Send Chat Message: the curl starts the session "abc-123" the client chose, and creates the task', async () => {
    const command = snippet(SEED, `curl -X POST ${BASE}/api/v1/chat`, "}'");
    const res = await curl(command, { ...base(), '<token>': token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response: expect.any(String), session_id: 'abc-123' });
    expect(res.body.tasks).toEqual([expect.objectContaining({ task_id: expect.any(String), name: 'Review project documentation', description: null, status: 'pending', priority: 'medium' })]);
    // The same session continues: "make it urgent" refers to that task.
    const next = await api(token).post('/api/v1/chat', { message: 'make it urgent', session_id: 'abc-123' });
    expect(next.body).toMatchObject({ session_id: 'abc-123', tasks: [{ task_id: res.body.tasks[0].task_id, priority: 'urgent' }] });
    // Another account's "abc-123" is another session.
    const other = await newAccount('behflowchat');
    const theirs = await other.client.post('/api/v1/chat', { message: 'what is on my plate?', session_id: 'abc-123' });
    expect(theirs.body.session_id).toBe('abc-123');
    expect(theirs.body.tasks).toEqual([]);
    const history = await api(token).get('/api/v1/chat/sessions/abc-123');
    expect(history.body.messages).toHaveLength(4);
  });

  it('Create Task: 201 with the documented fields (not_started is pending here)', async () => {
    const documented = jsonAfter(SEED, 'Response (201 Created):') as Record<string, unknown>;
    const res = await api(token).post('/api/v1/tasks', { name: 'Quarterly report', description: 'Draft and review', priority: 'medium', due_date: '2025-12-31T23:59:59Z', tags: ['project', 'urgent'] });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(res.body).toMatchObject({ status: 'pending', priority: 'medium', due_date: '2025-12-31T23:59:59.000Z' });
    taskId = res.body.task_id;
  });

  it('List Tasks: status (not_started, …) and priority filters; each task with its tags', async () => {
    const documented = (jsonAfter(SEED, 'Get all tasks for the authenticated user.') as { tasks: Record<string, unknown>[] }).tasks[0]!;
    const res = await api().get('/api/v1/tasks?status=not_started&priority=medium', { Authorization: token });
    expect(res.status).toBe(200);
    const task = res.body.tasks.find((t: { task_id: string }) => t.task_id === taskId);
    expect(Object.keys(task)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(task.tags).toEqual(['project', 'urgent']);
  });

  it('Update Task: any subset of fields, status in_progress', async () => {
    const res = await api().put(`/api/v1/tasks/${taskId}`, { name: 'Quarterly report v2', status: 'in_progress', priority: 'high', tags: ['project'] }, { Authorization: token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ task_id: taskId, name: 'Quarterly report v2', status: 'in_progress', priority: 'high' });
  });

  it('Delete Task: 204 No Content', async () => {
    const res = await api().delete(`/api/v1/tasks/${taskId}`, { Authorization: token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  let processId: string;
  it('List Automated Processes: each workflow with trigger_type, schedule, is_active and last_execution', async () => {
    const created = await api(token).post('/api/v1/workflows', {
      name: 'Morning digest',
      description: 'Every day at nine',
      // Behflow's example is daily at nine; Jan 1st keeps a scheduled run out of this test.
      trigger: { type: 'schedule', cron: '0 9 1 1 *' },
      steps: [{ type: 'transform', expression: '"digest"' }],
    });
    processId = created.body.id;
    const documented = (jsonAfter(SEED, 'Get all automated processes.') as { processes: Record<string, unknown>[] }).processes[0]!;
    const res = await api().get('/api/v1/processes', { Authorization: token });
    expect(res.status).toBe(200);
    const process = res.body.processes.find((p: { process_id: string }) => p.process_id === processId);
    expect(Object.keys(process)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(process).toMatchObject({ trigger_type: 'time_based', schedule: '0 9 1 1 *', is_active: true, last_execution: null });
  });

  it('Execute Process Manually: POST without a body starts a run (202: it runs asynchronously)', async () => {
    const res = await fetch(`${api().baseUrl}/api/v1/processes/${processId}/execute`, { method: 'POST', headers: { Authorization: token } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(202);
    expect(body).toMatchObject({ execution_id: expect.stringMatching(/^exec_/), process_id: processId, status: 'running', message: expect.any(String), started_at: expect.any(String) });
  });

  it('Health Status: GET /health', async () => {
    const res = await api().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', version: expect.any(String), timestamp: expect.any(String) });
  });

  it('Error Responses: 400, 401, 404 come in the API’s one error shape ({"error": {…}}, not {"detail"})', async () => {
    expect(SEED).toContain('"detail": "Authentication required or invalid token"');
    const unauthorized = await api().get('/api/v1/tasks');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.error).toMatchObject({ code: 'unauthorized', message: expect.any(String), request_id: expect.any(String) });
    expect((await api().post('/api/v1/tasks', { name: '' }, { Authorization: token })).body.error.code).toBe('validation_error');
    expect((await api().get('/api/v1/tasks/task_01J00000000000000000000000', { Authorization: token })).body.error.code).toBe('not_found');
  });

  it('SDK Examples, Python: logs in and creates a task, verbatim but for BASE_URL', async () => {
    const code = snippet(SEED, 'import requests\n\nBASE_URL = "http://localhost:8000"', 'print(f"Created task: {task[\'task_id\']}")');
    const out = await python(substitute(code, base()), { modules: ['requests'] });
    expect(out.trim()).toMatch(/^Created task: task_[0-9A-Z]{26}$/);
  });

  it('SDK Examples, JavaScript: logs in and creates a task, verbatim but for BASE_URL', async () => {
    const code = snippet(SEED, 'const BASE_URL = "http://localhost:8000";', 'console.log(`Created task: ${task.task_id}`);');
    const out = await javascript(substitute(code, base()));
    expect(out.trim()).toMatch(/^Created task: task_[0-9A-Z]{26}$/);
  });

  it('OpenAPI Documentation: Swagger UI at /docs, ReDoc at /redoc, the document at /openapi.json', async () => {
    for (const url of ['http://localhost:8000/docs', 'http://localhost:8000/redoc', 'http://localhost:8000/openapi.json']) expect(SEED).toContain(url);
    expect((await api().get('/docs')).text).toContain('swagger-ui');
    expect((await api().get('/redoc')).text).toContain('<redoc');
    expect((await api().get('/openapi.json')).body.openapi).toBe('3.1.0');
  });

  it('Rate Limiting: Behflow has none; Stepwise counts every credential (headers on every answer)', async () => {
    expect(SEED).toContain('Currently, no rate limiting is implemented.');
    const user = await newAccount('behflowrl');
    const res = await user.client.get('/api/v1/tasks');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
  });
});
