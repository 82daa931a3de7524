import { beforeEach, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';
import { MAX_MAP_ITEMS_PER_RUN } from '../../statemachines/task-runner-contract.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/** How long GET /health may take while a runaway run executes (it froze for 13 minutes before). */
const HEALTH_BOUND_MS = 3_000;

/**
 * Calls /health back to back until `done` settles and reports the slowest answer: a frozen event loop
 * shows up as one very slow (or failed) answer.
 */
async function healthWhile<T>(done: Promise<T>): Promise<{ value: T; slowestMs: number; checks: number; failures: number }> {
  const state = { settled: false };
  const result = done.finally(() => (state.settled = true));
  let slowestMs = 0;
  let checks = 0;
  let failures = 0;
  const system = api();
  while (!state.settled) {
    const started = performance.now();
    const res = await Promise.race([system.get('/health'), new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000))]);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    checks += 1;
    if (res?.status !== 200) failures += 1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { value: await result, slowestMs, checks, failures };
}

describe('runaway runs cannot stop the local API', () => {
  let client: Client;

  // An account per test: each run is watched for up to a minute, which must not spend the next test's rate limit.
  beforeEach(async () => {
    ({ client } = await newAccount('runaway'));
  });

  async function start(body: Record<string, unknown>, input: unknown = {}): Promise<string> {
    const wf = await client.post('/api/v1/workflows', { name: `runaway ${Math.random()}`, ...body });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input });
    expect(run.status).toBe(202);
    return run.body.execution_id as string;
  }

  // Issue 13, item 4: the expression is stopped at its deadline (10 s) and the node fails with a timeout.
  it.each([
    ['a catastrophic regular expression in a transform', { tasks: [{ name: 'spin', type: 'transform', max_retries: 0, payload: { expression: '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/)' } }] }, 'spin', 'transform expression'],
    ['an endless recursion in a transform', { tasks: [{ name: 'spin', type: 'transform', max_retries: 0, payload: { expression: '($f := function($x){ $f($x) }; $f(1))' } }] }, 'spin', 'transform expression'],
    [
      'a catastrophic regular expression in a choice condition',
      { definition: { nodes: { route: { type: 'choice', params: { choices: [{ when: '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/)', next: 'yes' }], default: 'no' } }, yes: { type: 'pass' }, no: { type: 'pass' } } } },
      'route',
      'choices[0].when',
    ],
  ])('%s fails its node with a timeout error while /health keeps answering', async (_what, body, node, what) => {
    const executionId = await start(body);
    const { value: done, slowestMs, failures } = await healthWhile(waitForExecution(client, executionId, undefined, 60_000, 1_000));
    expect(done).toMatchObject({ status: 'failed', failed_node: node });
    expect(done.error).toContain(`${what} timed out: it did not finish within 10000 ms and was stopped`);
    expect(done.tasks.find((t: any) => t.node_id === node)).toMatchObject({ status: 'failed', result: null });
    expect(failures).toBe(0);
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 90_000);

  // Issue 13, item 3: a map over 120,000 items froze /health for 12 minutes and DELETE never answered.
  const wideMap = (items: string) => ({
    steps: [{ type: 'map', id: 'each', items, max_concurrency: 1000, iterator: [{ type: 'transform', id: 'shape', expression: '{"n": item, "double": item * 2}' }] }],
  });

  it('a map over more items than a run may start fails at once, naming the map, with no iteration run', async () => {
    // 120,000 items still fit the 256 KB input.
    const executionId = await start(wideMap('{{input.items}}'), { items: Array.from({ length: 120_000 }, () => 0) });
    const { value: done, slowestMs } = await healthWhile(waitForExecution(client, executionId, undefined, 60_000, 1_000));
    expect(done).toMatchObject({ status: 'failed', failed_node: 'each' });
    expect(done.error).toBe(`Node 'each' (map) failed: the map has 120000 items; a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations`);
    expect(done.tasks.find((t: any) => t.node_id === 'shape')).toMatchObject({ status: 'pending' });
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 90_000);

  it('map items computed at run time are held to the same limit by the task runner', async () => {
    const executionId = await start({
      steps: [
        // 20,000 zeros: the step output stays small enough to be stored whole (256 KB).
        { type: 'transform', id: 'list', expression: '[1..20000].(0)' },
        { type: 'map', id: 'each', items: '{{steps.list.output}}', iterator: [{ type: 'transform', id: 'shape', expression: 'item' }] },
      ],
    });
    const done = await waitForExecution(client, executionId, undefined, 60_000, 1_000);
    expect(done).toMatchObject({ status: 'failed', failed_node: 'each' });
    expect(done.error).toContain(`the map has 20000 items; a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations`);
  }, 90_000);

  it('while a map over the most items a run may start executes, /health answers within its bound and DELETE /executions/{id} stops it', async () => {
    const executionId = await start(wideMap('{{input.items}}'), { items: Array.from({ length: MAX_MAP_ITEMS_PER_RUN }, (_, i) => i) });
    // Let it get going: iterations are running.
    const busy = await eventually(
      () => client.get(`/api/v1/executions/${executionId}`),
      (r) => r.body?.tasks?.some((t: any) => t.node_id === 'shape' && t.status !== 'pending'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(busy.body.status).toBe('running');
    const watched = await healthWhile(new Promise((r) => setTimeout(r, 10_000)));
    expect(watched.failures).toBe(0);
    expect(watched.slowestMs).toBeLessThan(HEALTH_BOUND_MS);

    const started = performance.now();
    const cancelled = await client.delete(`/api/v1/executions/${executionId}`);
    expect(cancelled.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(HEALTH_BOUND_MS);
    const { value: done, slowestMs } = await healthWhile(waitForExecution(client, executionId, undefined, 60_000, 1_000));
    expect(done.status).toBe('cancelled');
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 180_000);
});
