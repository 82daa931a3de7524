/** Seeded DAG generators for property tests. */
import { prng } from '../../../statemachines/structure/prng.ts';

export { prng };


export interface EdgeDag {
  n: number;
  edges: Array<[number, number]>;
}

/** Erdős–Rényi-style DAG: edge i→j (i<j) with probability p within a window. */
export function randomDag(n: number, seed: number, degree = 2.5, window = Math.max(2, Math.ceil(n * 0.35))): EdgeDag {
  const random = prng(seed);
  const edges: Array<[number, number]> = [];
  const p = Math.min(1, degree / window);
  for (let j = 1; j < n; j++) for (let i = Math.max(0, j - window); i < j; i++) if (random() < p) edges.push([i, j]);
  return { n, edges };
}

/** A random series-parallel DAG built by composition (two-terminal: sources/sinks of parts are joined). */
export function randomSeriesParallel(n: number, seed: number): EdgeDag {
  const random = prng(seed);
  let next = 0;
  const edges: Array<[number, number]> = [];
  // Returns [sources, sinks] of a fresh SP part with `size` nodes.
  const build = (size: number): [number[], number[]] => {
    if (size === 1) {
      const v = next++;
      return [[v], [v]];
    }
    const left = 1 + Math.floor(random() * (size - 1));
    if (random() < 0.5) {
      const [s1, t1] = build(left);
      const [s2, t2] = build(size - left);
      for (const a of t1) for (const b of s2) edges.push([a, b]);
      return [s1, t2];
    }
    const [s1, t1] = build(left);
    const [s2, t2] = build(size - left);
    return [[...s1, ...s2], [...t1, ...t2]];
  };
  build(n);
  return { n, edges };
}
