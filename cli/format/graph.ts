/**
 * `stepwise workflows graph`: the workflow's DAG as layered text. Each node sits in the layer after
 * its deepest dependency (layer 1: the entry nodes), with its incoming edges named; parallel
 * branches and map iterators are drawn as nested graphs under their node. The graph is the
 * intermediate representation the dry run returns (`POST /workflows/validate` → `ir`,
 * statemachines/README.md), so every dialect draws the same way.
 */
import type { Style } from './style.ts';

export interface GraphEdge {
  from: string;
  to: string;
  kind: string;
}

export interface GraphNode {
  id: string;
  type: string;
  name?: string;
  dependencies: string[];
  branches?: Graph[];
  iterator?: Graph;
}

export interface Graph {
  nodes: GraphNode[];
  edges?: GraphEdge[];
}

/** Layer (0-based) of every node: 0 for entry nodes, else one past its deepest dependency. */
export function layersOf(graph: Graph): Map<string, number> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    // A cycle cannot reach here (the compiler refuses it); guard anyway rather than recurse forever.
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const deps = (byId.get(id)?.dependencies ?? []).filter((d) => byId.has(d));
    const value = deps.length ? Math.max(...deps.map(depth)) + 1 : 0;
    visiting.delete(id);
    layer.set(id, value);
    return value;
  };
  for (const n of graph.nodes) depth(n.id);
  return layer;
}

function countNodes(graph: Graph): number {
  return graph.nodes.reduce((sum, n) => sum + 1 + (n.branches ?? []).reduce((s, b) => s + countNodes(b), 0) + (n.iterator ? countNodes(n.iterator) : 0), 0);
}

export function renderGraph(graph: Graph, style: Style, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(`${style.bold(title)} ${style.dim(`· ${countNodes(graph)} node${countNodes(graph) === 1 ? '' : 's'}`)}`, '');
  draw(graph, style, '', lines);
  return lines.join('\n');
}

function draw(graph: Graph, style: Style, prefix: string, lines: string[]): void {
  const layers = layersOf(graph);
  const ordered = graph.nodes.toSorted((a, b) => (layers.get(a.id) ?? 0) - (layers.get(b.id) ?? 0));
  const labels = new Map(ordered.map((n) => [n.id, n.name && n.name !== n.id ? `${n.id} (${n.name})` : n.id]));
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const typeWidth = Math.max(...ordered.map((n) => n.type.length));
  const stageWidth = String(Math.max(...layers.values()) + 1).length;
  const edgeKind = new Map((graph.edges ?? []).map((e) => [`${e.from}>${e.to}`, e.kind]));
  let lastLayer = -1;
  for (const node of ordered) {
    const layer = layers.get(node.id) ?? 0;
    const stage = layer !== lastLayer ? String(layer + 1).padStart(stageWidth) : ' '.repeat(stageWidth);
    lastLayer = layer;
    const incoming = node.dependencies.map((d) => {
      const kind = edgeKind.get(`${d}>${node.id}`);
      return kind === 'choice' ? `${d} ${style.dim('(when)')}` : kind === 'default' ? `${d} ${style.dim('(default)')}` : d;
    });
    const from = incoming.length ? `  ${style.dim('←')} ${incoming.join(', ')}` : '';
    lines.push(`${prefix}${style.dim(stage)}  ${style.bold((labels.get(node.id) ?? node.id).padEnd(labelWidth))}  ${style.cyan(node.type.padEnd(typeWidth))}${from}`.trimEnd());
    const nested: { label: string; graph: Graph }[] = [
      ...(node.branches ?? []).map((g, i) => ({ label: `branch ${i + 1}`, graph: g })),
      ...(node.iterator ? [{ label: 'for each item', graph: node.iterator }] : []),
    ];
    const indent = `${prefix}${' '.repeat(stageWidth + 2)}`;
    nested.forEach(({ label, graph: inner }, i) => {
      const last = i === nested.length - 1;
      lines.push(`${indent}${style.dim(last ? '└─' : '├─')} ${style.dim(label)}`);
      draw(inner, style, `${indent}${style.dim(last ? '   ' : '│  ')}`, lines);
    });
  }
}

export interface ValidationIssueView {
  field?: string;
  node?: string;
  code?: string;
  message: string;
  path?: string;
}

/** `✖ node fetch · definition.nodes.fetch.params.url: must be a URL (invalid_params)`, one per issue. */
export function formatIssue(issue: ValidationIssueView, style: Style, severity: 'error' | 'warning' = 'error'): string {
  const icon = severity === 'error' ? style.red('✖') : style.yellow('!');
  const where = [issue.node ? `node ${style.bold(issue.node)}` : undefined, issue.field ?? issue.path].filter(Boolean).join(' · ');
  return `${icon} ${where ? `${where}: ` : ''}${issue.message}${issue.code ? style.dim(` (${issue.code})`) : ''}`;
}
