/**
 * The gated layout executed in aws-local-stepfunctions (statemachines/README.md, "Gated layout"), its gate
 * calls answered by the real DependencyGates: exactness as an order property — whatever order the running
 * nodes end in, every node whose dependencies have all ended starts without anything else ending first —
 * and the makespan of the N-shape against the staged layout of the same definition.
 */
import { describe, expect, it } from 'vitest';
import { parseFailureCause, type TaskRunnerRequest } from '../../../statemachines/task-runner-contract.ts';
import { compile, flowctl } from '../support/fixtures.ts';
import { N_DAG } from '../support/flows.ts';
import { errorNamed, runLocal, type CallRecord, type LocalRunResult } from '../support/local-sfn.ts';
import { prng, randomDag } from '../support/random-dags.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const byNode = (calls: CallRecord[]) => new Map(calls.map((c) => [c.request.node_id, c]));

/** Polls (no fixed sleeps) until `done()` holds; fails with `what` after a generous deadline. */
async function until(done: () => boolean, what: () => string, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what()}`);
    await sleep(2);
  }
}

/**
 * Runs `body` with nodes that end only when the test says so, ending one running node at a time in a seeded
 * random order. After each step it waits until every ready node has started and checks that no other has:
 * a node starts exactly when its last dependency ends, whatever the durations.
 */
async function driveInAnyOrder(body: unknown, nodes: string[], edges: Array<[string, string]>, seed: number): Promise<LocalRunResult> {
  const random = prng(seed);
  const release = new Map<string, () => void>();
  const started = new Set<string>();
  const ended = new Set<string>();
  const running = (async () =>
    runLocal(compile(body), {
      timeoutMs: 60_000,
      handler: (req: TaskRunnerRequest) =>
        new Promise<void>((resolve) => {
          started.add(req.node_id);
          release.set(req.node_id, () => {
            ended.add(req.node_id);
            resolve();
          });
        }),
    }))();
  const ready = () => nodes.filter((v) => !started.has(v) && edges.filter(([, to]) => to === v).every(([from]) => ended.has(from)));
  while (ended.size < nodes.length) {
    const expected = nodes.filter((v) => started.has(v) || edges.filter(([, to]) => to === v).every(([from]) => ended.has(from)));
    await until(
      () => ready().length === 0,
      () => `nodes ${ready().join(', ')} should have started once ${[...ended].join(', ') || 'nothing'} ended`,
    );
    // Nothing whose dependencies have not all ended has started.
    expect([...started].toSorted()).toEqual(expected.toSorted());
    const live = [...started].filter((v) => !ended.has(v));
    const next = live[Math.floor(random() * live.length)] as string;
    release.get(next)?.();
  }
  return running;
}

const N_SHAPE = {
  tasks: [
    { name: 's', type: 'generic', payload: { command: 's' } },
    { name: 'a', type: 'generic', payload: { command: 'a' }, dependencies: ['s'] },
    { name: 'b', type: 'generic', payload: { command: 'b' }, dependencies: ['s'] },
    { name: 'c', type: 'generic', payload: { command: 'c' }, dependencies: ['a', 'b'] },
    { name: 'd', type: 'generic', payload: { command: 'd' }, dependencies: ['b'] },
    { name: 'e', type: 'generic', payload: { command: 'e' }, dependencies: ['c', 'd'] },
  ],
};

describe('gated layout in the interpreter', () => {
  it('starts every node of the N-shape when its last dependency ends, in every order', async () => {
    const nodes = ['a', 'b', 'c', 'd'];
    const edges: Array<[string, string]> = [['a', 'c'], ['b', 'c'], ['b', 'd']];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = await driveInAnyOrder(N_DAG, nodes, edges, seed);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.pendingGates).toBe(0);
      expect(run.gateCalls.map((c) => c.state).toSorted()).toEqual(['b (release)', 'c (gate)']);
    }
  });

  it('is exact on seeded random DAGs, whatever order their nodes end in', async () => {
    const dags = [5, 11, 17, 23, 29, 31]
      .map((seed) => {
        const { n, edges } = randomDag(12, seed);
        const names = Array.from({ length: n }, (_, i) => `t${i}`);
        const named = edges.map(([x, y]) => [`t${x}`, `t${y}`] as [string, string]);
        const body = flowctl(names, named, { max_concurrency: 100 });
        return { seed, names, named, body, stats: compile(body).stats };
      })
      // Every prime gated: the whole DAG is scheduled exactly.
      .filter((d) => d.stats.gated_blocks > 0 && d.stats.added_pairs === 0);
    expect(dags.length).toBeGreaterThanOrEqual(2);
    for (const d of dags) {
      const run = await driveInAnyOrder(d.body, d.names, d.named, d.seed);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.pendingGates).toBe(0);
    }
  });

  it('measures the N-shape’s makespan near its critical path, where the staged layout adds the synthetic wait', async () => {
    // s, b, c, e 50 ms; a and d 1000 ms: critical path 1150 ms (s a c e and s b d e); staged 2100 ms (d waits for a).
    const durations: Record<string, number> = { s: 50, a: 1000, b: 50, c: 50, d: 1000, e: 50 };
    const handler = (req: TaskRunnerRequest) => sleep(durations[req.node_id] ?? 0);
    const gated = await runLocal(compile(N_SHAPE), { handler });
    const staged = await runLocal(compile(N_SHAPE, { gates: false }), { handler });
    expect([gated.status, staged.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const calls = byNode(gated.calls);
    const get = (id: string) => calls.get(id) as CallRecord;
    // d ran while a was still running; the staged layout held d until a had ended.
    expect(get('d').start).toBeLessThan(get('a').end);
    expect((byNode(staged.calls).get('d') as CallRecord).start).toBeGreaterThanOrEqual((byNode(staged.calls).get('a') as CallRecord).end);
    expect(gated.durationMs).toBeGreaterThanOrEqual(1150);
    expect(gated.durationMs).toBeLessThan(1600);
    expect(staged.durationMs).toBeGreaterThanOrEqual(2100);
    expect(gated.pendingGates).toBe(0);
  });

  it('fails naming the node when a gated unit fails, without leaving a gate waiting forever', async () => {
    const run = await runLocal(compile(N_SHAPE), {
      handler: async (req) => {
        if (req.node_id === 'b') throw errorNamed('Stepwise.NonRetryable', 'b broke');
        await sleep(req.node_id === 'a' ? 200 : 10);
      },
    });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Stepwise.NonRetryable');
    expect(parseFailureCause(run.cause ?? '')).toMatchObject({ failed_node: 'b' });
    // c never started: its gate waited for b, which never released it.
    expect(run.calls.map((c) => c.request.node_id)).not.toContain('c');
  });

  it('keeps each map iteration’s gates apart', async () => {
    const body = { tasks: [{ name: 'each', type: 'map', payload: { items: '{{input.numbers}}', iterator: { tasks: N_DAG.tasks } } }] };
    const run = await runLocal(compile(body), {
      input: { numbers: [1, 2, 3] },
      // Iteration 1's b is slow: only iteration 1's c and d wait for it.
      handler: (req) => sleep(req.node_id === 'b' && req.map?.index === 1 ? 400 : 20),
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.pendingGates).toBe(0);
    const at = (node: string, index: number) => run.calls.find((c) => c.request.node_id === node && c.request.map?.index === index) as CallRecord;
    for (const i of [0, 1, 2]) {
      expect(at('c', i).start).toBeGreaterThanOrEqual(Math.max(at('a', i).end, at('b', i).end));
      expect(at('d', i).start).toBeGreaterThanOrEqual(at('b', i).end);
    }
    expect(at('d', 0).start).toBeLessThan(at('b', 1).end);
  });
});
