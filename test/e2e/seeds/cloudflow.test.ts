import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { exportJWK, importPKCS8, SignJWT } from 'jose';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, newAccount } from '../../support/api-client.ts';
import { eventually, waitForExecution } from '../../support/polling.ts';
import { curl, jsonAfter, python, receiver, seedText, snippet, substitute } from './seed-support.ts';

/**
 * CloudFlow's API reference, example by example (docs/compatibility.md lists every difference).
 * Its base URL https://api.cloudflow.io/v2 is Stepwise's /api/v1; auth.cloudflow.io is the same server.
 */
const SEED = seedText('cloudflow');
const V2 = 'https://api.cloudflow.io/v2';

describe('seed: CloudFlow', () => {
  let admin: Awaited<ReturnType<typeof newAccount>>;
  let apiKey: string;
  let workflowId: string;
  let target: Awaited<ReturnType<typeof receiver>>;
  const base = () => ({ [V2]: `${api().baseUrl}/api/v1` });
  const withKey = () => ({ ...base(), YOUR_API_KEY: apiKey });

  beforeAll(async () => {
    admin = await newAccount('cloudflow');
    const key = await admin.client.post('/api/v1/api-keys', { name: 'server', scopes: ['workflows:read', 'workflows:write', 'pipelines:read', 'analytics:read'] });
    apiKey = key.body.key;
    target = await receiver();
    // A CloudFlow workflow like the examples' "Data Processing Pipeline": a schedule trigger and steps.
    const created = await admin.client.post('/api/v1/workflows', {
      name: 'Data Processing Pipeline',
      description: 'Processes customer data every hour',
      // The examples' schedule is hourly; a yearly one keeps scheduled runs out of the suite's counts.
      trigger: { type: 'schedule', cron: '0 0 1 1 *' },
      steps: [
        { id: 'step_1', type: 'transform', expression: '{"records_processed": 3, "records_failed": 0}' },
        { id: 'step_2', type: 'transform', expression: '"done"' },
      ],
    });
    workflowId = created.body.id;
  });
  afterAll(() => target.close());

  it('API Keys: the curl with X-API-Key lists workflows', async () => {
    const command = snippet(SEED, 'curl -H "X-API-Key: cf_live_a1b2c3d4e5f6g7h8i9j0"', `${V2}/workflows`);
    const res = await curl(command, { ...base(), cf_live_a1b2c3d4e5f6g7h8i9j0: apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: [expect.objectContaining({ id: workflowId })], pagination: { total: 1, has_more: false } });
  });

  it('Webhooks: the curl subscribes with the secret "whsec_your_webhook_secret"', async () => {
    const command = snippet(SEED, `curl -X POST ${V2}/webhooks`, "}'");
    const res = await curl(command, { ...withKey(), 'https://your-app.com/cloudflow-webhook': `${target.url}/cloudflow-webhook` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ events: ['workflow.completed', 'workflow.failed'], secret: 'whsec_your_webhook_secret' });
  });

  let executionId: string;
  it('Webhook Payload: a completed run is delivered signed with the secret’s UTF-8 bytes, in CloudFlow’s payload', async () => {
    const run = await admin.client.post(`/api/v1/workflows/${workflowId}/run`, {});
    executionId = run.body.execution_id;
    await waitForExecution(admin.client, executionId);
    await eventually(async () => target.requests.length, (n) => n >= 1);
    const delivery = target.requests[0]!;
    const signed = `${delivery.headers['webhook-id']}.${delivery.headers['webhook-timestamp']}.${delivery.body}`;
    expect(delivery.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', Buffer.from('whsec_your_webhook_secret', 'utf8')).update(signed).digest('base64')}`);
    const documented = jsonAfter(SEED, '**Webhook Payload Example:**') as { data: Record<string, unknown> };
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({ event: 'workflow.completed', timestamp: expect.any(String), data: { workflow_id: workflowId, execution_id: executionId, status: 'completed' } });
    expect(Object.keys(payload.data)).toEqual(expect.arrayContaining(Object.keys(documented.data)));
    expect(payload.data.records_processed).toBe(3);
  });

  it('OAuth 2.0: the curl redeems an authorization code with client_secret and no code_verifier', async () => {
    const redirect = 'https://yourapp.com/callback';
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', {
      name: 'your app',
      scopes: ['workflows:read', 'workflows:write', 'pipelines:read', 'pipelines:write', 'analytics:read'],
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [redirect],
    });
    const { body: granted } = await admin.client.post('/api/v1/oauth/authorize', { response_type: 'code', client_id: client.client_id, redirect_uri: redirect, scope: 'workflows:read workflows:write' });
    const command = snippet(SEED, 'curl -X POST https://auth.cloudflow.io/oauth/token', '-d "redirect_uri=https://yourapp.com/callback"');
    const res = await curl(command, { 'https://auth.cloudflow.io': api().baseUrl, AUTH_CODE_HERE: granted.code, YOUR_CLIENT_ID: client.client_id, YOUR_CLIENT_SECRET: client.client_secret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'workflows:read workflows:write', refresh_token: expect.any(String) });
    expect((await api(res.body.access_token).get('/api/v1/workflows')).status).toBe(200);
    // A code bound to a PKCE challenge still needs its verifier: PKCE cannot be stripped.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = await admin.client.post('/api/v1/oauth/authorize', { response_type: 'code', client_id: client.client_id, redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' });
    const stripped = await curl(command, { 'https://auth.cloudflow.io': api().baseUrl, AUTH_CODE_HERE: pkce.body.code, YOUR_CLIENT_ID: client.client_id, YOUR_CLIENT_SECRET: client.client_secret });
    expect(stripped.status).toBe(400);
    expect(stripped.body.error).toBe('invalid_grant');
  });

  describe('JWT Tokens: a client-signed RS256 JWT sent directly as Bearer', () => {
    let client: { client_id: string };
    let pem: string;
    beforeAll(async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const jwk = await exportJWK(publicKey);
      client = (
        await admin.client.post('/api/v1/oauth/clients', {
          name: 'signed service',
          scopes: ['workflows:read', 'workflows:write'],
          grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
          public_jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e },
        })
      ).body;
    });

    it('the Python example (PyJWT) signs a token that works as Authorization: Bearer, within its scopes', async () => {
      const code = snippet(SEED, 'import jwt\nimport time', "headers = {'Authorization': f'Bearer {token}'}");
      // The audience is this API's own address; the snippet's last line builds the header, the suite prints it.
      const source = `${substitute(code, { 'your-app-id': client.client_id, 'user-12345': admin.userId, 'https://api.cloudflow.io': inject('serverUrl') })}\nprint(headers['Authorization'])\n`;
      const authorization = (await python(source, { modules: ['jwt', 'cryptography'], files: { 'private_key.pem': pem } })).trim();
      expect(authorization).toMatch(/^Bearer ey/);
      const headers = { Authorization: authorization };
      expect((await api().get('/api/v1/workflows', headers)).status).toBe(200);
      expect((await api().post('/api/v1/workflows', { name: 'via jwt', steps: [{ type: 'pass' }] }, headers)).status).toBe(201);
      // scope 'workflows:read workflows:write' does not reach tasks.
      expect((await api().get('/api/v1/tasks', headers)).status).toBe(403);
    });

    it('a jti is remembered until exp: the same token may repeat, another token with that jti may not', async () => {
      const key = await importPKCS8(pem, 'RS256');
      const sign = (claims: Record<string, unknown>, lifetime = 3600) =>
        new SignJWT({ scope: 'workflows:read', ...claims })
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(client.client_id)
          .setSubject(client.client_id)
          .setAudience(inject('serverUrl'))
          .setIssuedAt()
          .setExpirationTime(`${lifetime}s`)
          .sign(key);
      const first = await sign({ jti: 'jti-1' });
      expect((await api(first).get('/api/v1/workflows')).status).toBe(200);
      expect((await api(first).get('/api/v1/workflows')).status).toBe(200);
      const replay = await api(await sign({ jti: 'jti-1', nonce: 'other' })).get('/api/v1/workflows');
      expect(replay.status).toBe(401);
      expect(replay.body.error.message).toMatch(/jti/);
      expect((await api(await sign({ jti: 'jti-2' }, 7200)).get('/api/v1/workflows')).status).toBe(401);
      expect((await api(await sign({ jti: 'jti-3', scope: 'admin:full' })).get('/api/v1/workflows')).status).toBe(401);
    });
  });

  it('Rate Limiting: every answer carries X-RateLimit-*; over 100 a minute is a 429 with CloudFlow’s error body', async () => {
    const key = (await admin.client.post('/api/v1/api-keys', { name: 'burst', scopes: ['workflows:read'] })).body.key as string;
    const first = await api().get('/api/v1/workflows', { 'X-API-Key': key });
    expect(first.headers.get('x-ratelimit-limit')).toBe('100');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    // Until the first refusal: at most the window's 99 remaining (twice that if the window rolls over meanwhile).
    let over = first;
    let allowed = 0;
    for (let sent = 0; sent < 300 && over.status !== 429; sent++) {
      over = await api().get('/api/v1/workflows', { 'X-API-Key': key });
      if (over.status === 200) allowed++;
    }
    expect(over.status).toBe(429);
    expect(allowed).toBeLessThanOrEqual(199);
    const documented = jsonAfter(SEED, "When you exceed the rate limit, you'll receive") as { error: Record<string, unknown> };
    expect(Object.keys(over.body.error)).toEqual(expect.arrayContaining(Object.keys(documented.error)));
    expect(over.body.error).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringMatching(/^Rate limit exceeded\. Please retry after \d+ seconds\.$/), retry_after: expect.any(Number) });
    expect(Number(over.headers.get('retry-after'))).toBe(over.body.error.retry_after);
  });

  it('Pagination: the curl with limit=50&offset=100 answers data and pagination {total, limit, offset, has_more}', async () => {
    const res = await curl(snippet(SEED, 'curl -H "X-API-Key: YOUR_API_KEY" \\\n  "https://api.cloudflow.io/v2/workflows?limit=50&offset=100', '"'), withKey());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: [], pagination: { total: 2, limit: 50, offset: 100, has_more: false } });
  });

  it('Pagination, Python: fetch_all_workflows pages to the end', async () => {
    const code = snippet(SEED, 'import requests\n\ndef fetch_all_workflows(api_key):', '    return all_workflows');
    const out = await python(`${substitute(code, base())}\n\nprint(len(fetch_all_workflows(${JSON.stringify(apiKey)})))\n`, { modules: ['requests'] });
    expect(out.trim()).toBe('2');
  });

  it('List Workflows: the curl with status=active&limit=25; each with its trigger and its step count', async () => {
    const res = await curl(snippet(SEED, 'curl -H "X-API-Key: YOUR_API_KEY" \\\n  "https://api.cloudflow.io/v2/workflows?status=active&limit=25', '"'), withKey());
    expect(res.status).toBe(200);
    const documented = (jsonAfter(SEED, '**Example Response (200 OK):**') as { data: Record<string, unknown>[] }).data[0]!;
    const mine = res.body.data.find((w: { id: string }) => w.id === workflowId);
    expect(Object.keys(mine)).toEqual(expect.arrayContaining(Object.keys(documented)));
    expect(mine).toMatchObject({ name: 'Data Processing Pipeline', status: 'active', trigger: { type: 'schedule', cron: '0 0 1 1 *' }, steps: 2, last_run: expect.any(String) });
    expect(res.body.pagination).toMatchObject({ limit: 25, offset: 0, has_more: false });
  });

  it('Create Workflow: the example, verbatim, runs fetch_data from users_table (the local Postgres); its script fails naming the undefined calculateSegment', async () => {
    const body = jsonAfter(SEED, '**Request Body:**') as { steps: { type: string; script?: string }[] };
    expect(body.steps.map((s) => s.type)).toEqual(['fetch_data', 'transform', 'send_email']);
    // Its own account, so the suite's workflow counts stay the examples' own.
    const cf = await newAccount('cfcampaign');
    const local = (await cf.client.get('/api/v1/data-sources/local')).body as { url: string; built_in: boolean };
    expect(local.built_in).toBe(true);
    const db = new Client({ connectionString: local.url, connectionTimeoutMillis: 120_000 });
    await db.connect();
    try {
      await db.query('CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, first_name text, active boolean NOT NULL, orders integer NOT NULL)');
      for (const [email, name, active, orders] of [['ada@example.com', 'Ada', true, 12], ['alan@example.com', 'Alan', true, 1], ['grace@example.com', 'Grace <3', false, 40]] as const) {
        await db.query('INSERT INTO users (email, first_name, active, orders) VALUES ($1, $2, $3, $4)', [email, name, active, orders]);
      }
    } finally {
      await db.end();
    }
    expect((await cf.client.post('/api/v1/data-sources', { name: 'users_table', type: 'postgres', url: local.url, table: 'users' })).status).toBe(201);
    expect((await cf.client.post('/api/v1/email-templates', { id: 'tpl_welcome_v2', subject: 'Welcome, {{first_name}}', text: 'Hi {{first_name}}, you are {{segment}}.', html: '<p>Hi {{first_name}}, you are <b>{{segment}}</b>.</p>' })).status).toBe(201);

    const created = await cf.client.post('/api/v1/workflows', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'Email Campaign Automation', status: 'active', webhook_url: expect.any(String) });
    const verbatim = await cf.client.post(`/api/v1/workflows/${created.body.id}/run`, {});
    const failed = await waitForExecution(cf.client, verbatim.body.execution_id, undefined, 120_000);
    expect(failed).toMatchObject({ status: 'failed', failed_node: 'step_2' });
    expect(failed.error).toContain("transform script failed: ReferenceError: 'calculateSegment' is not defined");
    const fetched = failed.tasks.find((t: { node_id: string }) => t.node_id === 'step_1');
    expect(fetched).toMatchObject({ status: 'completed', result: { count: 2 } });
    expect((await cf.client.get('/api/v1/outbox')).body.data).toEqual([]);

    // The same workflow with calculateSegment defined in its script (docs/compatibility.md) runs end to end into the outbox.
    const defined = structuredClone(body);
    defined.steps[1]!.script = `function calculateSegment(user) { return user.orders >= 10 ? 'loyal' : 'new'; }\n${body.steps[1]!.script}`;
    const whole = await cf.client.post('/api/v1/workflows', defined);
    expect(whole.status).toBe(201);
    const run = await cf.client.post(`/api/v1/workflows/${whole.body.id}/run`, {});
    const done = await waitForExecution(cf.client, run.body.execution_id, undefined, 120_000);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ sent: 2, failed: 0 });
    expect(done.tasks.find((t: { node_id: string }) => t.node_id === 'step_2').result.map((u: { email: string; segment: string }) => [u.email, u.segment]).toSorted()).toEqual([
      ['ada@example.com', 'loyal'],
      ['alan@example.com', 'new'],
    ]);
    const outbox = (await cf.client.get('/api/v1/outbox')).body.data as { to: string; subject: string; text: string; html: string }[];
    expect(outbox.map((e) => [e.to, e.subject, e.text, e.html]).toSorted()).toEqual([
      ['ada@example.com', 'Welcome, Ada', 'Hi Ada, you are loyal.', '<p>Hi Ada, you are <b>loyal</b>.</p>'],
      ['alan@example.com', 'Welcome, Alan', 'Hi Alan, you are new.', '<p>Hi Alan, you are <b>new</b>.</p>'],
    ]);
    const pipeline = await cf.client.get(`/api/v1/pipelines/${whole.body.id}/executions`);
    expect(pipeline.body.data[0]).toMatchObject({ status: 'completed' });

    // The curl creates the one-step form; a dry run knows users_table.
    const key = await cf.client.post('/api/v1/api-keys', { name: 'curl', scopes: ['workflows:read', 'workflows:write'] });
    const viaCurl = await curl(snippet(SEED, `curl -X POST ${V2}/workflows`, "}'"), { ...base(), YOUR_API_KEY: key.body.key });
    expect(viaCurl.status).toBe(201);
    const dry = await cf.client.post('/api/v1/workflows/validate', body);
    expect(dry.body.warnings).toEqual([]);
  });

  it('Get Workflow Details: the curl answers trigger (with timezone), steps, metrics', async () => {
    const res = await curl(snippet(SEED, 'curl -H "X-API-Key: YOUR_API_KEY" \\\n  https://api.cloudflow.io/v2/workflows/', 'wf_8x7k2m9p'), { ...withKey(), wf_8x7k2m9p: workflowId });
    expect(res.status).toBe(200);
    const documented = jsonAfter(SEED, '#### Get Workflow Details') as { metrics: Record<string, unknown> } & Record<string, unknown>;
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(documented).filter((k) => k !== 'metrics')));
    expect(res.body.trigger).toEqual({ type: 'schedule', cron: '0 0 1 1 *', timezone: 'UTC' });
    expect(res.body.steps.map((s: { id: string; type: string }) => [s.id, s.type])).toEqual([['step_1', 'transform'], ['step_2', 'transform']]);
    expect(res.body.metrics).toEqual({ total_runs: 1, success_rate: 100, avg_duration_ms: expect.any(Number), last_error: null });
  });

  it('List Pipeline Executions: the Python example prints each execution with its duration', async () => {
    const code = snippet(SEED, 'import requests\n\napi_key = "YOUR_API_KEY"', "{execution['duration_ms']}ms\")");
    const out = await python(substitute(code, { ...withKey(), pipe_4x9k2m: workflowId }), { modules: ['requests'] });
    expect(out.trim()).toMatch(new RegExp(`^Execution ${executionId}: completed - \\d+ms$`));
  });

  it('Get Workflow Metrics: the curl with period=7d&metrics=… answers metrics and a timeseries', async () => {
    const command = snippet(SEED, 'curl -H "X-API-Key: YOUR_API_KEY" \\\n  "https://api.cloudflow.io/v2/analytics/workflows/wf_8x7k2m9p', '"', SEED.indexOf('#### Get Workflow Metrics'));
    const res = await curl(command, { ...withKey(), wf_8x7k2m9p: workflowId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workflow_id: workflowId, period: '7d', start_date: expect.any(String), end_date: expect.any(String), metrics: { execution_count: 1, success_rate: 100, avg_duration: expect.any(Number) } });
    expect(res.body.timeseries.length).toBe(8);
  });

  it('Error Handling: the error object carries code, message, field and request_id; the Python helper reads it', async () => {
    const res = await api().get('/api/v1/workflows?limit=500', { 'X-API-Key': apiKey });
    expect(res.status).toBe(400);
    const documented = jsonAfter(SEED, '### Error Response Format') as { error: Record<string, unknown> };
    expect(Object.keys(res.body.error)).toEqual(expect.arrayContaining(Object.keys(documented.error)));
    expect(res.body.error).toMatchObject({ field: 'limit', request_id: expect.stringMatching(/^req_/) });
    const helper = snippet(SEED, 'import requests\nimport time\n\ndef make_api_request', 'raise Exception("Max retries exceeded")');
    const calls = `
import json
print(json.dumps(make_api_request(${JSON.stringify(`${api().baseUrl}/api/v1/workflows`)}, {"X-API-Key": ${JSON.stringify(apiKey)}})["pagination"]))
try:
    make_api_request(${JSON.stringify(`${api().baseUrl}/api/v1/workflows?limit=500`)}, {"X-API-Key": ${JSON.stringify(apiKey)}})
except Exception as e:
    print(e)
`;
    const out = (await python(`${helper}\n${calls}`, { modules: ['requests'] })).trim().split('\n');
    expect(JSON.parse(out[0]!)).toMatchObject({ total: 2 });
    expect(out[1]).toMatch(/^API Error: limit: /);
  });

  it('Update Workflow: the PATCH curl pauses the workflow', async () => {
    const res = await curl(snippet(SEED, `curl -X PATCH ${V2}/workflows/wf_8x7k2m9p`, `'{"status": "paused"}'`), { ...withKey(), wf_8x7k2m9p: workflowId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: workflowId, status: 'paused', updated_at: expect.any(String) });
  });

  it('Delete Workflow: the DELETE curl answers 204 No Content', async () => {
    const res = await curl(snippet(SEED, `curl -X DELETE ${V2}/workflows/wf_8x7k2m9p`, '-H "X-API-Key: YOUR_API_KEY"'), { ...withKey(), wf_8x7k2m9p: workflowId });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api().get(`/api/v1/workflows/${workflowId}`, { 'X-API-Key': apiKey })).status).toBe(404);
  });
});
