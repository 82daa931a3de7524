/** Index-based DAG helpers shared by validation, decomposition and the benchmark. */
import { newBitset, orInto, setBit, type Bitset } from './bitset.ts';

export interface Dag {
  n: number;
  preds: number[][];
  succs: number[][];
}

export function dagFromEdges(n: number, edges: Iterable<readonly [number, number]>): Dag {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<number>();
  for (const [a, b] of edges) {
    const key = a * n + b;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    succs[a]?.push(b);
    preds[b]?.push(a);
  }
  const ascending = (list: number[]) => list.toSorted((x, y) => x - y);
  return { n, preds: preds.map(ascending), succs: succs.map(ascending) };
}

/**
 * Kahn's algorithm, always taking the lowest-index ready node, so the order is deterministic and follows
 * document order where the edges allow. Returns undefined when the graph has a cycle.
 */
export function topoOrder(dag: Dag): number[] | undefined {
  const indegree = dag.preds.map((p) => p.length);
  const ready: number[] = [];
  const push = (v: number) => {
    ready.push(v);
    for (let i = ready.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((ready[parent] ?? 0) <= (ready[i] ?? 0)) break;
      [ready[parent], ready[i]] = [ready[i] ?? 0, ready[parent] ?? 0];
      i = parent;
    }
  };
  const pop = (): number => {
    const top = ready[0] ?? 0;
    const last = ready.pop() ?? 0;
    if (ready.length > 0) {
      ready[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < ready.length && (ready[l] ?? 0) < (ready[m] ?? 0)) m = l;
        if (r < ready.length && (ready[r] ?? 0) < (ready[m] ?? 0)) m = r;
        if (m === i) break;
        [ready[m], ready[i]] = [ready[i] ?? 0, ready[m] ?? 0];
        i = m;
      }
    }
    return top;
  };
  indegree.forEach((d, v) => d === 0 && push(v));
  const order: number[] = [];
  while (ready.length > 0) {
    const v = pop();
    order.push(v);
    for (const s of dag.succs[v] ?? []) {
      indegree[s] = (indegree[s] ?? 0) - 1;
      if (indegree[s] === 0) push(s);
    }
  }
  return order.length === dag.n ? order : undefined;
}

/** Strict ancestors and descendants of every node, as bitsets. */
export function closure(dag: Dag, order: number[]): { anc: Bitset[]; desc: Bitset[] } {
  const anc = Array.from({ length: dag.n }, () => newBitset(dag.n));
  const desc = Array.from({ length: dag.n }, () => newBitset(dag.n));
  for (const v of order) {
    const a = anc[v] ?? newBitset(dag.n);
    for (const p of dag.preds[v] ?? []) {
      setBit(a, p);
      orInto(a, anc[p] ?? newBitset(dag.n));
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i] ?? 0;
    const d = desc[v] ?? newBitset(dag.n);
    for (const s of dag.succs[v] ?? []) {
      setBit(d, s);
      orInto(d, desc[s] ?? newBitset(dag.n));
    }
  }
  return { anc, desc };
}

/** Longest path where each node costs `weight[v]` (earliest finish of the sinks, infinite workers). */
export function longestPath(dag: Dag, order: number[], weight: (v: number) => number): number {
  const finish = new Float64Array(dag.n);
  let best = 0;
  for (const v of order) {
    let start = 0;
    for (const p of dag.preds[v] ?? []) start = Math.max(start, finish[p] ?? 0);
    finish[v] = start + weight(v);
    best = Math.max(best, finish[v] ?? 0);
  }
  return best;
}

/** Edges not implied by others (the Hasse diagram); used for counting and drawing, not for semantics. */
export function transitiveReduction(dag: Dag, order: number[]): Array<[number, number]> {
  const { anc } = closure(dag, order);
  const out: Array<[number, number]> = [];
  for (let v = 0; v < dag.n; v++) {
    for (const p of dag.preds[v] ?? []) {
      const implied = (dag.preds[v] ?? []).some((q) => q !== p && ((anc[q]?.[p >>> 5] ?? 0) & (1 << (p & 31))) !== 0);
      if (!implied) out.push([p, v]);
    }
  }
  return out;
}
