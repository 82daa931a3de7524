/**
 * Choice nodes make part of a graph conditional. Before the DAG can be decomposed, each choice node and the
 * region it controls are collapsed into one "choice block" unit:
 *
 * - region R(c): the nodes whose every predecessor is c or already in R — exactly the nodes that are skipped
 *   when c takes none of its branches (dead-path elimination);
 * - zones: every node of R is labelled with the set of c's targets it is reachable from. Nodes with the same
 *   label form a zone: one zone per branch, plus one per place where branches rejoin (where some branches
 *   meet — others may end or fail on their own). Only one branch runs, so a zone runs when any branch
 *   feeding it ran; inside a zone, joins are ordinary "all predecessors" joins.
 * - structure: each zone must have one entry node and continue into at most one other zone; the block is then
 *   a Choice state jumping into branch zones, each zone a sub-DAG whose last state jumps to its continuation
 *   (Step Functions states may share a successor). Anything else is "unstructured" and rejected with the
 *   node that breaks it.
 * - routes: a target inside R enters its zone; a target outside R (it also has an unconditional predecessor)
 *   and "no condition held" finish the block.
 *
 * The block's successors are the nodes outside R that depended on anything inside it. Choices are collapsed
 * latest first, so nested choices are already single units when their enclosing choice is analysed.
 */
import type { IrGraph, IrNode } from '../ir.ts';
import type { ValidationIssue } from '../issues.ts';
import { dagFromEdges, topoOrder } from './dag.ts';

export type Unit = NodeUnit | ChoiceUnit;

export interface NodeUnit {
  kind: 'node';
  node: IrNode;
}

/** Where a choice target leads: the zone it enters, or (no zone) the end of the block. */
export interface ChoiceRoute {
  target: string;
  zone?: number;
}

export interface ChoiceZone {
  dag: UnitDag;
  /** The zone this one continues into; absent: the block ends after it. */
  next?: number;
}

export interface ChoiceUnit {
  kind: 'choice';
  node: IrNode;
  /** One route per distinct target, in the order the choices name them (default last). */
  routes: ChoiceRoute[];
  /** In topological order: a zone only continues into a later one. */
  zones: ChoiceZone[];
}

/** A DAG of units; `edges` are [from, to] indices into `units`, which are in a topological order. */
export interface UnitDag {
  units: Unit[];
  edges: Array<[number, number]>;
}

export interface Condensed {
  dag: UnitDag;
  issues: ValidationIssue[];
}

