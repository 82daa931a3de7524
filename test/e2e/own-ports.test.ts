import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/**
 * Issue 13, item 2: in local mode loopback is reachable (local development), but never Stepwise's own
 * ports. DynamoDB Local has no authentication, so a workflow that could POST to it would read every
 * tenant's items (users with password hashes included).
 */
describe('workflows and webhooks cannot reach Stepwise\'s own ports (local mode)', () => {
  const dynamoPort = Number(new URL(inject('dynamoEndpoint')).port);
  // The server's own port, not the validating proxy's in front of it (test/support/global-setup.ts).
  const apiPort = Number(new URL(inject('serverUrl')).port);
  let attacker: Client;
  let attackerAccount: string;
  let victim: Awaited<ReturnType<typeof newAccount>>;
  let open: Server;
  let openPort: number;

  beforeAll(async () => {
    let mine: Awaited<ReturnType<typeof newAccount>>;
    [victim, mine] = await Promise.all([newAccount('victim'), newAccount('attacker')]);
    attacker = mine.client;
    attackerAccount = mine.accountId;
    open = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"reached":true}');
    });
    await new Promise<void>((r) => open.listen(0, '127.0.0.1', () => r()));
    openPort = (open.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => open.close(() => r())));

  async function runOne(payload: Record<string, unknown>, type = 'http.request') {
    const wf = await attacker.post('/api/v1/workflows', { name: `own ports ${Math.random()}`, tasks: [{ name: 'call', type, max_retries: 0, payload }] });
    expect(wf.status).toBe(201);
    const run = await attacker.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    expect(run.status).toBe(202);
    const done = await waitForExecution(attacker, run.body.execution_id);
    const logs = await attacker.get(`/api/v1/executions/${run.body.execution_id}/logs?limit=100`);
    return { done, logs: JSON.stringify(logs.body) };
  }

  const scan = (url: string) => ({
    url,
    method: 'POST',
    headers: { 'X-Amz-Target': 'DynamoDB_20120810.Scan', 'Content-Type': 'application/x-amz-json-1.0', Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00' },
    body: { TableName: 'stepwise-local', Limit: 100 },
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
    ['localhost', (port: number) => `http://localhost:${port}/`],
    ['an IPv4-mapped IPv6 literal', (port: number) => `http://[::ffff:7f00:1]:${port}/`],
    ['another 127/8 address', (port: number) => `http://127.1.2.3:${port}/`],
  ])('an http.request Scan of DynamoDB Local through %s fails the node with a clear error and returns no data', async (_how, url) => {
    const { done, logs } = await runOne(scan(url(dynamoPort)));
    expect(done.status).toBe('failed');
    expect(done.failed_node).toBe('call');
    expect(done.error).toContain(`refusing to connect to port ${dynamoPort}`);
    expect(done.error).toContain('a port of Stepwise itself');
    const call = done.tasks.find((t: any) => t.node_id === 'call');
    expect(call).toMatchObject({ status: 'failed', result: null });
    // Nothing DynamoDB would answer shows up anywhere the attacker can read.
    for (const text of [JSON.stringify(done), logs]) {
      expect(text).not.toContain('"Items"');
      expect(text).not.toContain(victim.username);
      expect(text).not.toContain('password');
    }
  });

  it('a webhook node to the DynamoDB Local port fails the same way', async () => {
    const secret = await attacker.post(`/api/v1/accounts/${attackerAccount}/secrets`, { key: 'WEBHOOK_SECRET', value: `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}` });
    expect(secret.status).toBe(201);
    const { done } = await runOne({ url: `http://127.0.0.1:${dynamoPort}/`, body: { TableName: 'stepwise-local' } }, 'webhook');
    expect(done).toMatchObject({ status: 'failed', failed_node: 'call' });
    expect(done.error).toContain(`refusing to connect to port ${dynamoPort} of 127.0.0.1: a port of Stepwise itself`);
  });

  it('an http.request to the API\'s own port is refused (it would act with the server\'s own reach)', async () => {
    const { done } = await runOne({ url: `http://127.0.0.1:${apiPort}/health` });
    expect(done).toMatchObject({ status: 'failed', failed_node: 'call' });
    expect(done.error).toContain(`refusing to connect to port ${apiPort}`);
  });

  it('a webhook subscription to a reserved port is refused when it is created, naming url', async () => {
    for (const port of [dynamoPort, apiPort]) {
      const created = await attacker.post('/api/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['workflow.completed'] });
      expect(created.status).toBe(400);
      expect(created.body.error).toMatchObject({ field: 'url', message: expect.stringContaining(`port ${port}`) });
    }
  });

  it('every other loopback port stays reachable (local development)', async () => {
    const { done } = await runOne({ url: `http://127.0.0.1:${openPort}/` });
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ status_code: 200, body: { reached: true } });
  });
});
