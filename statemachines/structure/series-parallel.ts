/**
 * Series-parallel decomposition of a DAG (as a partial order: a node may start once all its ancestors have
 * finished). Nested Parallel states can express exactly the series-parallel (N-free) orders, so:
 *
 * - a set of nodes whose comparability graph is disconnected is a parallel composition of its components;
 * - a set whose order is an ordinal sum (every node of a prefix precedes every node of the rest) is a
 *   series composition;
 * - anything else is "prime" (it contains an N: a→c, b→c, b→d, a∦d). Primes must be cut in series, which
 *   adds synthetic dependencies; `cutPrime` picks the cut (see README.md, "DAG strategy").
 *
 * The result is exact (no synthetic dependency) iff the DAG is series-parallel.
 */
import { countBits, fromIndices, hasBit, type Bitset } from './bitset.ts';
import { closure, topoOrder, type Dag } from './dag.ts';
import { prng } from './prng.ts';

export type SpTree =
  | { kind: 'leaf'; index: number }
  | { kind: 'seq'; items: SpTree[] }
  | { kind: 'par'; items: SpTree[] }
  | GatedTree;

/** One node of a gated block: it waits for its chain predecessor (by position) and, behind its gate, for `after`. */
export interface GatedStep {
  index: number;
  /** Dependencies on other chains the gate waits for (minimal: none implied by the chain or by another). */
  after: number[];
  /** Steps of other chains whose gate waits for this node: it releases them when it ends. */
  releases: number[];
}

/**
 * An exact layout for a prime sub-order (README.md, "Gated layout"): one Parallel branch per chain of a
 * path cover; a node whose dependencies are not all implied by its chain predecessor waits behind a gate
 * that the runner opens once those dependencies have ended. `staged` is the series cut it replaces.
 */
export interface GatedTree {
  kind: 'gated';
  chains: GatedStep[][];
  staged: SpTree;
  /** Comparable pairs inside the block (the tree orders exactly these). */
  pairs: number;
}

/** `series-parallel`: the exact/heuristic decomposition; `levels`: one parallel block per topological level (the naive reference). */
export type Strategy = 'series-parallel' | 'levels';

export interface Decomposition {
  tree: SpTree;
  /** Prime sub-orders that had to be cut or gated (0 ⇔ the DAG was series-parallel). */
  primes: number;
  /** Prime sub-orders laid out as gated blocks (exact) instead of cut. */
  gated: number;
  /** Pairs of nodes ordered by the tree but not by the DAG (synthetic dependencies, transitively counted). */
  added_pairs: number;
}

export interface DecomposeOptions {
  strategy?: Strategy;
  /** Estimated duration per node (default 1); only steers the cut of prime sub-orders. */
  weight?: (index: number) => number;
  /** Lay out a prime sub-order as a gated block when its model beats the staged cut (default false). */
  gates?: boolean;
  /** A gated block runs one branch per chain: blocks needing more chains than this stay staged. */
  maxChains?: number;
}

/**
 * What a gate or a release costs in the model, in task units (a task is 1): each is one runner call on the
 * path (README.md, "Gated layout"). Small against a task, but enough that a prime where cutting loses
 * almost nothing stays staged, which needs fewer states.
 */
export const GATE_COST = 0.02;

/**
 * Gated against staged is decided on more draws than the cuts (the two layouts often differ by a few percent,
 * which 16 draws cannot tell apart), the same draws for both so the comparison is paired.
 */
const DECISION_SAMPLES = 64;

interface Ctx {
  dag: Dag;
  n: number;
  anc: Bitset[];
  desc: Bitset[];
  pos: Int32Array;
  /** SAMPLES duration draws per node. */
  samples: Float64Array[];
  memo: WeakMap<SpTree, Float64Array>;
  primes: number;
  gated: number;
  gates: boolean;
  /** DECISION_SAMPLES draws per node, made on the first prime that could be gated. */
  decision?: Float64Array[];
  weight: (index: number) => number;
  maxChains: number;
}

const seq = (items: SpTree[]): SpTree => {
  const flat = items.flatMap((t) => (t.kind === 'seq' ? t.items : [t]));
  return flat.length === 1 ? (flat[0] as SpTree) : { kind: 'seq', items: flat };
};
const par = (items: SpTree[]): SpTree => {
  const flat = items.flatMap((t) => (t.kind === 'par' ? t.items : [t]));
  return flat.length === 1 ? (flat[0] as SpTree) : { kind: 'par', items: flat };
};

