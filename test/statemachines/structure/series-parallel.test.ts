import { describe, expect, it } from 'vitest';
import { closure, dagFromEdges, longestPath, topoOrder, transitiveReduction } from '../../../statemachines/structure/dag.ts';
import { decompose, treeMakespan, type SpTree } from '../../../statemachines/structure/series-parallel.ts';
import { prng, randomDag, randomSeriesParallel } from '../support/random-dags.ts';

/** before[a][b]: the tree runs a before b. */
function treeOrder(tree: SpTree, n: number): boolean[][] {
  const before = Array.from({ length: n }, () => Array.from({ length: n }, () => false));
  const leaves = (t: SpTree): number[] => {
    if (t.kind === 'leaf') return [t.index];
    if (t.kind === 'gated') throw new Error('these trees come from decompose without gates');
    const parts = t.items.map(leaves);
    if (t.kind === 'seq') {
      for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) for (const a of parts[i] ?? []) for (const b of parts[j] ?? []) (before[a] as boolean[])[b] = true;
    }
    return parts.flat();
  };
  const all = leaves(tree);
  expect([...all].toSorted((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  return before;
}

function dagOrder(n: number, edges: Array<[number, number]>): boolean[][] {
  const dag = dagFromEdges(n, edges);
  const { anc } = closure(dag, topoOrder(dag) as number[]);
  return Array.from({ length: n }, (_a, a) => Array.from({ length: n }, (_b, b) => ((anc[b]?.[a >>> 5] ?? 0) & (1 << (a & 31))) !== 0));
}

describe('series-parallel decomposition', () => {
  it('decomposes a diamond exactly', () => {
    const d = decompose(dagFromEdges(4, [[0, 1], [0, 2], [1, 3], [2, 3]]));
    expect(d.tree).toEqual({ kind: 'seq', items: [{ kind: 'leaf', index: 0 }, { kind: 'par', items: [{ kind: 'leaf', index: 1 }, { kind: 'leaf', index: 2 }] }, { kind: 'leaf', index: 3 }] });
    expect([d.primes, d.added_pairs]).toEqual([0, 0]);
  });

  it('keeps independent chains apart instead of levelling them', () => {
    // a1→a2→a3 and b1→b2: the naive compiler puts a2 and b2 behind a barrier; SP keeps two lanes.
    const edges: Array<[number, number]> = [[0, 1], [1, 2], [3, 4]];
    expect(decompose(dagFromEdges(5, edges)).tree).toEqual({
      kind: 'par',
      items: [
        { kind: 'seq', items: [0, 1, 2].map((index) => ({ kind: 'leaf', index })) },
        { kind: 'seq', items: [3, 4].map((index) => ({ kind: 'leaf', index })) },
      ],
    });
    const naive = decompose(dagFromEdges(5, edges), { strategy: 'levels' }).tree;
    expect(naive.kind).toBe('seq');
    expect(decompose(dagFromEdges(5, edges), { strategy: 'levels' }).added_pairs).toBeGreaterThan(0);
  });

  it('cuts the N graph (the smallest non-series-parallel order) with one synthetic pair', () => {
    // a→c, b→c, b→d: a∦d, so Parallel states cannot express it exactly.
    const d = decompose(dagFromEdges(4, [[0, 2], [1, 2], [1, 3]]));
    expect(d.primes).toBe(1);
    expect(d.added_pairs).toBe(1);
  });

  it('is exact on random series-parallel DAGs: no synthetic dependency, makespan = critical path', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const n = 2 + (seed % 40);
      const { edges } = randomSeriesParallel(n, seed);
      const dag = dagFromEdges(n, edges);
      const d = decompose(dag);
      expect(d.primes, `seed ${seed}`).toBe(0);
      expect(d.added_pairs, `seed ${seed}`).toBe(0);
      const random = prng(seed);
      const durations = Array.from({ length: n }, () => 10 + random() * 90);
      const cp = longestPath(dag, topoOrder(dag) as number[], (v) => durations[v] ?? 0);
      expect(treeMakespan(d.tree, (v) => durations[v] ?? 0)).toBeCloseTo(cp, 9);
      expect(treeOrder(d.tree, n)).toEqual(dagOrder(n, edges));
    }
  });

  it('always respects every dependency on random DAGs, for both strategies', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const n = 3 + (seed % 45);
      const { edges } = randomDag(n, seed);
      for (const strategy of ['series-parallel', 'levels'] as const) {
        const d = decompose(dagFromEdges(n, edges), { strategy });
        const tree = treeOrder(d.tree, n);
        const dag = dagOrder(n, edges);
        const violated: string[] = [];
        let extra = 0;
        for (let a = 0; a < n; a++) {
          for (let b = 0; b < n; b++) {
            if (dag[a]?.[b] && !tree[a]?.[b]) violated.push(`${a} before ${b}`);
            if (!dag[a]?.[b] && tree[a]?.[b]) extra++;
          }
        }
        expect(violated, `seed ${seed} ${strategy}`).toEqual([]);
        expect(d.added_pairs).toBe(extra);
      }
    }
  });

  it('beats the level-by-level schedule on random DAGs on average', () => {
    let sp = 0;
    let levels = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const n = 12 + (seed % 30);
      const { edges } = randomDag(n, seed);
      const dag = dagFromEdges(n, edges);
      const random = prng(1000 + seed);
      const durations = Array.from({ length: n }, () => 10 + random() * 90);
      const cp = longestPath(dag, topoOrder(dag) as number[], (v) => durations[v] ?? 0);
      sp += treeMakespan(decompose(dag).tree, (v) => durations[v] ?? 0) / cp;
      levels += treeMakespan(decompose(dag, { strategy: 'levels' }).tree, (v) => durations[v] ?? 0) / cp;
    }
    expect(sp / 40).toBeLessThan(levels / 40 - 0.05);
  });

  it('is deterministic', () => {
    const { n, edges } = randomDag(120, 7);
    const a = JSON.stringify(decompose(dagFromEdges(n, edges)).tree);
    const b = JSON.stringify(decompose(dagFromEdges(n, [...edges].toReversed())).tree);
    expect(a).toBe(b);
  });

  it('rejects cycles and empty graphs', () => {
    expect(() => decompose(dagFromEdges(2, [[0, 1], [1, 0]]))).toThrow(/cyclic/);
    expect(() => decompose(dagFromEdges(0, []))).toThrow(/empty/);
  });

  it('computes the transitive reduction', () => {
    const dag = dagFromEdges(3, [[0, 1], [1, 2], [0, 2]]);
    expect(transitiveReduction(dag, topoOrder(dag) as number[])).toEqual([[0, 1], [1, 2]]);
  });
});
