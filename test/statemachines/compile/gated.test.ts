/**
 * The compiler's choice of the gated layout (statemachines/README.md, "Gated layout") and what it emits:
 * gated where its model beats the staged cut, staged when gates are off, when the chains would exceed
 * max_concurrency, or when the cut costs nothing; within the transition and size limits the compiler reports.
 */
import { describe, expect, it } from 'vitest';
import { planWorkflow, width } from '../../../statemachines/compile/plan.ts';
import { MAX_DEFINITION_BYTES } from '../../../statemachines/asl/types.ts';
import type { AslState } from '../../../statemachines/asl/types.ts';
import { compile, flowctl, ir } from '../support/fixtures.ts';
import { N_DAG } from '../support/flows.ts';
import { randomDag } from '../support/random-dags.ts';

/** Every state, nested branches included, by name. */
function allStates(states: Record<string, AslState>): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(states)) {
    out[name] = state;
    if (state.Type === 'Parallel') for (const b of state.Branches) Object.assign(out, allStates(b.States));
    if (state.Type === 'Map') Object.assign(out, allStates(state.ItemProcessor.States));
  }
  return out;
}

const payloadOf = (state: AslState | undefined) => (state && state.Type === 'Task' ? (state.Parameters as { Payload: Record<string, unknown> }).Payload : undefined);

describe('gated layout: the compiler’s choice', () => {
  it('gates the N-shape: c waits behind a gate for b, which b’s release opens; no synthetic dependency', () => {
    const compiled = compile(N_DAG);
    expect(compiled.stats).toMatchObject({ primes: 1, gated_blocks: 1, added_pairs: 0 });
    const states = allStates(compiled.definition.States);
    const gate = states['c (gate)'];
    expect(gate).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', ResultPath: null, Next: 'c' });
    expect(payloadOf(gate)).toEqual({ node_id: 'c', action: 'gate', after: ['b'], account_id: 'acct_01HZTEST', workflow_id: 'wf_01HZTEST', 'execution_id.$': '$$.Execution.Id', 'task_token.$': '$$.Task.Token' });
    expect(payloadOf(states['b (release)'])).toEqual({ node_id: 'b', action: 'release', gates: [{ node_id: 'c', after: ['b'] }], account_id: 'acct_01HZTEST', workflow_id: 'wf_01HZTEST', 'execution_id.$': '$$.Execution.Id' });
    expect(states.b).toMatchObject({ Next: 'b (release)' });
    // A failing gate or release names its unit, like the unit's own failure.
    expect((gate as { Catch: Array<{ Next: string }> }).Catch[0]?.Next).toBe('c (failed)');
    expect(compiled.task_states['c (gate)']).toEqual({ node_id: 'c', node_type: 'generic', action: 'gate', callback: true });
    expect(compiled.task_states['b (release)']).toEqual({ node_id: 'b', node_type: 'generic', action: 'release', callback: false });
  });

  it('stays staged with gates off, and when the chains would exceed max_concurrency', () => {
    expect(compile(N_DAG, { gates: false }).stats).toMatchObject({ gated_blocks: 0, added_pairs: 1 });
    const capped = compile({ ...N_DAG, config: { max_concurrency: 1 } });
    expect(capped.stats.gated_blocks).toBe(0);
    expect(Object.keys(capped.task_states).filter((s) => s.includes('(gate)'))).toEqual([]);
    const { plan } = planWorkflow(ir({ ...N_DAG, config: { max_concurrency: 1 } }), { strategy: 'series-parallel', maxConcurrency: 1 });
    expect(width(plan)).toBe(1);
  });

  it('stays staged where the cut costs nothing in its model (long waits dominate both paths)', () => {
    const body = {
      tasks: [
        { name: 'a', type: 'wait', payload: { seconds: 120 } },
        { name: 'b', type: 'generic', payload: { command: 'b' } },
        { name: 'c', type: 'wait', payload: { seconds: 120 }, dependencies: ['a', 'b'] },
        { name: 'd', type: 'generic', payload: { command: 'd' }, dependencies: ['b'] },
      ],
    };
    expect(compile(body).stats).toMatchObject({ primes: 1, gated_blocks: 0 });
  });

  it('gates inside map iterations with per-iteration keys', () => {
    const body = { tasks: [{ name: 'each', type: 'map', payload: { items: '{{input.numbers}}', iterator: { tasks: N_DAG.tasks } } }] };
    const states = allStates(compile(body).definition.States);
    expect(payloadOf(states['c (gate)'])).toMatchObject({ action: 'gate', after: ['b'], 'map_key.$': '$.key' });
    expect(payloadOf(states['b (release)'])).toMatchObject({ action: 'release', 'map_key.$': '$.key' });
  });

  it('keeps random DAGs within the reported limits: ≤ 3 transitions per node, under the definition size limit, within max_concurrency', () => {
    let gatedBlocks = 0;
    for (const n of [12, 40, 120, 500]) {
      const { edges } = randomDag(n, n, 2.2, Math.max(2, Math.ceil(n * 0.4)));
      const names = Array.from({ length: n }, (_, i) => `t${i}`);
      const body = flowctl(names, edges.map(([x, y]) => [`t${x}`, `t${y}`]), { max_concurrency: 40 });
      const gated = compile(body);
      const staged = compile(body, { gates: false });
      gatedBlocks += gated.stats.gated_blocks;
      expect(gated.stats.transitions.fixed / n, `${n} nodes`).toBeLessThanOrEqual(3);
      expect(gated.stats.bytes).toBeLessThan(MAX_DEFINITION_BYTES);
      // Each gated unit adds at most a gate and a release (two small Tasks).
      expect(gated.stats.transitions.fixed - staged.stats.transitions.fixed).toBeLessThanOrEqual(2 * n);
      const { plan } = planWorkflow(ir(body), { strategy: 'series-parallel', maxConcurrency: 40 });
      expect(width(plan)).toBeLessThanOrEqual(40);
    }
    // The 500-node DAG's prime needs more than 40 chains: it stays staged.
    expect(gatedBlocks).toBeGreaterThanOrEqual(3);
  });
});