/** Components of the comparability graph restricted to S (S sorted by topological position). */
function parallelComponents(ctx: Ctx, S: number[], mask: Bitset): number[][] {
  const component = new Map<number, number>();
  const groups: number[][] = [];
  for (const start of S) {
    if (component.has(start)) continue;
    const id = groups.length;
    const group: number[] = [];
    const stack = [start];
    component.set(start, id);
    while (stack.length > 0) {
      const v = stack.pop() as number;
      group.push(v);
      const a = ctx.anc[v] as Bitset;
      const d = ctx.desc[v] as Bitset;
      for (let w = 0; w < mask.length; w++) {
        let bits = ((a[w] ?? 0) | (d[w] ?? 0)) & (mask[w] ?? 0);
        while (bits !== 0) {
          const low = bits & -bits;
          const u = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          if (!component.has(u)) {
            component.set(u, id);
            stack.push(u);
          }
        }
      }
    }
    groups.push(group.toSorted((x, y) => (ctx.pos[x] ?? 0) - (ctx.pos[y] ?? 0)));
  }
  return groups;
}

/** Positions i (1..k-1) where S[0..i) precedes every node of S[i..k): the ordinal-sum cuts. */
function seriesCuts(ctx: Ctx, S: number[]): number[] {
  const k = S.length;
  const g = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    const a = ctx.anc[S[j] as number] as Bitset;
    let p = 0;
    while (p < j && hasBit(a, S[p] as number)) p++;
    g[j] = p;
  }
  const cuts: number[] = [];
  let suffixMin = Number.POSITIVE_INFINITY;
  const ok = new Uint8Array(k);
  for (let i = k - 1; i >= 1; i--) {
    suffixMin = Math.min(suffixMin, g[i] ?? 0);
    if (suffixMin >= i) ok[i] = 1;
  }
  for (let i = 1; i < k; i++) if (ok[i]) cuts.push(i);
  return cuts;
}


/** Durations are unknown at compile time; cuts are scored against this many draws from a broad prior. */
const SAMPLES = 16;

/**
 * Chooses how to cut a prime sub-order S into A ⊕ B (A a down-set, everything in A before everything in B).
 *
 * Candidates are the prefixes of four orders of S whose prefixes are down-sets: ASAP level, ALAP level,
 * expected earliest finish and expected latest start. Each cut is scored by the expected makespan of its two
 * halves run back to back, E[LP(A) + LP(B)], over SAMPLES duration draws (each node's estimate times
 * U(0.1, 1.9)). Because A is a down-set, LP(A) is the largest earliest-finish time in A and LP(B) the largest
 * tail in B, so a whole family is scored in one sweep: O(SAMPLES·|S|) per family.
 */
