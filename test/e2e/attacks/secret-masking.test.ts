import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, waitForExecution } from '../../support/polling.ts';
import { newAccount, type Account } from './support.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback origin that echoes what it got, redirects on request, and records everything. */
async function origin() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (url.pathname === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { received, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Every form a value takes on its way through URLs, JSON and case-folding parsers. */
function leaked(text: string, secret: string): string | undefined {
  const lower = text.toLowerCase();
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    decoded = text.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  }
  const forms = [secret, encodeURIComponent(secret), new URL(`http://x/?t=${secret}`).search.slice(3), new URLSearchParams({ t: secret }).toString().slice(2)];
  for (const form of forms) if (lower.includes(form.toLowerCase())) return form;
  if (decoded.toLowerCase().includes(secret.toLowerCase())) return `decoded ${secret}`;
  return undefined;
}

const flowctl = (name: string, tasks: unknown[]) => ({ name, tasks });

/** Issue 13 #7 (Medium): a secret value never leaves, in any encoding. */
describe('issue 13 #7 (Medium): secret masking', () => {
  let admin: Account;
  let a: Awaited<ReturnType<typeof origin>>;
  let b: Awaited<ReturnType<typeof origin>>;
  const secrets = () => `/api/v1/accounts/${admin.accountId}/secrets`;

  beforeAll(async () => {
    [admin, a, b] = await Promise.all([newAccount('mask'), origin(), origin()]);
  });
  afterAll(async () => {
    await Promise.all([a, b].map((o) => new Promise<void>((r) => o.server.close(() => r()))));
  });

  async function everythingAbout(executionId: string): Promise<string[]> {
    const paths = [`/api/v1/executions/${executionId}`, `/api/v1/executions/${executionId}/logs?limit=100`, `/api/v1/executions/${executionId}/tasks`, `/api/v1/tasks?execution_id=${executionId}`];
    return Promise.all(paths.map(async (p) => `${p}: ${(await admin.client.get(p)).text}`));
  }

  it('a secret with a space, percent-encoded by URL parsing, is masked in the log, the result and the task views', async () => {
    const value = 'p@ss w0rd!Zq9';
    expect((await admin.client.post(secrets(), { key: 'SPACED', value })).status).toBe(201);
    const wf = await admin.client.post('/api/v1/workflows', flowctl('encoded', [{ name: 'call', type: 'http.request', max_retries: 0, payload: { url: `${a.url}/echo?token={{secrets.SPACED}}&x=1` } }]));
    expect(wf.status, wf.text).toBe(201);
    const run = await admin.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    const done = await waitForExecution(admin.client, run.body.execution_id);
    expect(done.status).toBe('completed');
    // The value did go out: the target saw it.
    expect(decodeURIComponent(a.received.at(-1)!.path)).toContain(value);
    for (const text of await everythingAbout(run.body.execution_id)) expect(leaked(text, value), text).toBeUndefined();
  });

  it('a secret lower-cased as a URL host is masked in the error, the logs, and the workflow.failed webhook and its delivery record', async () => {
    const value = 'MyS3cretHostName';
    expect((await admin.client.post(secrets(), { key: 'HOST', value })).status).toBe(201);
    const hook = await admin.client.post('/api/v1/webhooks', { url: `${b.url}/hook`, events: ['workflow.failed'] });
    expect(hook.status, hook.text).toBe(201);
    const wf = await admin.client.post('/api/v1/workflows', flowctl('hosted', [{ name: 'call', type: 'http.request', max_retries: 0, payload: { url: 'http://{{secrets.HOST}}.invalid/path', timeout: '5s' } }]));
    const run = await admin.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    const done = await waitForExecution(admin.client, run.body.execution_id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/\*\*\*/);
    const delivered = await eventually(
      async () => (await admin.client.get(`/api/v1/webhooks/${hook.body.id}/deliveries?limit=100`)).body.data as any[],
      (d) => d.some((x) => x.attempts?.length > 0 && x.status !== 'pending'),
    );
    expect(delivered.length).toBeGreaterThan(0);
    const received = b.received.filter((r) => r.path === '/hook').map((r) => r.body);
    expect(received.join('')).toContain(run.body.execution_id);
    const texts = [...(await everythingAbout(run.body.execution_id)), JSON.stringify(delivered), ...received];
    for (const text of texts) expect(leaked(text, value), text).toBeUndefined();
    expect((await admin.client.delete(`/api/v1/webhooks/${hook.body.id}`)).status).toBe(204);
  });

  it('refuses a secret shorter than 8 characters at write time, naming the field', async () => {
    for (const value of ['abc', '1234567']) {
      const res = await admin.client.post(secrets(), { key: 'SHORT', value });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'value' });
      expect(res.text).not.toContain(value);
    }
    expect((await admin.client.post(secrets(), { key: 'LONG_ENOUGH', value: '12345678' })).status).toBe(201);
    const replaced = await admin.client.put(`${secrets()}/LONG_ENOUGH`, { value: 'short' });
    expect(replaced.status).toBe(400);
    expect(replaced.body.error.field).toBe('value');
  });

  it('refuses {{secrets.…}} in a transform at validate time, so a transform cannot reshape a secret', async () => {
    await admin.client.post(secrets(), { key: 'TOKEN', value: 'tr4nsf0rm-me-please' });
    const cases = [
      { expression: '$uppercase($)', input: '{{secrets.TOKEN}}' },
      { expression: '$join($reverse($split($, "")), "")', input: { t: 'x {{secrets.TOKEN}}' } },
      { expression: '"{{secrets.TOKEN}}"' },
    ];
    for (const payload of cases) {
      for (const path of ['/api/v1/workflows', '/api/v1/workflows/validate']) {
        const res = await admin.client.post(path, flowctl('reshape', [{ name: 'leak', type: 'transform', payload }]));
        expect(res.status, `${path} ${JSON.stringify(payload)}: ${res.text}`).toBe(400);
        expect(res.body.error.code).toBe('validation_error');
        expect(JSON.stringify(res.body.error)).toMatch(/secret/i);
        expect(res.body.error.field ?? res.body.error.details?.issues?.[0]?.field).toMatch(/leak|tasks\[0\]|tasks\.0/);
      }
    }
  });

  it('strips every header that carried a secret on a cross-origin redirect, and keeps them on a same-origin one', async () => {
    await admin.client.post(secrets(), { key: 'API_TOKEN', value: 'x-api-key-value-42' });
    const headers = { 'X-Api-Key': '{{secrets.API_TOKEN}}', 'X-Signed': 'sig {{secrets.API_TOKEN}}', 'X-Trace': 'plain-trace' };
    const wf = await admin.client.post('/api/v1/workflows', flowctl('redirected', [
      { name: 'cross', type: 'http.request', max_retries: 0, payload: { url: `${a.url}/redirect?to=${encodeURIComponent(`${b.url}/landing`)}`, headers } },
      { name: 'same', type: 'http.request', max_retries: 0, dependencies: ['cross'], payload: { url: `${a.url}/redirect?to=${encodeURIComponent('/landed')}`, headers } },
    ]));
    expect(wf.status, wf.text).toBe(201);
    const run = await admin.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    expect((await waitForExecution(admin.client, run.body.execution_id)).status).toBe('completed');
    const landing = b.received.find((r) => r.path === '/landing')!;
    expect(landing.headers['x-api-key']).toBeUndefined();
    expect(landing.headers['x-signed']).toBeUndefined();
    expect(landing.headers['x-trace']).toBe('plain-trace');
    const landed = a.received.find((r) => r.path === '/landed')!;
    expect(landed.headers['x-api-key']).toBe('x-api-key-value-42');
  });
});
