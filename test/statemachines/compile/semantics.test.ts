/**
 * Compiled machines executed in aws-local-stepfunctions with fake task-runner handlers: the behaviour the
 * executions service relies on, not just the shape of the JSON.
 */
import { describe, expect, it } from 'vitest';
import { parseFailureCause, type TaskRunnerRequest } from '../../../statemachines/task-runner-contract.ts';
import { compile, flowctl, task } from '../support/fixtures.ts';
import { N_DAG, ORDER_FLOW } from '../support/flows.ts';
import { runLocal, transitions, type CallRecord } from '../support/local-sfn.ts';
import { prng, randomDag } from '../support/random-dags.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const byNode = (calls: CallRecord[]) => new Map(calls.map((c) => [c.request.node_id, c]));

/** Most handler calls in flight at any moment. */
function peakConcurrency(calls: CallRecord[], filter: (c: CallRecord) => boolean = () => true): number {
  const points = calls.filter(filter).flatMap((c) => [
    [c.start, 1],
    [c.end, -1],
  ]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of points.toSorted((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0))) {
    current += delta ?? 0;
    peak = Math.max(peak, current);
  }
  return peak;
}

describe('dependencies and parallelism', () => {
  it('runs every node after all its dependencies, overlapping independent branches', async () => {
    const body = flowctl(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]);
    const run = await runLocal(compile(body), { handler: () => sleep(40) });
    expect(run.status).toBe('SUCCEEDED');
    const calls = byNode(run.calls);
    const get = (id: string) => calls.get(id) as CallRecord;
    const [a, b, c, d] = [get('a'), get('b'), get('c'), get('d')];
    expect(b.start).toBeGreaterThanOrEqual(a.end);
    expect(c.start).toBeGreaterThanOrEqual(a.end);
    expect(d.start).toBeGreaterThanOrEqual(Math.max(b.end, c.end));
    // b and c run side by side (interval overlap, which holds however loaded the machine is).
    expect(Math.min(b.end, c.end)).toBeGreaterThan(Math.max(b.start, c.start));
  });

  it('respects every dependency of random (mostly non-series-parallel) DAGs and counts ≤ 3 transitions per node', async () => {
    for (const seed of [3, 8, 21]) {
      const { n, edges } = randomDag(18, seed);
      const names = Array.from({ length: n }, (_, i) => `t${i}`);
      const compiled = compile(flowctl(names, edges.map(([x, y]) => [`t${x}`, `t${y}`]), { max_concurrency: 100 }));
      const random = prng(seed);
      const delays = names.map(() => 5 + Math.floor(random() * 20));
      const run = await runLocal(compiled, { handler: (req) => sleep(delays[Number(req.node_id.slice(1))] ?? 0) });
      expect(run.status).toBe('SUCCEEDED');
      const calls = byNode(run.calls);
      expect(calls.size).toBe(n);
      for (const [x, y] of edges) expect((calls.get(`t${y}`) as CallRecord).start, `t${x} → t${y}`).toBeGreaterThanOrEqual((calls.get(`t${x}`) as CallRecord).end);
      expect(transitions(run.events) / n).toBeLessThanOrEqual(3);
    }
  });

  it('runs the N graph correctly', async () => {
    const run = await runLocal(compile(N_DAG), { handler: () => sleep(10) });
    const calls = byNode(run.calls);
    expect((calls.get('c') as CallRecord).start).toBeGreaterThanOrEqual(Math.max((calls.get('a') as CallRecord).end, (calls.get('b') as CallRecord).end));
    expect((calls.get('d') as CallRecord).start).toBeGreaterThanOrEqual((calls.get('b') as CallRecord).end);
  });

  it('caps DAG fan-out at max_concurrency', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `w${i}`);
    const body = flowctl(['start', ...names, 'end'], [...names.map((n) => ['start', n] as [string, string]), ...names.map((n) => [n, 'end'] as [string, string])], { max_concurrency: 3 });
    const run = await runLocal(compile(body), { handler: () => sleep(25) });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls).toHaveLength(11);
    expect(peakConcurrency(run.calls)).toBe(3);
  });

  it('passes the execution input and context to every call, in branches and iterations too', async () => {
    const input = { order_id: 'o-1', nested: { deep: [1, 2] } };
    const run = await runLocal(compile(ORDER_FLOW), {
      input,
      handler: (req) => {
        if (req.node_id === 'route') return { next: 'fulfil' };
        if (req.node_id === 'ship') return { items: [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }] };
        return undefined;
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c) => c.request.node_id).toSorted()).toEqual(['fetch', 'invoice', 'notify', 'reserve', 'reserve', 'reserve', 'route', 'ship']);
    for (const call of run.calls) {
      expect(call.request).toMatchObject({ input, account_id: 'acct_01HZTEST', workflow_id: 'wf_01HZTEST', execution_id: expect.stringContaining(':execution:'), retry_count: 0 });
    }
    const reserves = run.calls.filter((c) => c.request.node_id === 'reserve').map((c) => c.request.map);
    expect(reserves.toSorted((x, y) => (x?.index ?? 0) - (y?.index ?? 0))).toEqual([
      { node_id: 'ship', item: { sku: 'A' }, index: 0, key: '0' },
      { node_id: 'ship', item: { sku: 'B' }, index: 1, key: '1' },
      { node_id: 'ship', item: { sku: 'C' }, index: 2, key: '2' },
    ]);
    expect(run.output).toEqual({});
  });
});

