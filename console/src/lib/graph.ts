import type { DagEdge, DagNode } from '../components/dag.tsx';
import type { IrGraph, RunTask } from './api-types.ts';

/**
 * The drawable graph of a workflow's IR (statemachines/ir.ts). Nested graphs (parallel branches,
 * a map's iterator) are drawn inline: edges fan out from the parallel/map node into each nested
 * entry, and from each nested exit to the node's own successors.
 */
export function graphOfIr(ir: IrGraph): { nodes: DagNode[]; edges: DagEdge[] } {
  const nodes: DagNode[] = [];
  const edges: DagEdge[] = [];
  const visit = (graph: IrGraph) => {
    for (const node of graph.nodes) nodes.push({ id: node.id, type: node.type, name: node.name && node.name !== node.id ? node.name : undefined });
    edges.push(...graph.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind })));
    for (const node of graph.nodes) {
      const successors = graph.edges.filter((e) => e.from === node.id).map((e) => e.to);
      for (const child of [...(node.branches ?? []), ...(node.iterator ? [node.iterator] : [])]) {
        visit(child);
        for (const entry of child.entry) edges.push({ from: node.id, to: entry, kind: 'branch' });
        const exits = child.nodes.filter((n) => !child.edges.some((e) => e.from === n.id)).map((n) => n.id);
        for (const exit of exits) for (const to of successors) edges.push({ from: exit, to, kind: 'branch' });
      }
    }
  };
  visit(ir);
  return { nodes, edges };
}

/** The graph of a run from its tasks: every node of the workflow with its status and dependencies. */
export function graphOfRun(tasks: readonly RunTask[]): { nodes: DagNode[]; edges: DagEdge[] } {
  const ordered = orderTasks(tasks);
  return {
    nodes: ordered.map((t) => ({ id: t.node_id, type: t.type, name: t.name !== t.node_id ? t.name : undefined, status: t.status })),
    edges: ordered.flatMap((t) => t.dependencies.map((from) => ({ from, to: t.node_id, kind: 'dependency' }))),
  };
}

/** Tasks in dependency order (then by node id), so lists and the timeline read top to bottom like the graph. */
export function orderTasks<T extends Pick<RunTask, 'node_id' | 'dependencies'>>(tasks: readonly T[]): T[] {
  const byId = new Map(tasks.map((t) => [t.node_id, t]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.dependencies.filter((d) => byId.has(d)) ?? [];
    const d = deps.length ? Math.max(...deps.map((x) => depthOf(x, seen))) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  return tasks.toSorted((a, b) => depthOf(a.node_id, new Set()) - depthOf(b.node_id, new Set()) || a.node_id.localeCompare(b.node_id));
}
