/**
 * The gated layout end to end (statemachines/README.md, "Gated layout"): the N-shape from issue #20 run by
 * the real local server — workflow API, compiler, local engine, task runner, DynamoDB Local gate records —
 * against a loopback service that takes each node's time. d depends only on b, so it must start while a
 * (which it does not depend on) is still running, and every node still starts only after its dependencies.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

const DURATIONS: Record<string, number> = { s: 50, a: 1500, b: 50, c: 50, d: 300, e: 50 };
const DEPENDENCIES: Record<string, string[]> = { s: [], a: ['s'], b: ['s'], c: ['a', 'b'], d: ['b'], e: ['c', 'd'] };

describe('gated layout (end to end, local engine)', () => {
  const seen = new Map<string, { start: number; end: number }>();
  const server: Server = createServer((req, res) => {
    const node = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const start = performance.now();
    req.resume();
    setTimeout(() => {
      seen.set(node, { start, end: performance.now() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ node }));
    }, DURATIONS[node] ?? 0);
  });
  let base: string;
  let client: Client;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = (await newAccount('gated')).client;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('runs the N-shape with d alongside a, every dependency respected, and no gate in the task list', async () => {
    const wf = await client.post('/api/v1/workflows', {
      name: 'N-shape',
      tasks: Object.entries(DEPENDENCIES).map(([name, dependencies]) => ({ name, type: 'http.request', dependencies, payload: { url: `${base}/${name}` } })),
    });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    expect(run.status).toBe(202);
    const done = await waitForExecution(client, run.body.execution_id, undefined, 60_000);
    expect(done.status).toBe('completed');
    // Gates and releases order nodes; they are no node's work, so the run shows exactly its six tasks.
    expect(done.tasks.map((t: { node_id: string; status: string }) => [t.node_id, t.status]).toSorted()).toEqual(Object.keys(DEPENDENCIES).toSorted().map((n) => [n, 'completed']));
    expect(done.task_summary).toMatchObject({ total: 6, completed: 6 });
    const at = (node: string) => seen.get(node) as { start: number; end: number };
    expect([...seen.keys()].toSorted()).toEqual(Object.keys(DEPENDENCIES).toSorted());
    for (const [node, deps] of Object.entries(DEPENDENCIES)) for (const dep of deps) expect(at(node).start, `${dep} → ${node}`).toBeGreaterThanOrEqual(at(dep).end);
    // The staged layout would hold d until a ends; the gated one starts it when b ends.
    expect(at('d').start).toBeLessThan(at('a').end);
    expect(at('d').end).toBeLessThan(at('a').end);
  });
});
