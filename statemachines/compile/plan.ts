/**
 * Planning: IR graph → a tree of sequential / parallel blocks (the shape nested Parallel states can take),
 * then the concurrency cap. Emission (emit.ts) turns the tree into ASL.
 */
import type { IrGraph, IrNode } from '../ir.ts';
import { condense, type ChoiceRoute, type Unit, type UnitDag } from '../structure/choice-blocks.ts';
import { dagFromEdges } from '../structure/dag.ts';
import { decompose, type SpTree, type Strategy } from '../structure/series-parallel.ts';
import { parseDuration } from '../durations.ts';

export type Plan =
  | { kind: 'node'; node: IrNode }
  | { kind: 'parallel-node'; node: IrNode; branches: Plan[] }
  | { kind: 'map-node'; node: IrNode; iterator: Plan; concurrency: number }
  | { kind: 'choice'; node: IrNode; routes: ChoiceRoute[]; zones: Array<{ plan: Plan; next?: number }> }
  | { kind: 'seq'; items: Plan[] }
  | { kind: 'par'; items: Plan[] }
  | { kind: 'gated'; chains: GatedPlanStep[][]; staged: Plan };

/** A unit of a gated block (README.md, "Gated layout"), named by its node id (the gate's key). */
export interface GatedPlanStep {
  id: string;
  plan: Plan;
  /** Node ids on other chains this unit's gate waits for. */
  after: string[];
  /** Gates this unit opens when it ends: each dependent's id and everything that gate waits for. */
  releases: Array<{ id: string; after: string[] }>;
}

export interface PlanStats {
  /** Prime (non-series-parallel) sub-orders that needed synthetic dependencies. */
  primes: number;
  /** Node pairs ordered by the plan but not by the definition. */
  added_pairs: number;
  /** Parallel blocks split into lanes to respect max_concurrency. */
  capped_blocks: number;
  /** Prime sub-orders laid out as gated blocks (exact scheduling) rather than cut. */
  gated_blocks: number;
}

interface PlanCtx {
  strategy: Strategy;
  gates: boolean;
  defaultMapConcurrency: number;
  stats: PlanStats;
}

/** Per zone: its own cost plus everything it continues into (the cost of entering the block there). */
function chained(plan: Extract<Plan, { kind: 'choice' }>, cost: (p: Plan) => number): number[] {
  const out = Array.from({ length: plan.zones.length }, () => 0);
  for (let z = plan.zones.length - 1; z >= 0; z--) {
    const zone = plan.zones[z] as { plan: Plan; next?: number };
    out[z] = cost(zone.plan) + (zone.next !== undefined ? (out[zone.next] ?? 0) : 0);
  }
  return out;
}

/** Rough duration estimate (in "task units") used to steer cuts and lane packing, never for semantics. */
export function estimateSpan(plan: Plan): number {
  switch (plan.kind) {
    case 'node':
      return nodeWeight(plan.node);
    case 'parallel-node':
      return Math.max(1, ...plan.branches.map(estimateSpan));
    case 'map-node':
      return estimateSpan(plan.iterator);
    case 'choice':
      return 1 + Math.max(0, ...chained(plan, estimateSpan));
    case 'seq':
      return plan.items.reduce((s, p) => s + estimateSpan(p), 0);
    case 'par':
      return Math.max(0, ...plan.items.map(estimateSpan));
    case 'gated':
      return gatedSpan(plan);
  }
}

/** Longest path through a gated block on estimated spans (the block is exact, so this is its span). */
function gatedSpan(plan: Extract<Plan, { kind: 'gated' }>): number {
  const end = new Map<string, number>();
  const steps = new Map<string, { chain: GatedPlanStep[]; pos: number }>();
  for (const chain of plan.chains) chain.forEach((step, pos) => steps.set(step.id, { chain, pos }));
  const finish = (id: string): number => {
    const known = end.get(id);
    if (known !== undefined) return known;
    const at = steps.get(id);
    if (!at) return 0;
    const step = at.chain[at.pos] as GatedPlanStep;
    let start = at.pos > 0 ? finish((at.chain[at.pos - 1] as GatedPlanStep).id) : 0;
    for (const p of step.after) start = Math.max(start, finish(p));
    const t = start + estimateSpan(step.plan);
    end.set(id, t);
    return t;
  };
  return Math.max(0, ...plan.chains.map((c) => (c.length > 0 ? finish((c.at(-1) as GatedPlanStep).id) : 0)));
}

