import { Graph, layout } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import { label } from '../lib/format.ts';

export interface DagNode {
  id: string;
  type: string;
  /** Display name when it differs from the id. */
  name?: string | undefined;
  /** The node's status in a run (execution page). */
  status?: string | undefined;
  /** Validation messages about this node (workflow editor). */
  issues?: readonly string[] | undefined;
}

export interface DagEdge {
  from: string;
  to: string;
  /** `next`, `dependency`, `choice`, `default` (statemachines/ir.ts), or `branch` into a nested graph. */
  kind: string;
}

const NODE_W = 176;
const NODE_H = 56;

/**
 * The workflow's graph, laid out in layers by dagre (top to bottom). Nodes are HTML buttons over
 * an SVG edge layer, so they are reachable and named for keyboards and screen readers; status
 * and issues are written out as text as well as shown by colour.
 */
export function Dag({ nodes, edges, selected, onSelect, label: name }: { nodes: DagNode[]; edges: DagEdge[]; selected?: string | undefined; onSelect?: (id: string) => void; label: string }) {
  const laid = useMemo(() => {
    const g = new Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
    const known = new Set(nodes.map((n) => n.id));
    edges.forEach((e, i) => {
      if (known.has(e.from) && known.has(e.to)) g.setEdge(e.from, e.to, {}, `${i}`);
    });
    layout(g);
    const graph = g.graph();
    return {
      width: Math.max(graph.width ?? 0, NODE_W + 24),
      height: Math.max(graph.height ?? 0, NODE_H + 24),
      positions: new Map(nodes.map((n) => [n.id, g.node(n.id) as { x: number; y: number }])),
      paths: edges.flatMap((e, i) => {
        const edge = known.has(e.from) && known.has(e.to) ? g.edge({ v: e.from, w: e.to, name: `${i}` }) : undefined;
        const points = (edge?.points ?? []) as { x: number; y: number }[];
        return points.length ? [{ key: `${e.from}->${e.to}:${i}`, kind: e.kind, d: points.map((p, j) => `${j ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ') }] : [];
      }),
    };
  }, [JSON.stringify(nodes.map((n) => n.id)), JSON.stringify(edges)]);

  if (nodes.length === 0) return <p class="empty">No nodes to draw yet.</p>;
  return (
    <div class="dag-scroll" role="region" aria-label={name} tabIndex={0}>
      <div class="dag" data-testid="dag" style={{ width: `${laid.width}px`, height: `${laid.height}px` }}>
        <svg class="dag-edges" width={laid.width} height={laid.height} aria-hidden="true" focusable="false">
          <defs>
            <marker id="dag-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" />
            </marker>
          </defs>
          {laid.paths.map((p) => (
            <path key={p.key} d={p.d} class={`edge edge-${p.kind}`} marker-end="url(#dag-arrow)" />
          ))}
        </svg>
        {nodes.map((n) => {
          const pos = laid.positions.get(n.id);
          if (!pos) return null;
          const state = n.issues?.length ? 'invalid' : (n.status ?? 'none');
          return (
            <button
              key={n.id}
              type="button"
              class={`dag-node type-${n.type.replace(/\W/g, '-')} node-${state}${selected === n.id ? ' selected' : ''}`}
              style={{ left: `${pos.x - NODE_W / 2}px`, top: `${pos.y - NODE_H / 2}px`, width: `${NODE_W}px`, height: `${NODE_H}px` }}
              data-node={n.id}
              data-status={n.status ?? ''}
              aria-pressed={onSelect ? selected === n.id : undefined}
              title={n.issues?.join('\n')}
              onClick={() => onSelect?.(n.id)}
            >
              <span class="node-name">{n.name ?? n.id}</span>
              <span class="node-meta">
                {n.type}
                {n.status ? ` · ${label(n.status)}` : ''}
                {n.issues?.length ? ` · ${n.issues.length} issue${n.issues.length > 1 ? 's' : ''}` : ''}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
