import { describe, expect, it } from 'vitest';
import { planWorkflow, width, type Plan } from '../../../statemachines/compile/plan.ts';
import { flowctl, ir, task } from '../support/fixtures.ts';
import { randomDag } from '../support/random-dags.ts';

const leaves = (plan: Plan): string[] => {
  switch (plan.kind) {
    case 'seq':
    case 'par':
      return plan.items.flatMap(leaves);
    case 'parallel-node':
      return [plan.node.id, ...plan.branches.flatMap(leaves)];
    case 'map-node':
      return [plan.node.id, ...leaves(plan.iterator)];
    case 'choice':
      return [plan.node.id, ...plan.zones.flatMap((z) => leaves(z.plan))];
    case 'node':
      return [plan.node.id];
    case 'gated':
      return plan.chains.flat().flatMap((s) => leaves(s.plan));
  }
};

describe('concurrency cap', () => {
  it('keeps every random DAG within max_concurrency without losing nodes', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const { n, edges } = randomDag(20 + seed * 3, seed, 3);
      const names = Array.from({ length: n }, (_, i) => `t${i}`);
      const cap = 1 + (seed % 5);
      const workflow = ir(flowctl(names, edges.map(([a, b]) => [`t${a}`, `t${b}`])));
      const { plan } = planWorkflow(workflow, { strategy: 'series-parallel', maxConcurrency: cap });
      expect(width(plan), `seed ${seed}`).toBeLessThanOrEqual(cap);
      expect(leaves(plan).toSorted()).toEqual(names.toSorted());
    }
  });

  it('serialises everything at max_concurrency 1', () => {
    const { plan } = planWorkflow(ir(flowctl(['a', 'b', 'c'], [])), { strategy: 'series-parallel', maxConcurrency: 1 });
    expect(plan.kind).toBe('seq');
    expect(width(plan)).toBe(1);
  });

  it('runs higher-priority tasks first when a lane holds several', () => {
    const body = { tasks: [task('low', [], { priority: 1 }), task('high', [], { priority: 9 }), task('mid', [], { priority: 5 })] };
    const { plan } = planWorkflow(ir(body), { strategy: 'series-parallel', maxConcurrency: 1 });
    expect(leaves(plan)).toEqual(['high', 'mid', 'low']);
  });

  it('splits the budget between map iterations and the iterator', () => {
    const body = {
      config: { max_concurrency: 6 },
      steps: [{ type: 'map', id: 'm', items: '$.xs', max_concurrency: 10, iterator: [{ type: 'parallel', id: 'p', branches: [[{ type: 'pass', id: 'l' }], [{ type: 'pass', id: 'r' }]] }] }],
    };
    const { plan } = planWorkflow(ir(body), { strategy: 'series-parallel', maxConcurrency: 6 });
    expect(plan).toMatchObject({ kind: 'map-node', concurrency: 3 });
    expect(width(plan)).toBe(6);
  });

  it('leaves plans that fit alone and counts the ones it regroups', () => {
    const body = flowctl(['a', 'b', 'c', 'd'], []);
    expect(planWorkflow(ir(body), { strategy: 'series-parallel', maxConcurrency: 4 }).stats.capped_blocks).toBe(0);
    expect(planWorkflow(ir(body), { strategy: 'series-parallel', maxConcurrency: 2 }).stats.capped_blocks).toBe(1);
  });
});