/** Total work in task units (what a single worker would have to do). */
export function estimateWork(plan: Plan): number {
  switch (plan.kind) {
    case 'node':
      return nodeWeight(plan.node);
    case 'parallel-node':
      return plan.branches.reduce((s, p) => s + estimateWork(p), 0);
    case 'map-node':
      return estimateWork(plan.iterator) * plan.concurrency;
    case 'choice':
      return 1 + Math.max(0, ...chained(plan, estimateWork));
    case 'seq':
    case 'par':
      return plan.items.reduce((s, p) => s + estimateWork(p), 0);
    case 'gated':
      return plan.chains.flat().reduce((s, step) => s + estimateWork(step.plan), 0);
  }
}

/** Most task-runner calls (or iterations) that can be in flight at once. */
export function width(plan: Plan): number {
  switch (plan.kind) {
    case 'node':
      return 1;
    case 'parallel-node':
      return Math.max(1, plan.branches.reduce((s, p) => s + width(p), 0));
    case 'map-node':
      return plan.concurrency * width(plan.iterator);
    case 'choice':
      return Math.max(1, ...plan.zones.map((z) => width(z.plan)));
    case 'seq':
      return Math.max(1, ...plan.items.map(width));
    case 'par':
      return plan.items.reduce((s, p) => s + width(p), 0);
    case 'gated':
      // A chain runs one unit at a time; gates hold no runner call while they wait.
      return plan.chains.reduce((s, chain) => s + Math.max(1, ...chain.map((step) => width(step.plan))), 0);
  }
}

function nodeWeight(node: IrNode): number {
  if (node.type === 'wait') {
    const p = node.params as { seconds?: unknown; duration?: unknown };
    const s = typeof p.seconds === 'number' ? p.seconds : parseDuration(p.duration);
    if (s !== undefined) return Math.max(1, s);
  }
  return 1;
}

const unitWeight = (unit: Unit): number => (unit.kind === 'node' ? nodeWeight(unit.node) : 2);

function fromTree(tree: SpTree, units: Plan[], ids: string[]): Plan {
  if (tree.kind === 'leaf') return units[tree.index] as Plan;
  if (tree.kind === 'gated') {
    const afterOf = new Map(tree.chains.flat().map((s) => [s.index, s.after.map((i) => ids[i] as string)]));
    return {
      kind: 'gated',
      staged: fromTree(tree.staged, units, ids),
      chains: tree.chains.map((chain) =>
        chain.map((s) => ({
          id: ids[s.index] as string,
          plan: units[s.index] as Plan,
          after: afterOf.get(s.index) ?? [],
          releases: s.releases.map((r) => ({ id: ids[r] as string, after: afterOf.get(r) ?? [] })),
        })),
      ),
    };
  }
  const items = tree.items.map((t) => fromTree(t, units, ids));
  return { kind: tree.kind, items };
}

function planUnitDag(dag: UnitDag, ctx: PlanCtx): Plan {
  const units = dag.units.map((u) => planUnit(u, ctx));
  if (units.length === 1) return units[0] as Plan;
  const decomposition = decompose(dagFromEdges(dag.units.length, dag.edges), {
    strategy: ctx.strategy,
    gates: ctx.gates,
    maxChains: ctx.defaultMapConcurrency,
    weight: (i) => unitWeight(dag.units[i] as Unit),
  });
  ctx.stats.primes += decomposition.primes;
  ctx.stats.added_pairs += decomposition.added_pairs;
  return fromTree(
    decomposition.tree,
    units,
    dag.units.map((u) => u.node.id),
  );
}

