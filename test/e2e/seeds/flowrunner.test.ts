import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { api, apiAt } from '../../support/api-client.ts';
import { waitForExecution } from '../../support/polling.ts';
import { jsonAfter, receiver, seedText, substitute } from './seed-support.ts';

/**
 * FlowRunner's API reference, example by example (docs/compatibility.md lists every difference).
 * Its flow calls https://api.example.com and https://webhook.example.com: those base URLs are
 * substituted with a loopback receiver, so the example flow really runs, offline.
 */
const SEED = seedText('flowrunner');

/** The seed's section for one endpoint: from its `Endpoint:` line to the next one. */
function section(endpoint: string): string {
  const start = SEED.indexOf(`Endpoint: ${endpoint}\n`);
  if (start < 0) throw new Error(`the seed has no endpoint ${endpoint}`);
  const next = SEED.indexOf('Endpoint: ', start + 1);
  return SEED.slice(start, next < 0 ? undefined : next);
}
const request = (endpoint: string) => jsonAfter(section(endpoint), 'Request:') as Record<string, any>;
const response = (endpoint: string) => jsonAfter(section(endpoint), 'Response:') as Record<string, any>;

describe('seed: FlowRunner', () => {
  let target: Awaited<ReturnType<typeof receiver>>;
  let subs: Record<string, string>;
  let token: string;
  let accountId: string;
  let client: ReturnType<typeof api>;
  let flowId: string;
  let executionId: string;

  beforeAll(async () => {
    target = await receiver({ delayMs: 400 });
    subs = { 'https://api.example.com': target.url, 'https://webhook.example.com': target.url };
    // The credentials of the seed's login example, registered first.
    const reg = await api().post('/api/v1/auth/register', { email: 'user@example.com', password: 'your-password', name: 'Flow', lastname: 'Runner' });
    if (reg.status !== 201) throw new Error(`registering user@example.com failed: ${reg.status} ${reg.text}`);
  });
  afterAll(() => target.close());

  it('Login: POST /api/v1/auth/login with the documented body answers token, expires_at and account_id', async () => {
    const res = await api().post('/api/v1/auth/login', request('POST /api/v1/auth/login'));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(response('POST /api/v1/auth/login'))));
    token = res.body.token;
    accountId = res.body.account_id;
    client = api(token);
  });

  it('Refresh Token: POST /api/v1/auth/refresh with only Authorization: Bearer <token>', async () => {
    const res = await api().post('/api/v1/auth/refresh', undefined, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), expires_at: expect.any(String), account_id: accountId });
    expect(res.body.refresh_token).toBeUndefined();
    expect((await api(res.body.token).get('/api/v1/me')).status).toBe(200);
  });

  it('Create Flow: the documented request (its YAML definition) creates the flow, version "1.0.0"', async () => {
    const body = JSON.parse(substitute(JSON.stringify(request('POST /api/v1/flows')), subs));
    const res = await client.post('/api/v1/flows', body);
    expect(res.status).toBe(201);
    const documented = response('POST /api/v1/flows');
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(res.body).toMatchObject({ name: 'My Flow', description: 'A simple flow', version: '1.0.0', tags: ['production'] });
    flowId = res.body.id;
  });

  it('List Flows: tag, limit and offset; answers flows, total, limit and offset', async () => {
    const res = await client.get('/api/v1/flows?tag=production&limit=10&offset=0');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
    expect(res.body.flows).toEqual([expect.objectContaining({ id: flowId, name: 'My Flow', version: '1.0.0', tags: ['production'] })]);
  });

  it('Get Flow: the flow with its definition as it was sent', async () => {
    const res = await client.get(`/api/v1/flows/${flowId}`);
    expect(res.status).toBe(200);
    expect(res.body.definition).toBe(substitute(request('POST /api/v1/flows').definition, subs));
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(response('GET /api/v1/flows/{id}'))));
  });

  it('Update Flow: the documented request publishes version "1.0.1" with the new tags', async () => {
    const body = JSON.parse(substitute(JSON.stringify(request('PUT /api/v1/flows/{id}')), subs));
    const res = await client.put(`/api/v1/flows/${flowId}`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Updated Flow', description: 'An updated flow', version: '1.0.1', tags: ['production', 'updated'] });
  });

  it('Run Flow: {"input": {"key": "value"}} starts an execution (running)', async () => {
    const res = await client.post(`/api/v1/flows/${flowId}/run`, request('POST /api/v1/flows/{id}/run'));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ execution_id: expect.stringMatching(/^exec_/), flow_id: flowId, status: 'running', created_at: expect.any(String) });
    executionId = res.body.execution_id;
  });

  it('Get Execution: the flow completes (http.request, then the webhook node posts unsigned: the account has no WEBHOOK_SECRET)', async () => {
    const execution = await waitForExecution(client, executionId);
    expect(execution).toMatchObject({ id: executionId, flow_id: flowId, status: 'completed', input: { key: 'value' }, started_at: expect.any(String), completed_at: expect.any(String), duration: expect.any(Number) });
    expect(Object.keys(execution)).toEqual(expect.arrayContaining(Object.keys(response('GET /api/v1/executions/{id}'))));
    const [fetched, delivered] = target.requests;
    expect(fetched).toMatchObject({ method: 'GET', url: '/data' });
    expect(delivered).toMatchObject({ method: 'POST', url: '/callback' });
    expect(delivered!.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(delivered!.body)).toEqual({ key: 'value' });
  });

  it('List Executions: flow_id, status, limit and offset; answers executions, total, limit and offset', async () => {
    const res = await client.get(`/api/v1/executions?flow_id=${flowId}&status=completed&limit=10&offset=0`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, limit: 10, offset: 0, executions: [{ id: executionId, flow_id: flowId, status: 'completed', duration: expect.any(Number) }] });
  });

  it('Get Execution Logs: level filter, each line with timestamp, level, message, node_id, node_type, data', async () => {
    const res = await client.get(`/api/v1/executions/${executionId}/logs?level=info&limit=10&offset=0`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ limit: 10, offset: 0, total: expect.any(Number) });
    const messages = res.body.logs.map((l: { message: string }) => l.message);
    expect(messages).toEqual(expect.arrayContaining(['Execution started', 'HTTP request successful', 'Execution completed']));
    expect(messages).toContain('Webhook delivery (unsigned: the account has no WEBHOOK_SECRET secret)');
    const ok = res.body.logs.find((l: { message: string }) => l.message === 'HTTP request successful');
    expect(ok).toMatchObject({ level: 'info', node_id: 'start', node_type: 'http.request', data: { status_code: 200, url: `${target.url}/data` } });
  });

  it('WebSocket API: ws /ws/executions/{execution_id} with Authorization: Bearer streams FlowRunner’s messages', async () => {
    const run = await client.post(`/api/v1/flows/${flowId}/run`, { input: { key: 'value' } });
    const socket = new WebSocket(`${api().baseUrl.replace(/^http/, 'ws')}/ws/executions/${run.body.execution_id}`, { headers: { Authorization: `Bearer ${token}` } });
    const messages: any[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const documented = ['execution_update', 'node_completed', 'execution_completed', 'execution_failed', 'log'];
    for (const type of documented) expect(SEED).toContain(`"type": "${type}"`);
    expect(messages.every((m) => documented.includes(m.type) && m.execution_id === run.body.execution_id && typeof m.timestamp === 'string')).toBe(true);
    expect(messages.at(-1)).toMatchObject({ type: 'execution_completed', status: 'completed' });
  });

  it('Cancel Execution: DELETE /api/v1/executions/{id} answers the documented message', async () => {
    const slow = await client.post('/api/v1/flows', { definition: { metadata: { name: 'Slow' }, nodes: { hold: { type: 'wait', params: { seconds: 120 } } } } });
    const run = await client.post(`/api/v1/flows/${slow.body.id}/run`, {});
    await waitForExecution(client, run.body.execution_id, (e) => e.status === 'running');
    const res = await client.delete(`/api/v1/executions/${run.body.execution_id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(response('DELETE /api/v1/executions/{id}'));
  });

  it('Delete Flow: DELETE /api/v1/flows/{id} answers {"message": "Flow deleted successfully"}', async () => {
    const res = await client.delete(`/api/v1/flows/${flowId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(response('DELETE /api/v1/flows/{id}'));
  });

  it('List Accounts and Get Account: the caller’s own account (role filter, limit, offset)', async () => {
    const list = await client.get('/api/v1/accounts?role=admin&limit=10&offset=0');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, limit: 10, offset: 0, accounts: [{ id: accountId, name: expect.any(String) }] });
    const one = await client.get(`/api/v1/accounts/${accountId}`);
    expect(one.body).toMatchObject({ id: accountId, created_at: expect.any(String), updated_at: expect.any(String) });
  });

  it('Create Account and Delete Account: any signed-in user creates an account; its admin (the email) deletes it', async () => {
    const body = request('POST /api/v1/accounts');
    expect(body).toEqual({ name: 'New Account', email: 'new@example.com', password: 'your-password', role: 'user' });
    const res = await client.post('/api/v1/accounts', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^acct_/), name: 'New Account', email: 'new@example.com', role: 'admin', created_at: expect.any(String), updated_at: expect.any(String) });
    const owner = await api().post('/api/v1/auth/login', { username: 'new@example.com', password: 'your-password' });
    const removed = await apiAt(api().baseUrl, owner.body.token).delete(`/api/v1/accounts/${res.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(response('DELETE /api/v1/accounts/{id}'));
  });

  it('Update Account: the documented request renames the account (email and role are accepted and left as they are)', async () => {
    const res = await client.put(`/api/v1/accounts/${accountId}`, request('PUT /api/v1/accounts/{id}'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: accountId, name: 'Updated Account', updated_at: expect.any(String) });
  });

  it('Secrets Management: create, list (keys and timestamps only) and delete, with FlowRunner’s answers', async () => {
    const path = `/api/v1/accounts/${accountId}/secrets`;
    const created = await client.post(path, request('POST /api/v1/accounts/{account_id}/secrets'));
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(expect.arrayContaining(Object.keys(response('POST /api/v1/accounts/{account_id}/secrets'))));
    expect(created.body.key).toBe('NEW_API_KEY');
    const listed = await client.get(path);
    expect(listed.body.secrets).toEqual([expect.objectContaining({ key: 'NEW_API_KEY', created_at: expect.any(String), updated_at: expect.any(String) })]);
    expect(listed.text).not.toContain('your-api-key');
    const removed = await client.delete(`${path}/NEW_API_KEY`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(response('DELETE /api/v1/accounts/{account_id}/secrets/{key}'));
  });

  it('Error Handling: a validation error names the field, in the API’s one error shape', async () => {
    const res = await client.post('/api/v1/flows', { description: 'no definition' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: expect.any(String), request_id: expect.any(String) });
    expect((await api().get('/api/v1/flows')).body.error.code).toBe('unauthorized');
    expect((await client.get('/api/v1/flows/wf_01J00000000000000000000000')).body.error.code).toBe('not_found');
  });

  it('Logout: answers {"message": "Logged out successfully"} and the token stops working', async () => {
    const res = await client.post('/api/v1/auth/logout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(response('POST /api/v1/auth/logout'));
    expect((await client.get('/api/v1/flows')).status).toBe(401);
  });
});