/** Collapses every choice region of one graph (not its nested graphs). The graph must be acyclic. */
export function condense(graph: IrGraph): Condensed {
  const issues: ValidationIssue[] = [];
  const n = graph.nodes.length;
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const edgeList: Array<[number, number]> = [];
  for (const e of graph.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a !== undefined && b !== undefined) edgeList.push([a, b]);
  }
  const base = dagFromEdges(n, edgeList);
  const order = topoOrder(base);
  if (!order) throw new Error(`graph at ${graph.source} has a cycle; validate before compiling`);
  const pos = new Int32Array(n);
  order.forEach((v, i) => (pos[v] = i));

  const succs = base.succs.map((s) => new Set(s));
  const preds = base.preds.map((p) => new Set(p));
  const alive = new Uint8Array(n).fill(1);
  const units: Unit[] = graph.nodes.map((node) => ({ kind: 'node', node }));

  const sorted = (set: Iterable<number>) => [...set].toSorted((a, b) => (pos[a] ?? 0) - (pos[b] ?? 0));
  const choices = order.filter((v) => graph.nodes[v]?.type === 'choice').toReversed();

  for (const c of choices) {
    const choice = graph.nodes[c] as IrNode;
    const inR = new Uint8Array(n);
    const region: number[] = [];
    for (let p = (pos[c] ?? 0) + 1; p < n; p++) {
      const v = order[p] as number;
      if (!alive[v]) continue;
      const ps = preds[v] as Set<number>;
      if (ps.size === 0) continue;
      let inside = true;
      for (const u of ps) if (u !== c && !inR[u]) inside = false;
      if (inside) {
        inR[v] = 1;
        region.push(v);
      }
    }

    const params = choice.params as { choices?: Array<{ next?: string }>; default?: string };
    const targetIds = [...(params.choices ?? []).map((ch) => ch.next), params.default].filter((t): t is string => typeof t === 'string');
    const targets: number[] = [];
    for (const id of targetIds) {
      const t = index.get(id);
      if (t !== undefined && !targets.includes(t)) targets.push(t);
    }
    const inner = targets.filter((t) => inR[t]);

    // Label every region node with the targets it is reachable from.
    const label = new Map<number, boolean[]>();
    inner.forEach((t, k) => {
      const stack = [t];
      const seen = new Set([t]);
      while (stack.length > 0) {
        const v = stack.pop() as number;
        const bits = label.get(v) ?? inner.map(() => false);
        bits[k] = true;
        label.set(v, bits);
        for (const w of succs[v] ?? []) {
          if (inR[w] && !seen.has(w)) {
            seen.add(w);
            stack.push(w);
          }
        }
      }
    });
    const zoneOf = new Map<number, number>();
    const zoneKeys: string[] = [];
    const members: number[][] = [];
    for (const v of region) {
      const key = (label.get(v) ?? []).map((b) => (b ? '1' : '0')).join('');
      let z = zoneKeys.indexOf(key);
      if (z < 0) {
        z = zoneKeys.length;
        zoneKeys.push(key);
        members.push([]);
      }
      zoneOf.set(v, z);
      members[z]?.push(v);
    }

    const fail = (node: IrNode, message: string) => {
      issues.push({ path: node.source, node: node.id, code: 'unstructured_choice', message });
    };
    const branchesOf = (z: number) =>
      (zoneKeys[z] ?? '')
        .split('')
        .map((bit, k) => (bit === '1' ? `"${graph.nodes[inner[k] ?? 0]?.id}"` : ''))
        .filter(Boolean)
        .join(', ');
    let broken = false;
    const entries: number[] = [];
    const nextZone: Array<number | undefined> = [];
    members.forEach((zone, z) => {
      const heads = zone.filter((v) => [...(preds[v] ?? [])].some((u) => u === c || zoneOf.get(u) !== z));
      if (heads.length !== 1 && !broken) {
        broken = true;
        const second = graph.nodes[heads[1] ?? zone[0] ?? 0] as IrNode;
        fail(second, `choice "${choice.id}": branches ${branchesOf(z)} rejoin at more than one node ("${graph.nodes[heads[0] ?? 0]?.id}" and "${second.id}"); let them rejoin at a single node`);
      }
      entries.push(heads[0] ?? zone[0] ?? 0);
      const onward = new Set<number>();
      for (const v of zone) for (const w of succs[v] ?? []) if (inR[w] && zoneOf.get(w) !== z) onward.add(zoneOf.get(w) ?? 0);
      if (onward.size > 1 && !broken) {
        broken = true;
        const [z1, z2] = [...onward];
        const n1 = graph.nodes[members[z1 ?? 0]?.[0] ?? 0] as IrNode;
        const n2 = graph.nodes[members[z2 ?? 0]?.[0] ?? 0] as IrNode;
        fail(n2, `choice "${choice.id}": branch ${branchesOf(z)} leads into both "${n1.id}" (shared with ${branchesOf(z1 ?? 0)}) and "${n2.id}" (shared with ${branchesOf(z2 ?? 0)}); a branch may rejoin the others at one node only`);
      }
      nextZone.push([...onward][0]);
    });
    if (broken) continue;

    const sub = (list: number[]): UnitDag => {
      const local = new Map(list.map((v, i) => [v, i]));
      const edges: Array<[number, number]> = [];
      list.forEach((v, i) => {
        for (const w of sorted(succs[v] ?? [])) {
          const j = local.get(w);
          if (j !== undefined) edges.push([i, j]);
        }
      });
      return { units: list.map((v) => units[v] as Unit), edges };
    };
    const zones: ChoiceZone[] = members.map((list, z) => {
      const next = nextZone[z];
      return next === undefined ? { dag: sub(list) } : { dag: sub(list), next };
    });
    const routes: ChoiceRoute[] = targets.map((t) => {
      const id = graph.nodes[t]?.id ?? '';
      const z = zoneOf.get(t);
      return z === undefined ? { target: id } : { target: id, zone: z };
    });

    const boundary = new Set<number>();
    for (const v of [c, ...region]) for (const s of succs[v] ?? []) if (!inR[s]) boundary.add(s);
    for (const v of region) alive[v] = 0;
    for (const b of boundary) {
      for (const v of region) (preds[b] as Set<number>).delete(v);
      (preds[b] as Set<number>).add(c);
    }
    succs[c] = boundary;
    units[c] = { kind: 'choice', node: choice, routes, zones };
  }

  const kept = order.filter((v) => alive[v]);
  const local = new Map(kept.map((v, i) => [v, i]));
  const edges: Array<[number, number]> = [];
  kept.forEach((v, i) => {
    for (const s of sorted(succs[v] ?? [])) {
      const j = local.get(s);
      if (j !== undefined) edges.push([i, j]);
    }
  });
  return { dag: { units: kept.map((v) => units[v] as Unit), edges }, issues };
}
