/**
 * Shared second half of every dialect parser: ids, types, params, nested graphs and edges → IrGraph.
 * Dialect parsers only translate their syntax into RawNodes.
 */
import type { EdgeKind, IrEdge, IrGraph, IrNode, RetryPolicy } from '../ir.ts';
import { joinPath, type ValidationIssue } from '../issues.ts';
import { FORBIDDEN_KEY } from '../json-limits.ts';
import { NODE_ID_HINT, NODE_ID_PATTERN, NODE_TYPES, NODE_TYPE_NAMES, isNodeType } from '../node-types.ts';
import { effectiveRetry, nodeTimeout } from './config.ts';
import { zodIssues } from './zod-issues.ts';

export interface RawEdgeRef {
  /** The other end: the target of a forward edge, the source of a dependency. */
  id: string;
  /** Where the reference is written, for errors. */
  path: string;
  /** The field as the user sees it (`next`, `next.default`, `dependencies[1]`). */
  field: string;
  kind: EdgeKind;
}

export interface RawNode {
  id: string;
  source: string;
  type: unknown;
  params: unknown;
  params_source: string;
  /** `params`, `payload` or '' (CloudFlow inline) — prefixes field names in errors. */
  params_field: string;
  /** Forward edges written on this node (FlowRunner `next`, CloudFlow sequence). */
  next: RawEdgeRef[];
  /** Backward edges written on this node (FlowCtl `dependencies`). */
  dependencies: RawEdgeRef[];
  retry?: unknown;
  max_retries?: unknown;
  timeout?: unknown;
  timeout_path?: string;
  priority?: number;
  name?: string;
}

/** Parses a nested graph (parallel branch or map iterator) in the current dialect. */
export type NestedParser = (raw: unknown, path: string, ctx: BuildContext) => IrGraph;

export interface BuildContext {
  issues: ValidationIssue[];
  /** Every id seen so far in the workflow, nested graphs included → where it was defined. */
  ids: Map<string, string>;
  retry: RetryPolicy;
  parseNested: NestedParser;
  /** Nesting depth, to stop pathological recursion. */
  depth: number;
  /** What the dialect calls a node in messages: node (FlowRunner), task (FlowCtl), step (CloudFlow). */
  noun: 'node' | 'task' | 'step';
}

export const MAX_NESTING = 8;

/** `.$`-suffixed keys would be evaluated as paths once params are embedded in ASL Parameters. */
function reservedKeys(value: unknown, at: Array<string | number>, out: Array<Array<string | number>>) {
  if (Array.isArray(value)) value.forEach((v, i) => reservedKeys(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('.$')) out.push([...at, k]);
      reservedKeys(v, [...at, k], out);
    }
  }
}

function parseParams(raw: RawNode, ctx: BuildContext): Record<string, unknown> | undefined {
  if (!isNodeType(raw.type)) return undefined;
  const nodeLabel = (id: string) => `${ctx.noun} "${id}"`;
  const params = raw.params ?? {};
  const reserved: Array<Array<string | number>> = [];
  reservedKeys(params, [], reserved);
  for (const segments of reserved) {
    const key = segments[segments.length - 1];
    ctx.issues.push({
      path: joinPath(raw.params_source, ...segments),
      node: raw.id,
      field: joinPath(raw.params_field, ...segments),
      code: 'reserved_key',
      message: `${nodeLabel(raw.id)}: keys ending in ".$" are reserved by Step Functions (${String(key)})`,
    });
  }
  const parsed = NODE_TYPES[raw.type].schema.safeParse(params);
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error, raw.params_source, raw.id, raw.params_field, 'invalid_params')) {
      ctx.issues.push({ ...issue, message: `${nodeLabel(raw.id)} (${raw.type}): ${issue.message}` });
    }
    return undefined;
  }
  return reserved.length ? undefined : parsed.data;
}