function planUnit(unit: Unit, ctx: PlanCtx): Plan {
  if (unit.kind === 'choice') {
    return {
      kind: 'choice',
      node: unit.node,
      routes: unit.routes,
      zones: unit.zones.map((z) => (z.next === undefined ? { plan: planUnitDag(z.dag, ctx) } : { plan: planUnitDag(z.dag, ctx), next: z.next })),
    };
  }
  const node = unit.node;
  if (node.type === 'parallel') return { kind: 'parallel-node', node, branches: (node.branches ?? []).map((g) => planGraph(g, ctx)) };
  if (node.type === 'map' && node.iterator) {
    const own = (node.params as { max_concurrency?: number }).max_concurrency;
    return { kind: 'map-node', node, iterator: planGraph(node.iterator, ctx), concurrency: own ?? ctx.defaultMapConcurrency };
  }
  return { kind: 'node', node };
}

function planGraph(graph: IrGraph, ctx: PlanCtx): Plan {
  const { dag, issues } = condense(graph);
  if (issues.length > 0) throw new Error(`graph at ${graph.source} is not compilable: ${issues[0]?.message}`);
  return planUnitDag(dag, ctx);
}

/**
 * Keeps at most `budget` runner calls in flight anywhere in the plan. A parallel block that is too wide
 * is regrouped into lanes (each lane runs its share in sequence); the lane count and per-lane budgets are
 * chosen by trying every lane count and packing children longest-first (LPT) on estimated durations.
 * Map iterations get MaxConcurrency = floor(budget / iterator width), at least 1.
 */
function cap(plan: Plan, budget: number, ctx: PlanCtx): Plan {
  if (width(plan) <= budget) return plan;
  switch (plan.kind) {
    case 'node':
      return plan;
    case 'seq':
      return { kind: 'seq', items: plan.items.map((p) => cap(p, budget, ctx)) };
    case 'choice':
      return { ...plan, zones: plan.zones.map((z) => ({ ...z, plan: cap(z.plan, budget, ctx) })) };
    case 'map-node': {
      const inner = width(plan.iterator);
      if (inner <= budget) return { ...plan, concurrency: Math.max(1, Math.min(plan.concurrency, Math.floor(budget / inner))) };
      return { ...plan, concurrency: 1, iterator: cap(plan.iterator, budget, ctx) };
    }
    case 'parallel-node':
      return { ...plan, branches: lanes(plan.branches, budget, ctx) };
    case 'par': {
      const items = lanes(plan.items, budget, ctx);
      return items.length === 1 ? (items[0] as Plan) : { kind: 'par', items };
    }
    case 'gated':
      // More chains than the budget: the staged layout, which lanes can regroup.
      return cap(plan.staged, budget, ctx);
  }
}

function priorityOf(plan: Plan): number {
  switch (plan.kind) {
    case 'node':
    case 'parallel-node':
    case 'map-node':
    case 'choice':
      return plan.node.priority ?? 1;
    case 'seq':
    case 'par':
      return Math.max(Number.NEGATIVE_INFINITY, ...plan.items.map(priorityOf));
    case 'gated':
      return Math.max(Number.NEGATIVE_INFINITY, ...plan.chains.flat().map((s) => priorityOf(s.plan)));
  }
}