describe('choice', () => {
  const routes = async (next: string | null) => {
    const run = await runLocal(compile(ORDER_FLOW), {
      input: { order_id: 'o-2' },
      waitOverrides: { remind: 1 },
      handler: (req) => {
        if (req.node_id === 'route') return { next };
        if (req.node_id === 'ship') return { items: [] };
        return undefined;
      },
    });
    return { run, nodes: run.calls.map((c) => c.request.node_id).toSorted() };
  };

  it('takes the chosen branch and skips the others', async () => {
    expect((await routes('fulfil')).nodes).toEqual(['fetch', 'invoice', 'notify', 'route', 'ship']);
    const pending = await routes('remind');
    expect(pending.nodes).toEqual(['fetch', 'notify', 'route']);
    expect(pending.run.events.some((e) => e.type === 'StateEntered' && 'state' in e && (e.state as { name?: string }).name === 'remind')).toBe(true);
  });

  it('fails through the default branch with the fail node named', async () => {
    const { run, nodes } = await routes('unknown');
    expect(nodes).toEqual(['fetch', 'route']);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('UnknownOrderState');
    expect(parseFailureCause(run.cause)).toEqual({ failed_node: 'unknown', node_type: 'fail', error: 'UnknownOrderState', cause: 'order status not recognised' });
  });

  it('skips every branch when nothing matches and there is no default', async () => {
    const body = {
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'input.vip', next: 'vip' }] } },
          vip: { type: 'generic', params: { command: 'vip' }, next: 'after' },
          after: { type: 'generic', params: { command: 'after' } },
        },
      },
    };
    const compiled = compile(body);
    const skipped = await runLocal(compiled, { handler: (req) => (req.node_id === 'check' ? { next: null } : undefined) });
    expect(skipped.status).toBe('SUCCEEDED');
    expect(skipped.calls.map((c) => c.request.node_id)).toEqual(['check']);
    const taken = await runLocal(compiled, { handler: (req) => (req.node_id === 'check' ? { next: 'vip' } : undefined) });
    expect(taken.calls.map((c) => c.request.node_id)).toEqual(['check', 'vip', 'after']);
  });

  it('routes inside map iterations independently per item', async () => {
    const body = {
      steps: [
        {
          type: 'map',
          id: 'each',
          items: '$.numbers',
          max_concurrency: 4,
          iterator: [
            { type: 'choice', id: 'parity', choices: [{ when: 'item % 2 = 0', next: 'even' }], default: 'odd' },
            { type: 'generic', id: 'odd', command: 'odd {{item}}', next: 'done' },
            { type: 'generic', id: 'even', command: 'even {{item}}' },
            { type: 'generic', id: 'done', command: 'done {{item}}' },
          ],
        },
      ],
    };
    const run = await runLocal(compile(body), {
      input: { numbers: [1, 2, 3, 4] },
      handler: (req) => (req.node_id === 'parity' ? { next: (req.map?.item as number) % 2 === 0 ? 'even' : 'odd' } : undefined),
    });
    expect(run.status).toBe('SUCCEEDED');
    const ran = run.calls.filter((c) => c.request.node_id !== 'parity').map((c) => `${c.request.node_id}:${String(c.request.map?.item)}`);
    expect(ran.toSorted()).toEqual(['done:1', 'done:2', 'done:3', 'done:4', 'even:2', 'even:4', 'odd:1', 'odd:3']);
  });
});

