import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../../support/api-client.ts';
import { eventually, waitForExecution } from '../../support/polling.ts';
import { curl, javascriptWithFacade, jsonAfter, receiver, seedText, snippet, substitute } from './seed-support.ts';

/** FlowCtl's API documentation, example by example (docs/compatibility.md lists every difference). */
const SEED = seedText('flowctl');
const BASE = 'http://localhost:8080';

describe('seed: FlowCtl', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  let created: any;
  const createCurl = snippet(SEED, `curl -X POST ${BASE}/api/v1/workflows`, "}'");
  /** The seed's API has no authentication; Stepwise's needs a credential, added as a header (the only change besides the base URL). */
  const withCredential = () => ({ [BASE]: api().baseUrl, '-H "Content-Type: application/json"': `-H "Content-Type: application/json" -H "Authorization: Bearer ${user.token}"` });

  beforeAll(async () => {
    user = await newAccount('flowctl');
  });

  it('Authentication: Stepwise requires a credential where FlowCtl requires none (401 without one)', async () => {
    expect(SEED).toContain('Currently, the API does not require authentication.');
    const res = await curl(createCurl, { [BASE]: api().baseUrl });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('Create Workflow: the curl creates "Data Processing" with its two tasks', async () => {
    const res = await curl(createCurl, withCredential());
    expect(res.status).toBe(201);
    created = res.body;
    const documented = jsonAfter(SEED, '**Response:**') as Record<string, unknown>;
    expect(Object.keys(created)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(created).toMatchObject({ name: 'Data Processing', description: 'Process daily data files', status: 'active', last_run_status: null });
    expect(created.tasks.map((t: any) => [t.name, t.type, t.priority, t.dependencies, t.max_retries])).toEqual([
      ['extract_data', 'etl', 1, [], 2],
      ['validate_data', 'generic', 2, ['extract_data'], 2],
    ]);
    expect(created.tasks[0].payload).toEqual({ source_url: 's3://bucket/data.csv', target_url: 'postgres://db/staging' });
    expect(created.config).toMatchObject({ max_concurrency: 10, timeout_seconds: 3600, retry_policy: { max_attempts: 3 } });
  });

  it('Get Workflow: the workflow with its tasks in FlowCtl’s shape', async () => {
    const res = await user.client.get(`/api/v1/workflows/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, name: 'Data Processing', created_at: expect.any(String), updated_at: expect.any(String) });
    for (const task of res.body.tasks) {
      expect(task).toMatchObject({ id: expect.any(String), workflow_id: created.id, name: expect.any(String), type: expect.any(String), status: 'pending', payload: expect.any(Object), retry_count: 0, error: null });
    }
  });

  let running: { workflowId: string; executionId: string };
  it('List Workflows: page, limit and status, with the run statuses (running) FlowCtl lists by', async () => {
    const slow = await user.client.post('/api/v1/workflows', { name: 'Nightly', tasks: [{ name: 'hold', type: 'wait', payload: { seconds: 120 } }] });
    const run = await user.client.post(`/api/v1/workflows/${slow.body.id}/run`, {});
    await waitForExecution(user.client, run.body.execution_id, (e) => e.status === 'running');
    running = { workflowId: slow.body.id, executionId: run.body.execution_id };
    const page = await user.client.get('/api/v1/workflows?page=1&limit=10');
    expect(page.body).toMatchObject({ total: 2, page: 1, limit: 10, total_pages: 1 });
    expect(page.body.workflows.map((w: { id: string }) => w.id).toSorted()).toEqual([created.id, slow.body.id].toSorted());
    const byRun = await eventually(
      () => user.client.get('/api/v1/workflows?page=1&limit=10&status=running'),
      (r) => r.body.workflows?.length === 1,
    );
    expect(byRun.body.workflows).toEqual([expect.objectContaining({ id: slow.body.id, last_run_status: 'running' })]);
    expect((await user.client.get('/api/v1/workflows?status=completed')).body.workflows).toEqual([]);
    expect((await user.client.get('/api/v1/workflows?status=active')).body.total).toBe(2);
  });

  it('Cancel Workflow: PUT /api/v1/workflows/{id}/cancel answers {"message": "Workflow cancelled"}', async () => {
    const res = await user.client.put(`/api/v1/workflows/${running.workflowId}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(jsonAfter(SEED, '#### Cancel Workflow') as object);
    const cancelled = await waitForExecution(user.client, running.executionId);
    expect(cancelled.status).toBe('cancelled');
    const listed = await eventually(() => user.client.get('/api/v1/workflows?status=cancelled'), (r) => r.body.workflows?.length === 1);
    expect(listed.body.workflows[0].id).toBe(running.workflowId);
  });

  it('Get Task: GET /api/v1/tasks/{id} answers a run’s task with every documented field', async () => {
    const execution = await user.client.get(`/api/v1/executions/${running.executionId}`);
    const taskId = execution.body.tasks[0].id;
    const res = await user.client.get(`/api/v1/tasks/${taskId}`);
    expect(res.status).toBe(200);
    const documented = jsonAfter(SEED, '#### Get Task') as Record<string, unknown>;
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(res.body).toMatchObject({ id: taskId, workflow_id: running.workflowId, name: 'hold', type: 'wait', status: 'cancelled' });
  });

  it('Get Workflow Tasks: GET /api/v1/workflows/{id}/tasks, each with its state in the latest run', async () => {
    const res = await user.client.get(`/api/v1/workflows/${running.workflowId}/tasks`);
    expect(res.status).toBe(200);
    expect(res.body.tasks).toEqual([expect.objectContaining({ id: 'hold', name: 'hold', type: 'wait', status: 'cancelled', priority: null, dependencies: [], completed_at: expect.any(String) })]);
    // Every documented field but created_at (a workflow's task definition has none; its run task has, at GET /tasks/{task_id}).
    const documented = (jsonAfter(SEED, '#### Get Workflow Tasks') as { tasks: Record<string, unknown>[] }).tasks[0]!;
    expect(Object.keys(res.body.tasks[0])).toEqual(expect.arrayContaining(Object.keys(documented).filter((k) => k !== 'created_at')));
  });

  it('Health Check: GET /api/v1/health', async () => {
    const res = await api().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', timestamp: expect.any(String) });
  });

  it('Get Metrics: workflows, tasks and workers', async () => {
    const res = await user.client.get('/api/v1/metrics');
    expect(res.status).toBe(200);
    const documented = jsonAfter(SEED, '#### Get Metrics') as Record<string, Record<string, unknown>>;
    for (const [group, fields] of Object.entries(documented)) expect(Object.keys(res.body[group]), group).toEqual(expect.arrayContaining(Object.keys(fields)));
    expect(res.body.workflows).toMatchObject({ total: 2, running: 0 });
  });

  it.each(['### ETL Tasks', '### ML Training Tasks', '### CI Tasks', '### Generic Tasks'])('Task Types, %s: the example payload validates with nothing to warn about (it runs)', async (heading) => {
    const example = jsonAfter(SEED, heading) as { type: string; payload: object };
    const res = await user.client.post('/api/v1/workflows/validate', { name: 'types', tasks: [{ name: 'job', ...example }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, dialect: 'flowctl', warnings: [] });
  });

  it('Create Workflow, then run it: etl runs, and its documented target postgres://db/staging names a data source this account does not have, so the run fails there naming it and validate_data never starts', async () => {
    const run = await user.client.post(`/api/v1/workflows/${created.id}/run`, {});
    expect(run.status).toBe(202);
    const done = await waitForExecution(user.client, run.body.execution_id);
    expect(done).toMatchObject({ status: 'failed', failed_node: 'extract_data' });
    expect(done.error).toContain('target_url: data source "db" does not exist in this account');
    expect(done.tasks.find((t: any) => t.node_id === 'validate_data').status).toBe('pending');
  });

  it('Create Workflow’s generic task runs: its documented command is run as a program (validate_schema is not installed here), and with echo it completes', async () => {
    const body = JSON.parse(createCurl.slice(createCurl.indexOf("-d '") + 4, -1)) as { name: string; tasks: Array<Record<string, any>> };
    const generic = body.tasks.find((t) => t.type === 'generic')!;
    expect(generic.payload).toEqual({ command: 'validate_schema' });
    const alone = { ...generic, dependencies: [] };
    const documented = await user.client.post('/api/v1/workflows', { ...body, name: 'Generic as documented', tasks: [alone] });
    const failed = await waitForExecution(user.client, (await user.client.post(`/api/v1/workflows/${documented.body.id}/run`, {})).body.execution_id);
    expect(failed).toMatchObject({ status: 'failed', failed_node: 'validate_data' });
    expect(failed.error).toContain('program "validate_schema" was not found');
    const echo = await user.client.post('/api/v1/workflows', { ...body, name: 'Generic with echo', tasks: [{ ...alone, payload: { command: 'echo validate_schema', args: ['{{input.file}}'] } }] });
    expect(echo.status).toBe(201);
    const done = await waitForExecution(user.client, (await user.client.post(`/api/v1/workflows/${echo.body.id}/run`, { input: { file: 'data.csv' } })).body.execution_id);
    expect(done).toMatchObject({ status: 'completed', result: { exit_code: 0, stdout: 'validate_schema data.csv\n', stderr: '' } });
    expect(done.tasks[0]).toMatchObject({ node_id: 'validate_data', type: 'generic', status: 'completed' });
  });

  it('Rate Limiting: X-RateLimit-Limit, -Remaining and -Reset on every answer', async () => {
    const res = await user.client.get('/api/v1/workflows');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  });

  it('Error Codes: 400 invalid input, 404 unknown, 409 conflict (an error object, not a string)', async () => {
    const bad = await user.client.post('/api/v1/workflows', { name: 'x', tasks: [{ name: 'a', type: 'etl', payload: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', message: expect.any(String) });
    expect((await user.client.get('/api/v1/workflows/wf_01J00000000000000000000000')).status).toBe(404);
    const stale = await user.client.patch(`/api/v1/workflows/${created.id}`, { name: 'renamed' }, { 'If-Match': '"999"' });
    expect(stale.status).toBe(409);
  });

  it('Clients (Go, Python): client.CreateWorkflow(workflowData) is POST /api/v1/workflows (translated to fetch; Go is not run)', async () => {
    for (const line of ['workflow, err := client.CreateWorkflow(ctx, workflowRequest)', 'workflow = client.create_workflow(workflow_data)']) expect(SEED).toContain(line);
    const workflowData = { name: 'From a client', tasks: [{ name: 'hello', type: 'transform', payload: { expression: '"hi"' } }] };
    const res = await fetch(`${api().baseUrl}/api/v1/workflows`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` }, body: JSON.stringify(workflowData) });
    expect(res.status).toBe(201);
  });

  it('JavaScript client: the snippet runs verbatim on stepwise/compat/flowctl (only the import and the address changed)', async () => {
    const code = snippet(SEED, "import { FlowCtlClient } from '@flowctl/client';", 'const workflow = await client.createWorkflow(workflowData);');
    // The snippet uses `workflowData` without defining it: the harness defines it (the seed's own example body) and prints the answer.
    const workflowData = jsonAfter(SEED, `curl -X POST ${BASE}/api/v1/workflows \\\n  -H "Content-Type: application/json" \\\n  -d '{`);
    const program = `${substitute(code, { "'@flowctl/client'": "'stepwise/compat/flowctl'", [BASE]: api().baseUrl })}\nconsole.log(JSON.stringify(workflow));\n`;
    const out = await javascriptWithFacade(`const workflowData = ${JSON.stringify(workflowData)};\n${program}`, { STEPWISE_TOKEN: user.token });
    const workflow = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(workflow).toMatchObject({ name: 'Data Processing', description: 'Process daily data files', dialect: 'flowctl', status: 'active' });
    expect(workflow.tasks.map((t: any) => [t.name, t.type, t.dependencies])).toEqual([
      ['extract_data', 'etl', []],
      ['validate_data', 'generic', ['extract_data']],
    ]);
    // Without a credential the facade gets the API's 401, thrown with its code.
    await expect(javascriptWithFacade(`${program}`.replace('const client', `const workflowData = {};\nconst client`), {})).rejects.toThrow(/StepwiseApiError|Authentication required|unauthorized/);
  });

  describe('Webhooks: secret "webhook_secret", events workflow.completed and workflow.failed', () => {
    let target: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      target = await receiver();
    });
    afterAll(() => target.close());

    it('subscribes every documented event type and signs deliveries with the secret’s UTF-8 bytes; the payload is FlowCtl’s', async () => {
      const config = snippet(SEED, 'webhooks:', 'secret: "webhook_secret"');
      expect(config).toContain('events: ["workflow.completed", "workflow.failed"]');
      const events = snippet(SEED, '- `workflow.created`', '- `task.retrying`').match(/`([a-z.]+)`/g)!.map((e) => e.slice(1, -1));
      const all = await user.client.post('/api/v1/webhooks', { url: `${target.url}/all`, events, secret: 'webhook_secret' });
      expect(all.status).toBe(201);
      const hook = await user.client.post('/api/v1/webhooks', { url: `${target.url}/webhook`, events: ['workflow.completed', 'workflow.failed'], secret: 'webhook_secret' });
      expect(hook.status).toBe(201);
      expect(hook.body.secret).toBe('webhook_secret');

      const wf = await user.client.post('/api/v1/workflows', { name: 'Signed', tasks: [{ name: 'hello', type: 'transform', payload: { expression: '"hi"' } }] });
      const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
      await waitForExecution(user.client, run.body.execution_id);
      await eventually(async () => target.requests.filter((r) => r.url === '/webhook'), (r) => r.length === 1);
      const delivery = target.requests.find((r) => r.url === '/webhook')!;
      const signed = `${delivery.headers['webhook-id']}.${delivery.headers['webhook-timestamp']}.${delivery.body}`;
      expect(delivery.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', Buffer.from('webhook_secret', 'utf8')).update(signed).digest('base64')}`);
      const payload = JSON.parse(delivery.body);
      const documented = jsonAfter(SEED, '### Payload') as { data: Record<string, unknown> };
      expect(Object.keys(payload)).toEqual(expect.arrayContaining(Object.keys(documented)));
      expect(payload).toMatchObject({ event: 'workflow.completed', data: { workflow_id: wf.body.id, workflow_name: 'Signed', status: 'completed' } });
      await eventually(async () => target.requests.filter((r) => r.url === '/all').map((r) => JSON.parse(r.body).event), (seen) => seen.includes('workflow.started') && seen.includes('task.completed'));
    });
  });
});
