import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

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

  beforeAll(async () => {
    ({ client } = await newAccount('runaway'));
  });

  async function start(body: Record<string, unknown>): Promise<string> {
    const wf = await client.post('/api/v1/workflows', { name: `runaway ${Math.random()}`, ...body });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
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
    const { value: done, slowestMs, failures } = await healthWhile(waitForExecution(client, executionId, undefined, 60_000));
    expect(done).toMatchObject({ status: 'failed', failed_node: node });
    expect(done.error).toContain(`${what} timed out: it did not finish within 10000 ms and was stopped`);
    expect(done.tasks.find((t: any) => t.node_id === node)).toMatchObject({ status: 'failed', result: null });
    expect(failures).toBe(0);
    expect(slowestMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 90_000);
});