function cutPrime(ctx: Ctx, S: number[]): [number[], number[]] {
  const k = S.length;
  const K = ctx.samples.length;
  const local = new Map<number, number>();
  S.forEach((v, i) => local.set(v, i));
  const lp: number[][] = Array.from({ length: k }, () => []);
  const ls: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < k; i++) {
    for (const p of ctx.dag.preds[S[i] as number] ?? []) {
      const j = local.get(p);
      if (j !== undefined) {
        lp[i]?.push(j);
        ls[j]?.push(i);
      }
    }
  }
  const ef = new Float64Array(K * k);
  const tail = new Float64Array(K * k);
  const meanEf = new Float64Array(k);
  const meanTail = new Float64Array(k);
  for (let s = 0; s < K; s++) {
    const w = ctx.samples[s] as Float64Array;
    const base = s * k;
    for (let i = 0; i < k; i++) {
      let start = 0;
      for (const j of lp[i] ?? []) start = Math.max(start, ef[base + j] ?? 0);
      ef[base + i] = start + (w[S[i] as number] ?? 0);
      meanEf[i] = (meanEf[i] ?? 0) + (ef[base + i] ?? 0) / K;
    }
    for (let i = k - 1; i >= 0; i--) {
      let after = 0;
      for (const j of ls[i] ?? []) after = Math.max(after, tail[base + j] ?? 0);
      tail[base + i] = after + (w[S[i] as number] ?? 0);
      meanTail[i] = (meanTail[i] ?? 0) + (tail[base + i] ?? 0) / K;
    }
  }
  const asap = new Int32Array(k);
  const height = new Int32Array(k);
  for (let i = 0; i < k; i++) for (const j of lp[i] ?? []) asap[i] = Math.max(asap[i] ?? 0, (asap[j] ?? 0) + 1);
  for (let i = k - 1; i >= 0; i--) for (const j of ls[i] ?? []) height[i] = Math.max(height[i] ?? 0, (height[j] ?? 0) + 1);

  let best: { order: number[]; size: number } | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  let bestBalance = Number.POSITIVE_INFINITY;
  const suffixMax = new Float64Array((k + 1) * K);
  const prefixMax = new Float64Array(K);
  const family = (key: ArrayLike<number>, sign: 1 | -1) => {
    const order = Array.from({ length: k }, (_, i) => i).toSorted((x, y) => sign * ((key[x] ?? 0) - (key[y] ?? 0)) || x - y);
    suffixMax.fill(0);
    for (let r = k - 1; r >= 0; r--) {
      const i = order[r] as number;
      for (let s = 0; s < K; s++) suffixMax[r * K + s] = Math.max(suffixMax[(r + 1) * K + s] ?? 0, tail[s * k + i] ?? 0);
    }
    prefixMax.fill(0);
    for (let r = 0; r < k - 1; r++) {
      const i = order[r] as number;
      for (let s = 0; s < K; s++) prefixMax[s] = Math.max(prefixMax[s] ?? 0, ef[s * k + i] ?? 0);
      // Only cut between distinct keys: equal keys may be ordered, and splitting them could break the down-set.
      if (key[order[r + 1] as number] === key[i]) continue;
      let total = 0;
      for (let s = 0; s < K; s++) total += (prefixMax[s] ?? 0) + (suffixMax[(r + 1) * K + s] ?? 0);
      const balance = Math.abs(2 * (r + 1) - k);
      if (total < bestScore - 1e-9 || (Math.abs(total - bestScore) <= 1e-9 && balance < bestBalance)) {
        best = { order, size: r + 1 };
        bestScore = total;
        bestBalance = balance;
      }
    }
  };
  family(asap, 1);
  family(height, -1);
  family(meanEf, 1);
  family(meanTail, -1);
  const inA = new Uint8Array(k);
  if (best) for (let r = 0; r < best.size; r++) inA[best.order[r] as number] = 1;
  else inA[0] = 1;
  const A: number[] = [];
  const B: number[] = [];
  for (let i = 0; i < k; i++) (inA[i] ? A : B).push(S[i] as number);
  return [A, B];
}

/** Makespan of `tree` under each duration draw; memoised per subtree (flattening reuses child objects). */
function makespans(ctx: Ctx, tree: SpTree): Float64Array {
  const cached = ctx.memo.get(tree);
  if (cached) return cached;
  const K = ctx.samples.length;
  const out = new Float64Array(K);
  if (tree.kind === 'leaf') {
    for (let s = 0; s < K; s++) out[s] = ctx.samples[s]?.[tree.index] ?? 0;
  } else if (tree.kind === 'gated') {
    for (let s = 0; s < K; s++) out[s] = gatedMakespanOn(tree, ctx.samples[s] as Float64Array, GATE_COST);
  } else {
    for (const item of tree.items) {
      const m = makespans(ctx, item);
      for (let s = 0; s < K; s++) out[s] = tree.kind === 'seq' ? (out[s] ?? 0) + (m[s] ?? 0) : Math.max(out[s] ?? 0, m[s] ?? 0);
    }
  }
  ctx.memo.set(tree, out);
  return out;
}

function expectedMakespan(ctx: Ctx, tree: SpTree): number {
  let total = 0;
  for (const m of makespans(ctx, tree)) total += m;
  return total / ctx.samples.length;
}

