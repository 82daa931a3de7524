/**
 * Graph-level checks on a built IR: cycles (with the cycle spelled out), unreachable nodes, choice
 * structure, and template references. Per-node checks (ids, types, params) happen while building.
 */
import { childGraphs, ownParams, type IrGraph, type IrNode } from './ir.ts';
import { isNodeType, NODE_TYPES } from './node-types.ts';
import { joinPath, type ValidationIssue } from './issues.ts';
import { condense } from './structure/choice-blocks.ts';
import { findTemplates } from './templates.ts';

/** Tarjan's SCC; returns the non-trivial components in discovery order. */
function cyclicComponents(graph: IrGraph): string[][] {
  const succ = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) succ.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const strong = (v: string) => {
    // Iterative DFS: user graphs can be 500 deep.
    const work: Array<{ v: string; i: number }> = [{ v, i: 0 }];
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: string; i: number };
      const next = succ.get(frame.v) ?? [];
      if (frame.i < next.length) {
        const w = next[frame.i++] as string;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v) ?? 0, index.get(w) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) ?? 0, low.get(frame.v) ?? 0));
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        if (component.length > 1) out.push(component);
      }
    }
  };
  for (const n of graph.nodes) if (!index.has(n.id)) strong(n.id);
  return out;
}

/** One concrete cycle through a component, starting at its first node in document order. */
function cyclePath(graph: IrGraph, component: string[]): string[] {
  const members = new Set(component);
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const start = [...component].toSorted((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] as string;
  const succ = new Map<string, string[]>();
  for (const e of graph.edges) if (members.has(e.from) && members.has(e.to)) succ.set(e.from, [...(succ.get(e.from) ?? []), e.to]);
  // BFS back to start gives the shortest cycle through it.
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of succ.get(v) ?? []) {
      if (w === start) {
        const path = [v];
        for (let x = prev.get(v); x !== undefined; x = prev.get(x)) path.push(x);
        return [...path.toReversed(), start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const fieldOf = (node: IrNode, at: string) => {
  const base = node.params_source.length > node.source.length ? node.params_source.slice(node.source.length + 1) : '';
  return base && at ? `${base}.${at}` : base || at;
};

function checkGraph(graph: IrGraph, dialect: string, issues: ValidationIssue[]) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const components = cyclicComponents(graph);
  const inCycle = new Set(components.flat());
  for (const component of components) {
    const path = cyclePath(graph, component);
    const second = path[1] ?? path[0] ?? '';
    const first = byId.get(path[0] ?? '');
    const edgeField = dialect === 'flowctl' ? 'dependencies' : 'next';
    issues.push({
      path: first ? joinPath(first.source, edgeField) : graph.source,
      node: path[0],
      field: edgeField,
      code: 'cycle',
      message: `cycle: ${path.join(' → ')} (node "${path[0]}" leads back to itself through "${second}")`,
    });
  }

  const reached = new Set<string>(graph.entry);
  const queue = [...graph.entry];
  const succ = new Map<string, string[]>();
  for (const e of graph.edges) succ.set(e.from, [...(succ.get(e.from) ?? []), e.to]);
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of succ.get(v) ?? []) {
      if (!reached.has(w)) {
        reached.add(w);
        queue.push(w);
      }
    }
  }
  if (graph.entry.length > 0) {
    for (const node of graph.nodes) {
      if (reached.has(node.id) || inCycle.has(node.id)) continue;
      // In FlowCtl every task without dependencies is an entry, so only cycles can strand a node.
      if (dialect === 'flowctl') continue;
      const entry = graph.entry[0] as string;
      issues.push({
        path: node.source,
        node: node.id,
        code: 'unreachable_node',
        message: `node "${node.id}" is unreachable: no path leads to it from the start node "${entry}"`,
      });
    }
  }

  for (const e of graph.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (from?.type === 'choice' && e.kind !== 'choice' && e.kind !== 'default' && to) {
      issues.push({
        path: joinPath(to.source, 'dependencies'),
        node: to.id,
        field: 'dependencies',
        code: 'unstructured_choice',
        message: `node "${to.id}" depends on choice node "${from.id}" but is not one of its branches; name it in the choice's choices[].next or default, or depend on a node after the choice`,
      });
    }
  }

  const clean = components.length === 0 && !issues.some((i) => i.code === 'unstructured_choice' && byId.has(i.node ?? ''));
  if (clean && graph.nodes.length > 0) issues.push(...condense(graph).issues);

  for (const node of graph.nodes) for (const child of childGraphs(node)) checkGraph(child, dialect, issues);
}

/** Ancestors within a graph (ids), computed on demand: most nodes never reference another node. */
function ancestorsWithin(graph: IrGraph): (id: string) => Set<string> {
  const preds = new Map<string, string[]>(graph.nodes.map((n) => [n.id, n.dependencies]));
  const memo = new Map<string, Set<string>>();
  return (id: string) => {
    const cached = memo.get(id);
    if (cached) return cached;
    // Plain reachability, so it also terminates on graphs that still contain cycles.
    const seen = new Set<string>();
    const stack = [...(preds.get(id) ?? [])];
    while (stack.length > 0) {
      const v = stack.pop() as string;
      if (seen.has(v)) continue;
      seen.add(v);
      stack.push(...(preds.get(v) ?? []));
    }
    seen.delete(id);
    memo.set(id, seen);
    return seen;
  };
}

/** Nodes inside a parallel node's branches (recursively, but not inside map iterators: those run per item). */
function completedInside(node: IrNode): string[] {
  if (node.type !== 'parallel') return [];
  return (node.branches ?? []).flatMap((g) => g.nodes.flatMap((n) => [n.id, ...completedInside(n)]));
}

function checkTemplates(graph: IrGraph, outer: Set<string>, inIterator: boolean, all: Map<string, IrNode>, issues: ValidationIssue[]) {
  const within = ancestorsWithin(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of graph.nodes) {
    let cached: Set<string> | undefined;
    const upstreamOf = () => {
      if (cached) return cached;
      cached = new Set(outer);
      for (const a of within(node.id)) {
        cached.add(a);
        const ancestor = byId.get(a);
        if (ancestor) for (const inner of completedInside(ancestor)) cached.add(inner);
      }
      return cached;
    };
    for (const t of findTemplates(ownParams(node))) {
      const path = t.at ? `${node.params_source}.${t.at}` : node.params_source;
      const base = { path, node: node.id, field: fieldOf(node, t.at) };
      if (!t.ref) {
        issues.push({ ...base, code: 'invalid_template', message: `node "${node.id}": template {{${t.expression}}} at ${base.field || 'params'}: ${t.problem}` });
        continue;
      }
      const ref = t.ref;
      if (ref.kind === 'steps') {
        if (ref.node === node.id) {
          issues.push({ ...base, code: 'invalid_template_reference', message: `node "${node.id}": {{${t.expression}}} refers to the node itself` });
        } else if (!all.has(ref.node)) {
          issues.push({ ...base, code: 'invalid_template_reference', message: `node "${node.id}": {{${t.expression}}} refers to unknown node "${ref.node}"` });
        } else if (!upstreamOf().has(ref.node)) {
          issues.push({ ...base, code: 'invalid_template_reference', message: `node "${node.id}": {{${t.expression}}} refers to "${ref.node}", which is not upstream of "${node.id}" (it may not have run yet); add a dependency path from "${ref.node}"` });
        }
      } else if ((ref.kind === 'item' || ref.kind === 'index') && !inIterator) {
        issues.push({ ...base, code: 'invalid_template_reference', message: `node "${node.id}": {{${t.expression}}} is only available inside a map iterator` });
      }
      if (node.type === 'map' && t.at === 'items' && (ref.kind === 'secrets' || ref.kind === 'index')) {
        issues.push({ ...base, code: 'invalid_template_reference', message: `node "${node.id}": map items travel through the state machine, so they cannot come from {{${t.expression}}}` });
      } else if (ref.kind === 'secrets' && isNodeType(node.type) && !NODE_TYPES[node.type].secrets) {
        issues.push({
          ...base,
          code: 'secret_not_allowed',
          message: `node "${node.id}": a ${node.type} node cannot use {{${t.expression}}}: only nodes that send a value to another system (http.request, webhook, lambda, jobs) may read secrets, so a secret is never reshaped past masking or written into history`,
        });
      }
    }
    for (const branch of node.branches ?? []) checkTemplates(branch, upstreamOf(), inIterator, all, issues);
    if (node.iterator) checkTemplates(node.iterator, upstreamOf(), true, all, issues);
  }
}

export function validateGraph(root: IrGraph, dialect: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkGraph(root, dialect, issues);
  const all = new Map<string, IrNode>();
  const collect = (g: IrGraph) => {
    for (const n of g.nodes) {
      all.set(n.id, n);
      childGraphs(n).forEach(collect);
    }
  };
  collect(root);
  checkTemplates(root, new Set(), false, all, issues);
  return issues;
}
