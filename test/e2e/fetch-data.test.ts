import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

/** fetch_data against the real local server: the embedded Postgres (PGlite over the wire protocol) and an HTTP source. */
describe('fetch_data', () => {
  let user: Account;
  let localUrl: string;
  let db: Client;
  let api: Server;
  let apiUrl: string;
  const rows = [
    ['ada@example.com', 'Ada', true, 250],
    ['alan@example.com', 'Alan', false, 20],
    ['grace@example.com', "Grace'); DROP TABLE fd_users; --", true, 90],
  ] as const;

  beforeAll(async () => {
    user = await newAccount('fetch');
    localUrl = (await user.client.get('/api/v1/data-sources/local')).body.url;
    // The first connection boots PGlite (seconds on a fresh data dir).
    db = new Client({ connectionString: localUrl, connectionTimeoutMillis: 120_000 });
    await db.connect();
    await db.query('CREATE TABLE fd_users (id serial PRIMARY KEY, email text NOT NULL, name text, active boolean, spend integer, updated_at timestamptz DEFAULT now())');
    for (const r of rows) await db.query('INSERT INTO fd_users (email, name, active, spend) VALUES ($1, $2, $3, $4)', [...r]);
    const source = await user.client.post('/api/v1/data-sources', { name: 'fd_users', type: 'postgres', url: localUrl, table: 'fd_users' });
    if (source.status !== 201) throw new Error(`could not create the data source: ${source.status}`);
    api = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/wrapped' ? { data: [{ id: 1, plan: 'pro' }, { id: 2, plan: 'free' }, { id: 3, plan: 'pro' }] } : req.url === '/object' ? { total: 3 } : [{ id: 1, plan: 'pro' }]));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await new Promise<void>((r) => api?.close(() => r()));
  });

  const runToEnd = async (steps: object[], input: object = {}) => {
    const wf = await user.client.post('/api/v1/workflows', { name: 'Fetch', trigger: { type: 'manual' }, steps });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input });
    expect(run.status).toBe(202);
    return waitForExecution(user.client, run.body.execution_id, undefined, 120_000);
  };
  const count = async () => Number((await db.query('SELECT count(*) AS n FROM fd_users')).rows[0].n);

  it('every account has the built-in `local` source: the embedded Postgres on loopback, not changeable', async () => {
    const local = (await user.client.get('/api/v1/data-sources/local')).body;
    expect(local).toMatchObject({ name: 'local', type: 'postgres', built_in: true, url: expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/) });
    expect((await user.client.get('/api/v1/data-sources')).body.data[0]).toMatchObject({ name: 'local', built_in: true });
    expect((await user.client.delete('/api/v1/data-sources/local')).status).toBe(409);
    expect((await user.client.patch('/api/v1/data-sources/local', { url: 'postgres://x@example.com/db' })).status).toBe(409);
    expect((await user.client.post('/api/v1/data-sources', { name: 'local', type: 'postgres', url: 'postgres://x@example.com/db' })).status).toBe(409);
    const read = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'local', query: 'SELECT count(*)::int AS n FROM fd_users' }]);
    expect(read.result).toEqual({ records: [{ n: 3 }], count: 1 });
  });

  it('reads the source’s table with filters: output {records, count}', async () => {
    const done = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', filters: { active: true } }]);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result.count).toBe(2);
    expect(done.result.records.map((r: { email: string }) => r.email).toSorted()).toEqual(['ada@example.com', 'grace@example.com']);
    expect(done.result.records[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String), active: true, updated_at: expect.any(String) });
  });

  it('a query with :last_run, :input and :steps parameters, and limit', async () => {
    const done = await runToEnd(
      [
        { id: 'first', type: 'fetch_data', source: 'fd_users', query: 'SELECT email, spend FROM fd_users WHERE spend >= :input.min AND updated_at > :last_run ORDER BY spend DESC', limit: 1 },
        { id: 'same', type: 'fetch_data', source: 'fd_users', query: 'SELECT email FROM fd_users WHERE email = :steps.first.output.records.0.email' },
      ],
      { min: 50 },
    );
    expect(done.status, JSON.stringify(done)).toBe('completed');
    const first = done.tasks.find((t: { node_id: string }) => t.node_id === 'first');
    expect(first.result).toEqual({ records: [{ email: 'ada@example.com', spend: 250 }], count: 1 });
    expect(done.result).toEqual({ records: [{ email: 'ada@example.com' }], count: 1 });
  });

  it('SQL injection through filters and :input stays data', async () => {
    const before = await count();
    const viaFilter = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', filters: { email: "x' OR '1'='1", name: '{{input.name}}' } }], { name: "'; DROP TABLE fd_users; --" });
    expect(viaFilter.status, JSON.stringify(viaFilter)).toBe('completed');
    expect(viaFilter.result).toEqual({ records: [], count: 0 });
    const viaInput = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', query: 'SELECT * FROM fd_users WHERE email = :input.email' }], { email: "nobody@example.com' OR 1=1; DROP TABLE fd_users; --" });
    expect(viaInput.status, JSON.stringify(viaInput)).toBe('completed');
    expect(viaInput.result.count).toBe(0);
    // The stored name with SQL in it comes back as text, found by an exact match.
    const exact = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', filters: { name: "Grace'); DROP TABLE fd_users; --" } }]);
    expect(exact.result.count).toBe(1);
    const viaColumn = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', filters: { 'active" = true OR "1': 1 } }]);
    expect(viaColumn).toMatchObject({ status: 'failed', failed_node: 'read' });
    expect(viaColumn.error).toContain('must be a column or table name');
    const stacked = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', query: 'SELECT 1; DROP TABLE fd_users' }]);
    expect(stacked).toMatchObject({ status: 'failed', failed_node: 'read' });
    expect(stacked.error).toContain('query must be one statement');
    expect(await count()).toBe(before);
  });

  it('bad SQL, an unknown parameter and a missing source fail the node with a clear message', async () => {
    const bad = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', query: 'SELECT nope FROM fd_users' }]);
    expect(bad).toMatchObject({ status: 'failed', failed_node: 'read' });
    expect(bad.error).toMatch(/fetch_data from "fd_users": the database refused the query: .*nope.* \(SQLSTATE 42703\)/);
    const unknown = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'fd_users', query: 'SELECT * FROM fd_users WHERE id = :id' }]);
    expect(unknown.error).toContain('unknown parameter :id');
    const missing = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'nowhere' }]);
    expect(missing).toMatchObject({ status: 'failed', failed_node: 'read' });
    expect(missing.error).toContain('data source "nowhere" does not exist');
  });

  it('http sources: a JSON array or {data: [...]}, filters applied; Stepwise’s own ports stay refused', async () => {
    expect((await user.client.post('/api/v1/data-sources', { name: 'plans', type: 'http', url: `${apiUrl}/wrapped` })).status).toBe(201);
    const done = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'plans', filters: { plan: 'pro' } }]);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ records: [{ id: 1, plan: 'pro' }, { id: 3, plan: 'pro' }], count: 2 });
    expect((await user.client.post('/api/v1/data-sources', { name: 'not_a_list', type: 'http', url: `${apiUrl}/object` })).status).toBe(201);
    const notList = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'not_a_list' }]);
    expect(notList.error).toContain('is not a JSON array or {data: [...]}');
    expect((await user.client.post('/api/v1/data-sources', { name: 'self', type: 'http', url: `${inject('serverUrl')}/api/v1/workflows` })).status).toBe(201);
    const self = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'self' }]);
    expect(self).toMatchObject({ status: 'failed', failed_node: 'read' });
    expect(self.error).toContain('refusing to connect to port');
    expect(self.error).toContain('a port of Stepwise itself');
  });

  it('a postgres source may not reach other loopback services by port, nor link-local addresses', async () => {
    const dynamo = new URL(inject('dynamoEndpoint'));
    expect((await user.client.post('/api/v1/data-sources', { name: 'dynamo_port', type: 'postgres', url: `postgres://x@127.0.0.1:${dynamo.port}/x`, table: 't' })).status).toBe(201);
    const blocked = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'dynamo_port' }]);
    expect(blocked.error).toContain('the database address is not allowed (reserved_port)');
    expect((await user.client.post('/api/v1/data-sources', { name: 'metadata', type: 'postgres', url: 'postgres://x@169.254.169.254:5432/x', table: 't' })).status).toBe(201);
    const metadata = await runToEnd([{ id: 'read', type: 'fetch_data', source: 'metadata' }]);
    expect(metadata.error).toContain('link_local_or_metadata');
  });
});