/** Builds one graph. Bad references are reported and dropped so that later checks still run. */
export function buildGraph(rawNodes: RawNode[], source: string, ctx: BuildContext, entryHint?: string): IrGraph {
  const nodeLabel = (id: string) => `${ctx.noun} "${id}"`;
  const nodes: IrNode[] = [];
  const local = new Map<string, IrNode>();
  const forward: Array<{ from: string; ref: RawEdgeRef; byDependency: boolean }> = [];

  for (const raw of rawNodes) {
    if (!NODE_ID_PATTERN.test(raw.id)) {
      ctx.issues.push({ path: raw.source, node: raw.id, field: 'id', code: 'invalid_id', message: `${nodeLabel(raw.id)}: ids must start with ${NODE_ID_HINT}` });
      continue;
    }
    // Ids become object keys (step outputs, expression scopes), where this one would set the prototype instead.
    if (raw.id === FORBIDDEN_KEY) {
      ctx.issues.push({ path: raw.source, node: raw.id, field: 'id', code: 'invalid_id', message: `${nodeLabel(raw.id)}: ${FORBIDDEN_KEY} is reserved and cannot be an id` });
      continue;
    }
    const seen = ctx.ids.get(raw.id);
    if (seen !== undefined) {
      ctx.issues.push({ path: raw.source, node: raw.id, field: 'id', code: 'duplicate_id', message: `${nodeLabel(raw.id)} is defined twice (first at ${seen}); ids must be unique across the workflow, nested graphs included` });
      continue;
    }
    ctx.ids.set(raw.id, raw.source);
    if (!isNodeType(raw.type)) {
      ctx.issues.push({
        path: joinPath(raw.source, 'type'),
        node: raw.id,
        field: 'type',
        code: 'unknown_type',
        message: `${nodeLabel(raw.id)}: unknown type ${JSON.stringify(raw.type)}; valid types are ${NODE_TYPE_NAMES.join(', ')}`,
      });
    }
    const params = parseParams(raw, ctx) ?? (raw.params !== null && typeof raw.params === 'object' && !Array.isArray(raw.params) ? (raw.params as Record<string, unknown>) : {});
    const node: IrNode = {
      id: raw.id,
      type: isNodeType(raw.type) ? raw.type : 'pass',
      params,
      dependencies: [],
      retry: effectiveRetry(ctx.retry, { retry: raw.retry, max_retries: raw.max_retries }, raw.source, raw.id, ctx.issues),
      source: raw.source,
      params_source: raw.params_source,
    };
    const timeout = nodeTimeout(raw.timeout, raw.timeout_path ?? joinPath(raw.source, 'timeout'), raw.id, ctx.issues);
    if (timeout !== undefined) node.timeout_seconds = timeout;
    if (raw.priority !== undefined) node.priority = raw.priority;
    if (raw.name !== undefined && raw.name !== raw.id) node.name = raw.name;

    if (node.type === 'choice' && isNodeType(raw.type)) {
      const choices = Array.isArray(params.choices) ? (params.choices as Array<{ next?: unknown }>) : [];
      choices.forEach((c, i) => {
        if (typeof c.next === 'string') {
          const path = joinPath(raw.params_source, 'choices', i, 'next');
          forward.push({ from: raw.id, ref: { id: c.next, path, field: joinPath(raw.params_field, 'choices', i, 'next'), kind: 'choice' }, byDependency: false });
        }
      });
      if (typeof params.default === 'string') {
        const path = joinPath(raw.params_source, 'default');
        forward.push({ from: raw.id, ref: { id: params.default, path, field: joinPath(raw.params_field, 'default'), kind: 'default' }, byDependency: false });
      }
    }
    for (const ref of raw.next) forward.push({ from: raw.id, ref, byDependency: false });
    for (const ref of raw.dependencies) forward.push({ from: ref.id, ref: { ...ref, id: raw.id }, byDependency: true });

    if (ctx.depth >= MAX_NESTING && (node.type === 'parallel' || node.type === 'map')) {
      ctx.issues.push({ path: raw.source, node: raw.id, code: 'invalid_definition', message: `${nodeLabel(raw.id)}: nested graphs may be at most ${MAX_NESTING} levels deep` });
    } else if (node.type === 'parallel' && Array.isArray(params.branches)) {
      const nested = { ...ctx, depth: ctx.depth + 1 };
      node.branches = params.branches.map((b, i) => ctx.parseNested(b, joinPath(raw.params_source, 'branches', i), nested));
    } else if (node.type === 'map' && params.iterator !== undefined) {
      node.iterator = ctx.parseNested(params.iterator, joinPath(raw.params_source, 'iterator'), { ...ctx, depth: ctx.depth + 1 });
    }
    nodes.push(node);
    local.set(node.id, node);
  }

  const edges: IrEdge[] = [];
  const seenEdge = new Map<string, IrEdge>();
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  for (const { from, ref, byDependency } of forward) {
    const owner = byDependency ? ref.id : from;
    const missing = byDependency ? from : ref.id;
    if (!local.has(owner)) continue;
    if (!local.has(missing)) {
      const elsewhere = ctx.ids.has(missing) ? ' (it exists, but in another graph: edges cannot cross a parallel branch or map iterator)' : '';
      ctx.issues.push({
        path: ref.path,
        node: owner,
        field: ref.field,
        code: byDependency ? 'unknown_dependency' : 'unknown_next',
        message: byDependency
          ? `${nodeLabel(owner)}: dependency "${missing}" is not a node in this graph${elsewhere}`
          : `${nodeLabel(owner)}: ${ref.field} points to "${missing}", which is not a node in this graph${elsewhere}`,
      });
      continue;
    }
    const to = ref.id;
    if (from === to) {
      ctx.issues.push({ path: ref.path, node: from, field: ref.field, code: 'cycle', message: `${nodeLabel(from)} depends on itself (${from} → ${from})` });
      continue;
    }
    const key = `${from}\u0000${to}`;
    const existing = seenEdge.get(key);
    if (existing) {
      // A FlowCtl target that also lists its choice node as a dependency is the same edge, still conditional.
      if (ref.kind === 'choice' || ref.kind === 'default') existing.kind = ref.kind;
      continue;
    }
    const edge: IrEdge = { from, to, kind: ref.kind };
    seenEdge.set(key, edge);
    edges.push(edge);
  }
  const sortedEdges = edges.toSorted((a, b) => (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0) || (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0));
  for (const edge of sortedEdges) local.get(edge.to)?.dependencies.push(edge.from);

  const entry =
    entryHint !== undefined
      ? local.has(entryHint)
        ? [entryHint]
        : []
      : nodes.filter((n) => n.dependencies.length === 0).map((n) => n.id);
  return { nodes, edges: sortedEdges, entry, source };
}
