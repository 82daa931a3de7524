/**
 * The gated layout of prime sub-orders (statemachines/README.md, "Gated layout"), property-style over seeded
 * random DAGs: every gated block is safe (no unit can start before a dependency ended) and exact (its
 * makespan is the longest path, whatever the durations), and a decomposition that adds no synthetic pair
 * schedules the whole DAG exactly.
 */
import { describe, expect, it } from 'vitest';
import { closure, dagFromEdges, longestPath, topoOrder, type Dag } from '../../../statemachines/structure/dag.ts';
import { hasBit } from '../../../statemachines/structure/bitset.ts';
import { decompose, gatedMakespan, treeMakespan, type GatedTree, type SpTree } from '../../../statemachines/structure/series-parallel.ts';
import { prng, randomDag } from '../support/random-dags.ts';

const N_EDGES: Array<[number, number]> = [[0, 1], [0, 2], [1, 3], [2, 3], [2, 4], [3, 5], [4, 5]];

function gatedBlocks(tree: SpTree): GatedTree[] {
  if (tree.kind === 'leaf') return [];
  if (tree.kind === 'gated') return [tree];
  return tree.items.flatMap(gatedBlocks);
}

function leaves(tree: SpTree): number[] {
  if (tree.kind === 'leaf') return [tree.index];
  if (tree.kind === 'gated') return tree.chains.flat().map((s) => s.index);
  return tree.items.flatMap(leaves);
}

/** Longest path of the sub-DAG induced by `nodes`. */
function blockLongestPath(dag: Dag, nodes: number[], d: (v: number) => number): number {
  const inside = new Set(nodes);
  const order = (topoOrder(dag) as number[]).filter((v) => inside.has(v));
  const end = new Map<number, number>();
  for (const v of order) end.set(v, Math.max(0, ...(dag.preds[v] ?? []).filter((p) => inside.has(p)).map((p) => end.get(p) ?? 0)) + d(v));
  return Math.max(...end.values());
}

describe('gated layout', () => {
  it('lays the N-shape out as two chains, one gate, no synthetic dependency', () => {
    const dag = dagFromEdges(6, N_EDGES);
    const d = decompose(dag, { gates: true });
    expect([d.primes, d.gated, d.added_pairs]).toEqual([1, 1, 0]);
    const [block] = gatedBlocks(d.tree);
    // a(1)→c(3) and b(2)→d(4): c waits behind a gate for b, which b opens.
    expect(block?.chains).toEqual([
      [{ index: 1, after: [], releases: [] }, { index: 3, after: [2], releases: [] }],
      [{ index: 2, after: [], releases: [3] }, { index: 4, after: [], releases: [] }],
    ]);
    // Without gates the prime is cut in series: d waits for a.
    expect(decompose(dag).added_pairs).toBe(1);
  });

  it('is safe and exact on every gated block of 80 seeded random DAGs, for any durations', () => {
    let blocks = 0;
    let exactRuns = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const { n, edges } = randomDag(8 + (seed % 33), seed);
      const dag = dagFromEdges(n, edges);
      const { anc } = closure(dag, topoOrder(dag) as number[]);
      const d = decompose(dag, { gates: true });
      expect(leaves(d.tree).toSorted((a, b) => a - b), `seed ${seed}`).toEqual(Array.from({ length: n }, (_, i) => i));
      for (const block of gatedBlocks(d.tree)) {
        blocks++;
        const nodes = block.chains.flat().map((s) => s.index);
        const inside = new Set(nodes);
        const covers = (x: number, p: number) => x === p || hasBit(anc[x]!, p);
        for (const chain of block.chains) {
          chain.forEach((step, i) => {
            const prev = i > 0 ? chain[i - 1]!.index : undefined;
            expect(prev === undefined || hasBit(anc[step.index]!, prev), `seed ${seed}: chain order follows dependencies`).toBe(true);
            // Safety: every dependency inside the block has ended before the unit starts.
            for (const p of dag.preds[step.index] ?? []) {
              if (!inside.has(p)) continue;
              expect((prev !== undefined && covers(prev, p)) || step.after.some((q) => covers(q, p)), `seed ${seed}: ${p} → ${step.index} covered`).toBe(true);
            }
            // Releases mirror gates.
            for (const q of step.after) expect(block.chains.flat().find((s) => s.index === q)?.releases).toContain(step.index);
          });
        }
        // Exactness: the block's makespan is its longest path for any durations.
        const random = prng(seed * 7);
        for (let k = 0; k < 10; k++) {
          const w = Array.from({ length: n }, () => 0.1 + random() * 10);
          expect(gatedMakespan(block, (v) => w[v]!)).toBeCloseTo(blockLongestPath(dag, nodes, (v) => w[v]!), 9);
        }
      }
      // A decomposition without synthetic pairs (every prime gated) schedules the whole DAG exactly.
      const random = prng(seed * 13);
      for (let k = 0; k < 10 && d.added_pairs === 0; k++) {
        exactRuns++;
        const w = Array.from({ length: n }, () => 300 + random() * 600);
        const gap = treeMakespan(d.tree, (v) => w[v]!) - longestPath(dag, topoOrder(dag) as number[], (v) => w[v]!);
        expect(Math.abs(gap), `seed ${seed}`).toBeLessThan(1e-6);
      }
    }
    expect(blocks).toBeGreaterThan(40);
    expect(exactRuns).toBeGreaterThan(100);
  });

  it('brings the structural makespan ÷ critical path of the corpus to ≤ 1.05 with 300–900 ms tasks, where staged cuts exceed it', () => {
    const gated: number[] = [];
    const staged: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const { n, edges } = randomDag(8 + (seed % 30), seed);
      const dag = dagFromEdges(n, edges);
      const withGates = decompose(dag, { gates: true }).tree;
      const cut = decompose(dag).tree;
      const random = prng(seed * 31);
      for (let k = 0; k < 5; k++) {
        const w = Array.from({ length: n }, () => 300 + random() * 600);
        const cp = longestPath(dag, topoOrder(dag) as number[], (v) => w[v]!);
        gated.push(treeMakespan(withGates, (v) => w[v]!) / cp);
        staged.push(treeMakespan(cut, (v) => w[v]!) / cp);
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(gated)).toBeLessThanOrEqual(1.01);
    expect(Math.max(...gated)).toBeLessThanOrEqual(1.05);
    expect(Math.max(...staged)).toBeGreaterThan(1.05);
    expect(mean(gated)).toBeLessThan(mean(staged));
  });

  it('keeps a prime staged when its model says the cut costs nothing (gates would only add calls)', () => {
    // N-shape where a and c dominate (weight 100): cutting {a, b} | {c, d} costs nothing in any draw.
    const dag = dagFromEdges(4, [[0, 2], [1, 2], [1, 3]]);
    const heavy = new Set([0, 2]);
    const d = decompose(dag, { gates: true, weight: (v) => (heavy.has(v) ? 100 : 1) });
    expect([d.primes, d.gated]).toEqual([1, 0]);
    expect(decompose(dag, { gates: true }).gated).toBe(1);
  });
});