/** One parallel block per topological level of S. */
function levelsOf(ctx: Ctx, S: number[]): SpTree {
  const local = new Map<number, number>();
  S.forEach((v, i) => local.set(v, i));
  const level = new Int32Array(S.length);
  let max = 0;
  S.forEach((v, i) => {
    for (const p of ctx.dag.preds[v] ?? []) {
      const j = local.get(p);
      if (j !== undefined) level[i] = Math.max(level[i] ?? 0, (level[j] ?? 0) + 1);
    }
    max = Math.max(max, level[i] ?? 0);
  });
  const rows: SpTree[][] = Array.from({ length: max + 1 }, () => []);
  S.forEach((v, i) => rows[level[i] ?? 0]?.push({ kind: 'leaf', index: v }));
  return seq(rows.map((r) => par(r)));
}

/**
 * Lays out a prime S (sorted topologically) as chains along dependencies (a minimum path cover by direct
 * edges). A node's gate waits for the dependencies neither implied by its chain predecessor nor by another
 * gated dependency (ancestors of either have ended before them).
 */
function gatedOf(ctx: Ctx, S: number[], staged: SpTree): GatedTree {
  const K = ctx.samples.length;
  const k = S.length;
  const local = new Map<number, number>();
  S.forEach((v, i) => local.set(v, i));
  // Dependencies inside S by local index (S is in topological order, so they come first).
  const preds: number[][] = S.map((v) => (ctx.dag.preds[v] ?? []).map((p) => local.get(p)).filter((i): i is number => i !== undefined));
  const meanEf = new Float64Array(k);
  const ef = new Float64Array(k);
  for (let s = 0; s < K; s++) {
    const w = ctx.samples[s] as Float64Array;
    for (let i = 0; i < k; i++) {
      let start = 0;
      for (const j of preds[i] as number[]) start = Math.max(start, ef[j] as number);
      ef[i] = start + (w[S[i] as number] ?? 0);
      meanEf[i] = (meanEf[i] as number) + (ef[i] as number) / K;
    }
  }
  // Chains = a maximum matching of dependencies to dependents (greedy, then Kuhn's augmenting paths for
  // what is left): fewest chains, so fewest dependencies left to gates. Latest-finishing dependencies first.
  for (const list of preds) list.sort((x, y) => (meanEf[y] as number) - (meanEf[x] as number) || x - y);
  const nextOf = new Int32Array(k).fill(-1);
  const prevOf = new Int32Array(k).fill(-1);
  for (let i = 0; i < k; i++) {
    for (const j of preds[i] as number[]) {
      if (nextOf[j] === -1) {
        nextOf[j] = i;
        prevOf[i] = j;
        break;
      }
    }
  }
  const seen = new Int32Array(k);
  let stamp = 0;
  const augment = (i: number): boolean => {
    for (const j of preds[i] as number[]) {
      if (seen[j] === stamp) continue;
      seen[j] = stamp;
      const taken = nextOf[j] as number;
      if (taken === -1 || augment(taken)) {
        nextOf[j] = i;
        prevOf[i] = j;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < k; i++) {
    if (prevOf[i] !== -1) continue;
    stamp++;
    augment(i);
  }
  const steps: GatedStep[] = S.map((v) => ({ index: v, after: [], releases: [] }));
  for (let i = 0; i < k; i++) {
    const pick = prevOf[i] as number;
    const pickAnc = pick === -1 ? undefined : (ctx.anc[S[pick] as number] as Bitset);
    const others = (preds[i] as number[]).filter((j) => j !== pick && !(pickAnc && hasBit(pickAnc, S[j] as number)));
    const after = others.filter((j) => !others.some((q) => q !== j && hasBit(ctx.anc[S[q] as number] as Bitset, S[j] as number))).toSorted((x, y) => x - y);
    (steps[i] as GatedStep).after = after.map((j) => S[j] as number);
    for (const j of after) (steps[j] as GatedStep).releases.push(S[i] as number);
  }
  const chains: GatedStep[][] = [];
  for (let i = 0; i < k; i++) {
    if (prevOf[i] !== -1) continue;
    const chain: GatedStep[] = [];
    for (let u = i; u !== -1; u = nextOf[u] as number) chain.push(steps[u] as GatedStep);
    chains.push(chain);
  }
  let pairs = 0;
  const mask = fromIndices(ctx.n, S);
  for (const v of S) {
    const a = ctx.anc[v] as Bitset;
    for (let w = 0; w < mask.length; w++) pairs += popcount((a[w] ?? 0) & (mask[w] ?? 0));
  }
  return { kind: 'gated', chains, staged, pairs };
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) c++;
  return c;
}

/**
 * Makespan of a gated block with infinite workers, `cost` per gate and per release call (0: the pure
 * structure, which equals the longest path). A node starts when its chain predecessor has ended (and released,
 * if it releases) and its gate call has returned, and every `after` node has ended and released.
 */
export function gatedMakespan(tree: GatedTree, duration: (index: number) => number, cost = 0): number {
  const plan = scheduleOf(tree);
  const w = new Float64Array(Math.max(0, ...plan.nodes) + 1);
  for (const v of plan.nodes) w[v] = duration(v);
  return gatedMakespanOn(tree, w, cost);
}

/** gatedMakespan with durations by node index in an array (the compiler's hot path: no callback per node). */
function gatedMakespanOn(tree: GatedTree, w: ArrayLike<number>, cost: number): number {
  const plan = scheduleOf(tree);
  const k = plan.nodes.length;
  const end = new Float64Array(k);
  let max = 0;
  for (let i = 0; i < k; i++) {
    const prev = plan.prev[i] as number;
    let start = prev === -1 ? 0 : (end[prev] as number) + (plan.releases[prev] ? cost : 0);
    const after = plan.after[i] as number[];
    if (after.length > 0) {
      start += cost;
      for (const j of after) start = Math.max(start, (end[j] as number) + cost);
    }
    end[i] = start + (w[plan.nodes[i] as number] as number);
    max = Math.max(max, (end[i] as number) + (plan.releases[i] ? cost : 0));
  }
  return max;
}

/** A gated block's steps in an order where chain predecessors and `after` nodes come first, by position. */
interface GatedSchedule {
  nodes: Int32Array;
  prev: Int32Array;
  releases: Uint8Array;
  after: number[][];
}

const schedules = new WeakMap<GatedTree, GatedSchedule>();

function scheduleOf(tree: GatedTree): GatedSchedule {
  const cached = schedules.get(tree);
  if (cached) return cached;
  const steps = tree.chains.flat();
  const slot = new Map<number, number>();
  const prevNode = new Map<number, number>();
  for (const chain of tree.chains) chain.forEach((step, i) => i > 0 && prevNode.set(step.index, (chain[i - 1] as GatedStep).index));
  // Kahn's order over chain links and gate dependencies.
  const waiting = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const step of steps) {
    const deps = [...step.after, ...(prevNode.has(step.index) ? [prevNode.get(step.index) as number] : [])];
    waiting.set(step.index, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), step.index]);
  }
  const ready = steps.filter((s) => waiting.get(s.index) === 0).map((s) => s.index);
  const order: number[] = [];
  while (ready.length > 0) {
    const v = ready.shift() as number;
    slot.set(v, order.length);
    order.push(v);
    for (const u of dependents.get(v) ?? []) {
      const left = (waiting.get(u) as number) - 1;
      waiting.set(u, left);
      if (left === 0) ready.push(u);
    }
  }
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const schedule: GatedSchedule = {
    nodes: Int32Array.from(order),
    prev: Int32Array.from(order, (v) => (prevNode.has(v) ? (slot.get(prevNode.get(v) as number) as number) : -1)),
    releases: Uint8Array.from(order, (v) => ((byIndex.get(v) as GatedStep).releases.length > 0 ? 1 : 0)),
    after: order.map((v) => (byIndex.get(v) as GatedStep).after.map((p) => slot.get(p) as number)),
  };
  schedules.set(tree, schedule);
  return schedule;
}

