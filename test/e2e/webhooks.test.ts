import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { newAccount } from '../support/api-client.ts';
import { eventually } from '../support/polling.ts';

/**
 * Outbound webhooks end to end. The API's contract runs on the shared server; delivery runs on a
 * server of its own (bin/local.ts as a child process, its own table on the shared DynamoDB Local)
 * with time scaled by 1000 — the retry schedule's 5 s, 5 min, 30 min, 2 h become 5 ms, 0.3 s,
 * 1.8 s, 7.2 s — against a loopback receiver in this process that fails on cue.
 */
const TIME_SCALE = 0.001;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Standard Webhooks verification from the spec, with node:crypto (not the code under test). */
function signedBy(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const expected = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

interface Received {
  endpoint: string;
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A loopback receiver: `/hook/<endpoint>` answers per its behaviour, counting attempts per webhook-id. */
class Receiver {
  readonly received: Received[] = [];
  readonly behaviour = new Map<string, { failFirst: number; status: number }>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const endpoint = (req.url ?? '').replace(/^\/hook\//, '');
        const id = String(req.headers['webhook-id']);
        const plan = this.behaviour.get(endpoint) ?? { failFirst: 0, status: 500 };
        const before = this.received.filter((r) => r.endpoint === endpoint && r.id === id).length;
        const status = before < plan.failFirst ? plan.status : 200;
        this.received.push({ endpoint, id, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'thanks' : `no (${before + 1})`);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  on(endpoint: string, plan: { failFirst: number; status?: number }): string {
    this.behaviour.set(endpoint, { failFirst: plan.failFirst, status: plan.status ?? 500 });
    return `${this.url}/${endpoint}`;
  }

  at(endpoint: string): Received[] {
    return this.received.filter((r) => r.endpoint === endpoint);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('webhooks API (shared server)', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    user = await newAccount('whapi');
  });

  it('accepts AstraFlow’s {url, event}: 201, the secret once, never again in reads', async () => {
    const res = await user.client.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/astra', event: 'task.created' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:9/astra', event: 'task.created', events: ['task.created'], enabled: true, status: 'active', version: 1 });
    expect(res.body.id).toMatch(/^whk_/);
    expect(res.body.webhook_id).toBe(res.body.id);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.headers.get('location')).toBe(`/api/v1/webhooks/${res.body.id}`);
    const one = await user.client.get(`/api/v1/webhooks/${res.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.text).not.toContain(res.body.secret.slice(6));
    const list = await user.client.get('/api/v1/webhooks');
    expect(list.body.pagination).toMatchObject({ total: 1, has_more: false });
    expect(list.text).not.toContain(res.body.secret.slice(6));
  });

  it('accepts CloudFlow/FlowCtl’s {url, events[], secret} and keeps the caller’s secret', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const res = await user.client.post('/api/v1/webhooks', { url: 'https://example.com/cloudflow-webhook', events: ['workflow.completed', 'workflow.failed'], secret });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ events: ['workflow.completed', 'workflow.failed'], event: null, secret });
    const all = await user.client.post('/api/v1/webhooks', { url: 'https://example.com/all', events: ['*'] });
    expect(all.body.events).toEqual(['*']);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const cases: [unknown, string, RegExp?][] = [
      [{ url: 'https://example.com/x', events: ['task.created', 'task.exploded'] }, 'events.1', /unknown event type/],
      [{ url: 'https://example.com/x', event: 'nope' }, 'event'],
      [{ url: 'https://example.com/x' }, 'events'],
      [{ url: 'https://example.com/x', event: 'task.created', events: ['task.created'] }, 'event'],
      [{ url: 'https://example.com/x', events: [] }, 'events'],
      [{ url: 'not a url', events: ['*'] }, 'url'],
      [{ url: 'ftp://example.com/x', events: ['*'] }, 'url'],
      [{ url: 'http://10.0.0.8/x', events: ['*'] }, 'url', /private/],
      [{ url: 'http://169.254.169.254/latest/meta-data/', events: ['*'] }, 'url', /metadata/],
      [{ url: 'http://[fd00:ec2::254]/', events: ['*'] }, 'url'],
      [{ url: 'https://example.com/x', events: ['*'], secret: 'short' }, 'secret'],
      [{ url: 'https://example.com/x', events: ['*'], owner: 'me' }, 'owner'],
    ];
    for (const [body, field, message] of cases) {
      const res = await user.client.post('/api/v1/webhooks', body);
      expect({ status: res.status, code: res.body?.error?.code, field: res.body?.error?.field }, JSON.stringify(body)).toEqual({ status: 400, code: 'validation_error', field });
      expect(res.body.error.message).toMatch(message ?? /./);
    }
  });

  it('PATCH changes, disables, rotates the secret (returned once) and honours If-Match; DELETE removes', async () => {
    const made = (await user.client.post('/api/v1/webhooks', { url: 'https://example.com/p', events: ['task.created'] })).body;
    const off = await user.client.patch(`/api/v1/webhooks/${made.id}`, { enabled: false, events: ['task.updated'] }, { 'If-Match': '"1"' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled', disabled_reason: 'manual', events: ['task.updated'], version: 2 });
    expect(off.body).not.toHaveProperty('secret');
    expect((await user.client.patch(`/api/v1/webhooks/${made.id}`, { enabled: true }, { 'If-Match': '"1"' })).status).toBe(409);
    const rotated = await user.client.patch(`/api/v1/webhooks/${made.id}`, { rotate_secret: true, enabled: true });
    expect(rotated.body).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.secret);
    expect(rotated.body.previous_secret_expires_at).not.toBeNull();
    expect((await user.client.patch(`/api/v1/webhooks/${made.id}`, { url: 'http://10.1.1.1/' })).body.error.field).toBe('url');
    expect((await user.client.delete(`/api/v1/webhooks/${made.id}`)).status).toBe(204);
    expect((await user.client.get(`/api/v1/webhooks/${made.id}`)).status).toBe(404);
  });

  it('answers 404 for unknown webhooks and deliveries', async () => {
    expect((await user.client.get('/api/v1/webhooks/whk_01ARZ3NDEKTSV4RRFFQ69G5FAV/deliveries')).status).toBe(404);
    const made = (await user.client.post('/api/v1/webhooks', { url: 'https://example.com/q', events: ['*'] })).body;
    expect((await user.client.post(`/api/v1/webhooks/${made.id}/deliveries/dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV/retry`)).status).toBe(404);
    expect((await user.client.get(`/api/v1/webhooks/${made.id}/deliveries`)).body).toEqual({ data: [], pagination: { total: 0, limit: 20, offset: 0, has_more: false, next_cursor: null } });
  });
});

describe('webhook delivery (time-scaled server, loopback receiver)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-webhooks-'));
  const table = `stepwise-webhooks-${Date.now().toString(36)}`;
  const receiver = new Receiver();
  let port: number;
  let server: LocalServerProcess | undefined;
  const output = () => server?.output() ?? '';
  let baseUrl: string;

  async function start(): Promise<void> {
    server = await startLocalServerProcess({
      port,
      env: {
        STEPWISE_DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        STEPWISE_TABLE_NAME: table,
        STEPWISE_TIME_SCALE: String(TIME_SCALE),
        RATE_LIMIT_ANONYMOUS: '100000',
        RATE_LIMIT_FREE: '100000',
      },
    });
  }

  async function stop(): Promise<void> {
    await server?.stop();
  }

  /** Registers an account on this server; returns its client with the account id. */
  async function account(prefix: string) {
    const { client, accountId } = await newAccount(prefix, baseUrl);
    return Object.assign(client, { accountId });
  }
  type Account = Awaited<ReturnType<typeof account>>;
  const deliveriesOf = async (user: Account, webhookId: string) => (await user.get(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`)).body.data as any[];

  beforeAll(async () => {
    await receiver.start();
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    await start();
  }, 60_000);

  afterAll(async () => {
    await stop();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('nothing lost: a receiver failing three times per delivery gets every event, exactly the envelope, signed, with a stable webhook-id', async () => {
    const user = await account('whflaky');
    const hook = (await user.post('/api/v1/webhooks', { url: receiver.on('flaky', { failFirst: 3 }), events: ['task.created'] })).body;
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push((await user.post('/api/v1/tasks', { name: `ship ${i}`, tags: ['w'] })).body);
    const delivered = await eventually(
      async () => receiver.at('flaky').filter((r) => r.status === 200),
      (ok) => ok.length >= tasks.length,
    );
    expect(delivered, output()).toHaveLength(tasks.length);
    const envelopes = delivered.map((r) => JSON.parse(r.body));
    expect(envelopes.map((e) => e.data.task_id).toSorted()).toEqual(tasks.map((t) => t.id).toSorted());
    for (const envelope of envelopes) {
      expect(Object.keys(envelope).toSorted()).toEqual(['account_id', 'data', 'event', 'id', 'timestamp']);
      expect(envelope).toMatchObject({ event: 'task.created', account_id: user.accountId });
      expect(envelope.id).toMatch(/^evt_/);
      const task = tasks.find((t) => t.id === envelope.data.task_id)!;
      expect(envelope.data).toMatchObject({ name: task.name, status: 'pending', tags: ['w'] });
    }
    // Per delivery: three failures then one success, same id and bytes each time, each signed afresh.
    for (const id of new Set(receiver.at('flaky').map((r) => r.id))) {
      const attempts = receiver.at('flaky').filter((r) => r.id === id);
      expect(attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
      expect(id).toMatch(/^dlv_/);
      for (const a of attempts) {
        expect(signedBy(hook.secret, a.headers, a.body)).toBe(true);
        expect(a.headers['content-type']).toBe('application/json');
      }
    }
    // The delivery log says the same, newest first.
    const log = await eventually(
      () => deliveriesOf(user, hook.id),
      (ds) => ds.length === 5 && ds.every((d) => d.status === 'delivered'),
    );
    expect(log.map((d) => d.id)).toEqual(log.map((d) => d.id).toSorted().toReversed());
    for (const d of log) {
      expect(d).toMatchObject({ status: 'delivered', final: true, attempt_count: 4, max_attempts: 8, next_attempt_at: null, last_status_code: 200, event: 'task.created', test: false });
      expect(d.attempts.map((a: any) => [a.attempt, a.status_code, a.outcome])).toEqual([
        [1, 500, 'failed'],
        [2, 500, 'failed'],
        [3, 500, 'failed'],
        [4, 200, 'succeeded'],
      ]);
      expect(d.attempts[0].response_excerpt).toBe('no (1)');
      expect(d.attempts[0].next_attempt_at).not.toBeNull();
      expect(d.attempts.every((a: any) => Number.isInteger(a.latency_ms))).toBe(true);
    }
    // Recovery stopped the failure clock.
    expect((await user.get(`/api/v1/webhooks/${hook.id}`)).body).toMatchObject({ enabled: true, failing_since: null });
  });

  it('a 410 disables the endpoint, and its owner hears of it through a webhook.disabled event', async () => {
    const user = await account('whgone');
    const gone = (await user.post('/api/v1/webhooks', { url: receiver.on('gone', { failFirst: 1_000, status: 410 }), events: ['task.created'] })).body;
    const watch = (await user.post('/api/v1/webhooks', { url: receiver.on('watch', { failFirst: 0 }), events: ['webhook.disabled'] })).body;
    await user.post('/api/v1/tasks', { name: 'first' });
    const told = await eventually(
      async () => receiver.at('watch'),
      (r) => r.length > 0,
    );
    expect(told, output()).toHaveLength(1);
    const event = JSON.parse(told[0]!.body);
    expect(event).toMatchObject({ event: 'webhook.disabled', account_id: user.accountId, data: { webhook_id: gone.id, reason: 'gone', url: gone.url } });
    expect(told[0]!.body).not.toContain(gone.secret.slice(6));
    expect(signedBy(watch.secret, told[0]!.headers, told[0]!.body)).toBe(true);
    expect((await user.get(`/api/v1/webhooks/${gone.id}`)).body).toMatchObject({ enabled: false, status: 'disabled', disabled_reason: 'gone' });
    const [dead] = await deliveriesOf(user, gone.id);
    expect(dead).toMatchObject({ status: 'dead_lettered', dead_letter_reason: 'gone', attempt_count: 1, last_status_code: 410 });
    // A disabled endpoint gets nothing more, and a replay is refused until it is enabled again.
    await user.post('/api/v1/tasks', { name: 'second' });
    await sleep(1_500);
    expect(receiver.at('gone')).toHaveLength(1);
    expect((await user.post(`/api/v1/webhooks/${gone.id}/deliveries/${dead.id}/retry`)).status).toBe(409);
  });

  it('a test ping is signed, recorded and dead-lettered after its one failed attempt; a replay delivers it', async () => {
    const user = await account('whping');
    const hook = (await user.post('/api/v1/webhooks', { url: receiver.on('ping', { failFirst: 1 }), events: ['workflow.completed'] })).body;
    const ping = await user.post(`/api/v1/webhooks/${hook.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ event: 'webhook.test', test: true, status: 'pending', max_attempts: 1, payload: { event: 'webhook.test', data: { webhook_id: hook.id } } });
    const dead = await eventually(
      async () => (await deliveriesOf(user, hook.id))[0],
      (d) => d?.status === 'dead_lettered',
    );
    expect(dead, output()).toMatchObject({ id: ping.body.id, dead_letter_reason: 'single_attempt', attempt_count: 1, attempts: [{ attempt: 1, status_code: 500, outcome: 'failed', response_excerpt: 'no (1)' }] });
    // Only the ping's failure: a test never moves the failure clock.
    expect((await user.get(`/api/v1/webhooks/${hook.id}`)).body.failing_since).toBeNull();
    const replay = await user.post(`/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/retry`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: dead.id, status: 'pending', final: false });
    const done = await eventually(
      async () => (await deliveriesOf(user, hook.id))[0],
      (d) => d?.status === 'delivered',
    );
    expect(done.attempts.map((a: any) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    const requests = receiver.at('ping');
    expect(requests.map((r) => r.id)).toEqual([dead.id, dead.id]);
    expect(requests[0]!.body).toBe(requests[1]!.body);
    expect(requests.every((r) => signedBy(hook.secret, r.headers, r.body))).toBe(true);
  });

  it('a retry scheduled before a restart is made after it (pending deliveries resume from the table)', async () => {
    const user = await account('whrestart');
    // Four failures: attempts at 0, 5 ms, 0.3 s and 1.8 s; the fifth is due 7.2 s after the fourth.
    const hook = (await user.post('/api/v1/webhooks', { url: receiver.on('restart', { failFirst: 4 }), events: ['task.created'] })).body;
    await user.post('/api/v1/tasks', { name: 'survives a restart' });
    await eventually(
      async () => receiver.at('restart'),
      (r) => r.length === 4,
    );
    const [pending] = await deliveriesOf(user, hook.id);
    expect(pending).toMatchObject({ status: 'pending', attempt_count: 4 });
    await stop();
    await start();
    const done = await eventually(
      async () => (await deliveriesOf(user, hook.id))[0],
      (d) => d?.status === 'delivered',
    );
    expect(done, output()).toMatchObject({ status: 'delivered', attempt_count: 5 });
    expect(receiver.at('restart').map((r) => r.status)).toEqual([500, 500, 500, 500, 200]);
    expect(new Set(receiver.at('restart').map((r) => r.id)).size).toBe(1);
  }, 60_000);
});
