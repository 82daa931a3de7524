import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/** FlowRunner's documented example, verbatim. */
const FLOWRUNNER_YAML =
  'metadata:\n  name: "My Flow"\n  description: "A simple flow"\n  version: "1.0.0"\n\nnodes:\n  start:\n    type: "http.request"\n    params:\n      url: "https://api.example.com/data"\n      method: "GET"\n    next:\n      default: "end"\n  \n  end:\n    type: "webhook"\n    params:\n      url: "https://webhook.example.com/callback"\n      method: "POST"\n';

/** FlowCtl's documented example, verbatim. */
const FLOWCTL = {
  name: 'Data Processing',
  description: 'Process daily data files',
  tasks: [
    { name: 'extract_data', type: 'etl', payload: { source_url: 's3://bucket/data.csv', target_url: 'postgres://db/staging' }, priority: 1 },
    { name: 'validate_data', type: 'generic', dependencies: ['extract_data'], payload: { command: 'validate_schema' }, priority: 2 },
  ],
};

describe('workflows (end to end)', () => {
  let client: Client;
  let other: Client;
  beforeAll(async () => {
    [{ client }, { client: other }] = await Promise.all([newAccount('wf'), newAccount('wfother')]);
  });

  it('creates a FlowRunner flow from its documented request and reads it back in its shape', async () => {
    const created = await client.post('/api/v1/flows', { name: 'My Flow', description: 'A simple flow', definition: FLOWRUNNER_YAML, tags: ['production'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'My Flow', description: 'A simple flow', status: 'active', version: '1.0.0', published_version: 1, tags: ['production'], dialect: 'flowrunner', definition: FLOWRUNNER_YAML, last_run: null });
    expect(created.body.id).toMatch(/^wf_/);
    const got = await client.get(`/api/v1/flows/${created.body.id}`);
    expect(got.body).toEqual(created.body);
    const versions = await client.get(`/api/v1/workflows/${created.body.id}/versions`);
    expect(versions.body.data).toHaveLength(1);
    expect(versions.body.data[0].asl).toMatchObject({ StartAt: expect.any(String), States: expect.any(Object) });
    expect(JSON.stringify(versions.body.data[0].asl)).not.toMatch(/JSONata/i);
  });

  it('creates a FlowCtl DAG and shows tasks with effective retries and the config', async () => {
    const created = await client.post('/api/v1/workflows', { ...FLOWCTL, config: { max_concurrency: 4, timeout: '30m', retry_policy: { max_attempts: 5, initial_delay: '2s' } } });
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ max_concurrency: 4, timeout_seconds: 1800 });
    expect(created.body.tasks).toEqual([
      expect.objectContaining({ id: 'extract_data', type: 'etl', max_retries: 4, priority: 1, dependencies: [], status: 'pending' }),
      expect.objectContaining({ id: 'validate_data', type: 'generic', max_retries: 4, dependencies: ['extract_data'] }),
    ]);
    const tasks = await client.get(`/api/v1/workflows/${created.body.id}/tasks`);
    expect(tasks.body.tasks.map((t: { name: string }) => t.name)).toEqual(['extract_data', 'validate_data']);
  });

  it('creates a CloudFlow workflow (trigger + steps), with CloudFlow’s own step types, and rejects a type that does not exist', async () => {
    const created = await client.post('/api/v1/workflows', {
      name: 'Email Campaign Automation',
      trigger: { type: 'manual' },
      steps: [
        { type: 'http.request', url: 'https://example.com/users' },
        { type: 'transform', expression: '$count(steps)' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ trigger: { type: 'manual' }, dialect: 'cloudflow' });
    const campaign = await client.post('/api/v1/workflows', { name: 'x', trigger: { type: 'webhook' }, steps: [{ type: 'fetch_data', source: 'users_table' }, { type: 'send_email', template_id: 'tpl_welcome_v2' }] });
    expect(campaign.status).toBe(201);
    const bad = await client.post('/api/v1/workflows', { name: 'x', trigger: { type: 'webhook' }, steps: [{ type: 'fetch_everything', source: 'users_table' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', field: expect.stringContaining('steps[0]') });
    expect(bad.body.error.message).toMatch(/fetch_everything/);
  });

  it('names the nodes of a cycle, unknown dependencies and bad params', async () => {
    const cycle = await client.post('/api/v1/workflows', {
      name: 'loop',
      tasks: [
        { name: 'a', type: 'generic', payload: { command: 'x' }, dependencies: ['c'] },
        { name: 'b', type: 'generic', payload: { command: 'x' }, dependencies: ['a'] },
        { name: 'c', type: 'generic', payload: { command: 'x' }, dependencies: ['b'] },
      ],
    });
    expect(cycle.status).toBe(400);
    const issues = cycle.body.error.details.issues as { code: string; message: string }[];
    expect(issues.some((i) => i.code === 'cycle' && /a.*b.*c|c.*a.*b|b.*c.*a/.test(i.message))).toBe(true);
    const unknown = await client.post('/api/v1/workflows', { name: 'u', tasks: [{ name: 'a', type: 'generic', payload: { command: 'x' }, dependencies: ['ghost'] }] });
    expect(unknown.body.error.details.issues[0]).toMatchObject({ code: 'unknown_dependency', node: 'a' });
    const params = await client.post('/api/v1/workflows', { name: 'p', tasks: [{ name: 'a', type: 'http.request', payload: { url: 'https://x.io', verb: 'GET' } }] });
    expect(params.body.error.details.issues[0]).toMatchObject({ node: 'a', code: 'invalid_params' });
  });

  it('validates without saving: IR and ASL back on success, 400 with every issue otherwise', async () => {
    const before = (await client.get('/api/v1/workflows')).body.pagination.total;
    const ok = await client.post('/api/v1/workflows/validate', { definition: FLOWRUNNER_YAML });
    expect(ok.status).toBe(200);
    // FlowRunner's example webhook node: without a WEBHOOK_SECRET it would post unsigned, and the dry run says so.
    expect(ok.body).toMatchObject({ valid: true, dialect: 'flowrunner', errors: [], warnings: [{ path: 'nodes.end', code: 'unsigned_webhook' }] });
    expect(ok.body.ir.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'end']);
    expect(ok.body.asl.States).toBeDefined();
    // etl and generic both run (docs/api.md, "etl" and "Jobs"), so the dry run has nothing to flag.
    const worker = await client.post('/api/v1/workflows/validate', { name: FLOWCTL.name, tasks: FLOWCTL.tasks });
    expect(worker.status).toBe(200);
    expect(worker.body.warnings).toEqual([]);
    const bad = await client.post('/api/v1/workflows/validate', { definition: 'nodes:\n  a:\n    type: nope\n' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0]).toMatchObject({ node: 'a', code: 'unknown_type' });
    expect((await client.get('/api/v1/workflows')).body.pagination.total).toBe(before);
  });

  it('publishes versions with PUT, changes lifecycle with PATCH, and enforces revisions', async () => {
    const { body: wf } = await client.post('/api/v1/workflows', FLOWCTL);
    const put = await client.put(`/api/v1/workflows/${wf.id}`, { ...FLOWCTL, tasks: [...FLOWCTL.tasks, { name: 'report', type: 'generic', payload: { command: 'r' }, dependencies: ['validate_data'] }] });
    expect(put.body).toMatchObject({ version: 2, revision: 2 });
    expect(put.body.tasks).toHaveLength(3);
    expect((await client.get(`/api/v1/workflows/${wf.id}/versions`)).body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const paused = await client.patch(`/api/v1/workflows/${wf.id}`, { status: 'paused' }, { 'If-Match': '"2"' });
    expect(paused.body).toMatchObject({ status: 'paused', version: 2, revision: 3 });
    expect((await client.patch(`/api/v1/workflows/${wf.id}`, { status: 'active' }, { 'If-Match': '"2"' })).status).toBe(409);
    expect((await client.patch(`/api/v1/workflows/${wf.id}`, { status: 'deleted' })).body.error.field).toBe('status');
    expect((await client.put(`/api/v1/workflows/${wf.id}`, { name: 'no definition' })).body.error.field).toBe('definition');
    expect((await client.delete(`/api/v1/workflows/${wf.id}`)).status).toBe(204);
    expect((await client.get(`/api/v1/workflows/${wf.id}`)).status).toBe(404);
  });

  it('lists with filters and pages the way CloudFlow’s Python loop expects', async () => {
    const { client: fresh } = await newAccount('wflist');
    const since = new Date().toISOString();
    for (let i = 0; i < 5; i++) await fresh.post('/api/v1/workflows', { ...FLOWCTL, name: `wf${i}`, tags: i % 2 ? ['odd'] : ['even'] });
    const all: { name: string }[] = [];
    let offset = 0;
    for (;;) {
      const page = await fresh.get(`/api/v1/workflows?limit=2&offset=${offset}`);
      all.push(...page.body.data);
      if (!page.body.pagination.has_more) break;
      offset += 2;
    }
    expect(all.map((w) => w.name)).toEqual(['wf4', 'wf3', 'wf2', 'wf1', 'wf0']);
    expect((await fresh.get('/api/v1/workflows?tag=odd')).body.data.map((w: { name: string }) => w.name)).toEqual(['wf3', 'wf1']);
    expect((await fresh.get(`/api/v1/workflows?created_after=${encodeURIComponent(since)}`)).body.pagination.total).toBe(5);
    expect((await fresh.get('/api/v1/workflows?created_after=2999-01-01T00:00:00Z')).body.data).toEqual([]);
    const flows = await fresh.get('/api/v1/flows?status=active');
    expect(flows.body.flows).toHaveLength(5);
    expect(flows.body.pagination.total).toBe(5);
  });

  it('keeps workflows private to their account', async () => {
    const { body: wf } = await client.post('/api/v1/workflows', FLOWCTL);
    expect((await other.get(`/api/v1/workflows/${wf.id}`)).status).toBe(404);
    expect((await other.put(`/api/v1/workflows/${wf.id}`, FLOWCTL)).status).toBe(404);
    expect((await other.delete(`/api/v1/workflows/${wf.id}`)).status).toBe(404);
    expect((await other.get(`/api/v1/workflows/${wf.id}/versions`)).status).toBe(404);
    expect((await client.get(`/api/v1/workflows/${wf.id}`)).status).toBe(200);
  });
});