function decisionSamples(ctx: Ctx): Float64Array[] {
  const random = prng(0xd1ce);
  return Array.from({ length: DECISION_SAMPLES }, () => Float64Array.from({ length: ctx.n }, (_, v) => ctx.weight(v) * (0.1 + 1.8 * random())));
}

function decomposeSet(ctx: Ctx, S: number[]): SpTree {
  if (S.length === 1) return { kind: 'leaf', index: S[0] as number };
  const mask = fromIndices(ctx.n, S);
  const groups = parallelComponents(ctx, S, mask);
  if (groups.length > 1) {
    const ordered = groups.toSorted((x, y) => (ctx.pos[x[0] as number] ?? 0) - (ctx.pos[y[0] as number] ?? 0));
    return par(ordered.map((g) => decomposeSet(ctx, g)));
  }
  const cuts = seriesCuts(ctx, S);
  if (cuts.length > 0) {
    const blocks: SpTree[] = [];
    let from = 0;
    for (const c of [...cuts, S.length]) {
      blocks.push(decomposeSet(ctx, S.slice(from, c)));
      from = c;
    }
    return seq(blocks);
  }
  ctx.primes++;
  const [A, B] = cutPrime(ctx, S);
  const greedy = seq([decomposeSet(ctx, A), decomposeSet(ctx, B)]);
  // Greedy cuts can compound on long, dense primes; never do worse (in expectation) than plain levels.
  const levels = levelsOf(ctx, S);
  const staged = expectedMakespan(ctx, levels) < expectedMakespan(ctx, greedy) ? levels : greedy;
  if (!ctx.gates) return staged;
  // The gated layout is exact up to its gate and release calls; it replaces the cut when its model wins.
  const gated = gatedOf(ctx, S, staged);
  if (gated.chains.length > ctx.maxChains) return staged;
  ctx.decision ??= decisionSamples(ctx);
  let gain = 0;
  for (const w of ctx.decision) gain += treeMakespanOn(staged, w) - gatedMakespanOn(gated, w, GATE_COST);
  if (gain > 1e-9) {
    ctx.gated++;
    return gated;
  }
  return staged;
}