function lanes(children: Plan[], budget: number, ctx: PlanCtx): Plan[] {
  ctx.stats.capped_blocks++;
  const k = children.length;
  if (k <= budget) {
    // Everything can start at once; share the spare budget where it shortens the estimate most.
    const budgets = children.map(() => 1);
    let spare = budget - k;
    const est = (i: number, b: number) => {
      const c = children[i] as Plan;
      return Math.max(estimateSpan(c), estimateWork(c) / b);
    };
    while (spare > 0) {
      let best = -1;
      let gain = 0;
      for (let i = 0; i < k; i++) {
        if ((budgets[i] ?? 1) >= width(children[i] as Plan)) continue;
        const g = est(i, budgets[i] ?? 1) - est(i, (budgets[i] ?? 1) + 1);
        if (g > gain + 1e-9) {
          gain = g;
          best = i;
        }
      }
      if (best < 0) {
        // No estimated gain left: hand the rest out round-robin to children that can still use it.
        const open = children.map((c, i) => i).filter((i) => (budgets[i] ?? 1) < width(children[i] as Plan));
        if (open.length === 0) break;
        for (const i of open) {
          if (spare === 0) break;
          budgets[i] = (budgets[i] ?? 1) + 1;
          spare--;
        }
        continue;
      }
      budgets[best] = (budgets[best] ?? 1) + 1;
      spare--;
    }
    return children.map((c, i) => cap(c, budgets[i] ?? 1, ctx));
  }
  // More children than slots: pack them into L lanes of budget floor(budget / L), L chosen by estimate.
  let bestLanes: number[][] = [];
  let bestTime = Number.POSITIVE_INFINITY;
  let bestPer = 1;
  const orderIdx = children
    .map((c, i) => ({ i, w: estimateWork(c), p: priorityOf(c) }))
    .toSorted((a, b) => b.w - a.w || b.p - a.p || a.i - b.i);
  for (let L = Math.min(k, budget); L >= 1; L--) {
    const per = Math.floor(budget / L);
    const load = Array.from({ length: L }, () => 0);
    const assigned: number[][] = Array.from({ length: L }, () => []);
    for (const { i } of orderIdx) {
      const c = children[i] as Plan;
      const t = Math.max(estimateSpan(c), estimateWork(c) / per);
      let lane = 0;
      for (let l = 1; l < L; l++) if ((load[l] ?? 0) < (load[lane] ?? 0)) lane = l;
      load[lane] = (load[lane] ?? 0) + t;
      assigned[lane]?.push(i);
    }
    const time = Math.max(...load);
    if (time < bestTime - 1e-9) {
      bestTime = time;
      bestLanes = assigned;
      bestPer = per;
    }
  }
  return bestLanes.map((lane) => {
    // Within a lane, higher priority first, then document order.
    const ordered = [...lane].toSorted((a, b) => priorityOf(children[b] as Plan) - priorityOf(children[a] as Plan) || a - b);
    const items = ordered.map((i) => cap(children[i] as Plan, bestPer, ctx));
    return items.length === 1 ? (items[0] as Plan) : { kind: 'seq', items };
  });
}

export interface PlanOptions {
  strategy: Strategy;
  maxConcurrency: number;
  /** Gated layouts for prime sub-orders where they beat the staged cut (default true). */
  gates?: boolean;
}

export function planWorkflow(graph: IrGraph, options: PlanOptions): { plan: Plan; stats: PlanStats } {
  const ctx: PlanCtx = {
    strategy: options.strategy,
    gates: options.gates !== false,
    defaultMapConcurrency: options.maxConcurrency,
    stats: { primes: 0, added_pairs: 0, capped_blocks: 0, gated_blocks: 0 },
  };
  const natural = planGraph(graph, ctx);
  const plan = cap(natural, options.maxConcurrency, ctx);
  ctx.stats.gated_blocks = countGated(plan);
  return { plan, stats: ctx.stats };
}

function countGated(plan: Plan): number {
  switch (plan.kind) {
    case 'node':
      return 0;
    case 'seq':
    case 'par':
      return plan.items.reduce((s, p) => s + countGated(p), 0);
    case 'parallel-node':
      return plan.branches.reduce((s, p) => s + countGated(p), 0);
    case 'map-node':
      return countGated(plan.iterator);
    case 'choice':
      return plan.zones.reduce((s, z) => s + countGated(z.plan), 0);
    case 'gated':
      return 1 + plan.chains.flat().reduce((s, step) => s + countGated(step.plan), 0);
  }
}