describe('map', () => {
  it('keeps iterations within max_concurrency and covers every item', async () => {
    const body = { steps: [{ type: 'map', id: 'each', items: '{{input.items}}', max_concurrency: 2, iterator: [{ type: 'generic', id: 'work', command: 'x {{item}}' }] }] };
    const run = await runLocal(compile(body), { input: { items: [1, 2, 3, 4, 5, 6, 7] }, handler: () => sleep(20) });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c: CallRecord) => c.request.map?.item).toSorted()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peakConcurrency(run.calls)).toBe(2);
  });

  it('shares the workflow cap between iterations and fan-out inside them', async () => {
    const body = {
      config: { max_concurrency: 4 },
      steps: [{ type: 'map', id: 'each', items: '$.xs', max_concurrency: 10, iterator: [{ type: 'parallel', id: 'both', branches: [[{ type: 'generic', id: 'l', command: 'l' }], [{ type: 'generic', id: 'r', command: 'r' }]] }] }],
    };
    const compiled = compile(body);
    const run = await runLocal(compiled, { input: { xs: [1, 2, 3, 4, 5, 6] }, handler: () => sleep(20) });
    expect(run.calls).toHaveLength(12);
    expect(peakConcurrency(run.calls)).toBeLessThanOrEqual(4);
  });

  it('runs nested maps with dotted keys, resolving items through the runner', async () => {
    const body = {
      steps: [
        {
          type: 'map',
          id: 'outer',
          items: '{{steps.list.output.groups}}'.replace('steps.list', 'input'),
          iterator: [{ type: 'map', id: 'inner', items: '{{item.members}}', iterator: [{ type: 'generic', id: 'leaf', command: '{{item}}' }] }],
        },
      ],
    };
    const run = await runLocal(compile(body), { input: { output: { groups: [{ members: ['a', 'b'] }, { members: ['c'] }] } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c) => `${c.request.map?.key}=${String(c.request.map?.item)}`).toSorted()).toEqual(['0.0=a', '0.1=b', '1.0=c']);
  });

  it('asks the runner for items it cannot read from the input', async () => {
    const body = {
      steps: [
        { type: 'generic', id: 'list', command: 'ls' },
        { type: 'map', id: 'each', items: '{{steps.list.output.files}}', iterator: [{ type: 'generic', id: 'copy', command: 'cp {{item}}' }] },
      ],
    };
    const requests: TaskRunnerRequest[] = [];
    const run = await runLocal(compile(body), {
      handler: (req) => {
        requests.push(req);
        return req.action === 'resolve_items' ? { items: ['x', 'y'] } : undefined;
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(requests.map((r) => `${r.node_id}/${r.action}`)).toEqual(['list/execute', 'each/resolve_items', 'copy/execute', 'copy/execute']);
  });
});

describe('scope edge cases', () => {
  it('routes a choice inside a parallel branch while the other branch keeps running', async () => {
    const body = {
      tasks: [
        task('start'),
        { name: 'pick', type: 'choice', dependencies: ['start'], payload: { choices: [{ when: 'input.fast', next: 'fast' }], default: 'slow' } },
        task('fast', ['pick']),
        task('slow', ['pick']),
        task('side', ['start']),
        task('end', ['fast', 'slow', 'side']),
      ],
    };
    const compiled = compile(body);
    for (const next of ['fast', 'slow']) {
      const run = await runLocal(compiled, { input: { fast: next === 'fast' }, handler: (req) => (req.node_id === 'pick' ? { next } : sleep(15)) });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.calls.map((c) => c.request.node_id).toSorted()).toEqual(['end', next, 'pick', 'side', 'start'].toSorted());
      for (const call of run.calls) expect(call.request.input).toEqual({ fast: next === 'fast' });
    }
  });

  it('finishes the block when the chosen target also runs unconditionally', async () => {
    const body = {
      tasks: [
        task('pre'),
        { name: 'check', type: 'choice', payload: { choices: [{ when: 'a', next: 'only' }], default: 'both' } },
        task('only', ['check']),
        task('both', ['check', 'pre']),
      ],
    };
    const compiled = compile(body);
    const viaBoth = await runLocal(compiled, { handler: (req) => (req.node_id === 'check' ? { next: 'both' } : undefined) });
    expect(viaBoth.calls.map((c) => c.request.node_id).toSorted()).toEqual(['both', 'check', 'pre']);
    const viaOnly = await runLocal(compiled, { handler: (req) => (req.node_id === 'check' ? { next: 'only' } : undefined) });
    expect(viaOnly.calls.map((c) => c.request.node_id).toSorted()).toEqual(['both', 'check', 'only', 'pre']);
  });

  it('resolves waits and nested map items through the runner inside iterations, keeping the envelope', async () => {
    const body = {
      steps: [
        {
          type: 'map',
          id: 'outer',
          items: '$.groups',
          iterator: [
            { type: 'generic', id: 'list', command: 'ls {{item}}' },
            { type: 'wait', id: 'pause', seconds: '{{input.pause}}' },
            { type: 'map', id: 'inner', items: '{{steps.list.output.files}}', iterator: [{ type: 'generic', id: 'copy', command: 'cp {{item}}' }] },
            { type: 'generic', id: 'after', command: 'done {{item}}' },
          ],
        },
      ],
    };
    const input = { groups: ['g0', 'g1'], pause: 0 };
    const run = await runLocal(compile(body), {
      input,
      handler: (req) => {
        if (req.action === 'resolve_wait') return { seconds: 0 };
        if (req.action === 'resolve_items') return { items: [`${String(req.map?.item)}-a`, `${String(req.map?.item)}-b`] };
        return undefined;
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    const seen = run.calls.map((c) => `${c.request.node_id}@${c.request.map?.key}=${String(c.request.map?.item)}`);
    expect(seen.filter((x) => x.startsWith('copy')).toSorted()).toEqual(['copy@0.0=g0-a', 'copy@0.1=g0-b', 'copy@1.0=g1-a', 'copy@1.1=g1-b']);
    // After the nested map the envelope is intact: "after" still sees its own item and key.
    expect(seen.filter((x) => x.startsWith('after')).toSorted()).toEqual(['after@0=g0', 'after@1=g1']);
    for (const call of run.calls) expect(call.request.input).toEqual(input);
  });
});

describe('waits and callbacks', () => {
  it('waits natively for static durations and via the runner for templates', async () => {
    const body = { definition: { nodes: { pause: { type: 'wait', params: { seconds: 1 }, next: 'dyn' }, dyn: { type: 'wait', params: { until: '{{input.at}}' }, next: 'go' }, go: { type: 'generic', params: { command: 'go' } } } } };
    const at = new Date(Date.now() + 300).toISOString();
    const run = await runLocal(compile(body), { input: { at }, handler: (req) => (req.node_id === 'dyn' ? { timestamp: at } : undefined) });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.map((c) => `${c.request.node_id}/${c.request.action}`)).toEqual(['dyn/resolve_wait', 'go/execute']);
    expect(run.durationMs).toBeGreaterThanOrEqual(950);
  });

  it('hands callback nodes a task token', async () => {
    const run = await runLocal(compile({ steps: [{ type: 'approval', id: 'ok', message: 'Ship?' }] }));
    expect(run.calls[0]?.request.task_token).toBe('local-task-token');
  });
});