/** Pairs (a, b) with a before b in the tree. */
function orderedPairs(tree: SpTree): { size: number; pairs: number } {
  if (tree.kind === 'leaf') return { size: 1, pairs: 0 };
  if (tree.kind === 'gated') return { size: tree.chains.reduce((s, c) => s + c.length, 0), pairs: tree.pairs };
  const parts = tree.items.map(orderedPairs);
  let size = 0;
  let pairs = 0;
  for (const p of parts) {
    if (tree.kind === 'seq') pairs += size * p.size;
    size += p.size;
    pairs += p.pairs;
  }
  return { size, pairs };
}

export function decompose(dag: Dag, options: DecomposeOptions = {}): Decomposition {
  if (dag.n === 0) throw new Error('cannot decompose an empty graph');
  const order = topoOrder(dag);
  if (!order) throw new Error('cannot decompose a cyclic graph');
  const { anc, desc } = closure(dag, order);
  const pos = new Int32Array(dag.n);
  order.forEach((v, i) => (pos[v] = i));
  const weight = options.weight ?? (() => 1);
  const random = prng(0x5eed);
  const samples = Array.from({ length: SAMPLES }, () => Float64Array.from({ length: dag.n }, (_, v) => weight(v) * (0.1 + 1.8 * random())));
  const ctx: Ctx = { dag, n: dag.n, anc, desc, pos, samples, memo: new WeakMap(), primes: 0, gated: 0, weight, maxChains: options.maxChains ?? Number.POSITIVE_INFINITY, gates: options.gates === true && options.strategy !== 'levels' };
  const tree = options.strategy === 'levels' ? levelsOf(ctx, order) : decomposeSet(ctx, order);
  let comparable = 0;
  for (const a of anc) comparable += countBits(a);
  return { tree, primes: ctx.primes, gated: ctx.gated, added_pairs: orderedPairs(tree).pairs - comparable };
}

function treeMakespanOn(tree: SpTree, w: ArrayLike<number>): number {
  if (tree.kind === 'leaf') return w[tree.index] as number;
  if (tree.kind === 'gated') return gatedMakespanOn(tree, w, GATE_COST);
  let total = 0;
  for (const item of tree.items) {
    const t = treeMakespanOn(item, w);
    total = tree.kind === 'seq' ? total + t : Math.max(total, t);
  }
  return total;
}

/** Makespan of a tree with infinite workers: series adds, parallel takes the maximum, a gated block its longest path. */
export function treeMakespan(tree: SpTree, duration: (index: number) => number): number {
  if (tree.kind === 'leaf') return duration(tree.index);
  if (tree.kind === 'gated') return gatedMakespan(tree, duration, 0);
  let total = 0;
  for (const item of tree.items) {
    const t = treeMakespan(item, duration);
    total = tree.kind === 'seq' ? total + t : Math.max(total, t);
  }
  return total;
}
