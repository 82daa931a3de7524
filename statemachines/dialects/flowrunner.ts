/**
 * FlowRunner: `definition` is YAML (or JSON) text, or the same as an object:
 *
 *   metadata: {name, description, version, start?}
 *   nodes:
 *     fetch: {type: http.request, params: {...}, next: {default: notify}}
 *     notify: {type: webhook, params: {...}}
 *
 * `next` is a node id, a list of ids (fan-out: all of them run), or {default: id | [ids]}. A choice node's
 * conditional edges come from params.choices[].next; its fallback from params.default or next.default.
 * The entry is metadata.start (or top-level start), else the first node in document order.
 */
import { parseDocument } from 'yaml';
import * as z from 'zod';
import type { IrGraph, WorkflowMetadata } from '../ir.ts';
import { joinPath, type ValidationIssue } from '../issues.ts';
import { formatJsonPath, inspectJson, MAX_DEFINITION_BYTES, MAX_JSON_DEPTH } from '../json-limits.ts';
import { buildGraph, type BuildContext, type RawEdgeRef, type RawNode } from './build.ts';
import { zodIssues } from './zod-issues.ts';

const idList = z.union([z.string(), z.array(z.string()).min(1).max(40)]);

const nodeSchema = z.strictObject({
  type: z.string({ error: 'type is required' }),
  params: z.record(z.string(), z.unknown()).optional(),
  next: z.union([idList, z.record(z.string(), idList)]).optional(),
  retry: z.unknown().optional(),
  max_retries: z.unknown().optional(),
  timeout: z.union([z.number(), z.string()]).optional(),
  name: z.string().max(256).optional(),
  description: z.string().max(4_096).optional(),
});

const graphSchema = z.strictObject({
  nodes: z.record(z.string(), z.unknown(), { error: 'nodes must be a map of node id → node' }),
  start: z.string().optional(),
});

const definitionSchema = z.strictObject({
  metadata: z
    .looseObject({
      name: z.string().max(256).optional(),
      description: z.string().max(4_096).optional(),
      version: z.union([z.string(), z.number()]).optional(),
      start: z.string().optional(),
    })
    .optional(),
  nodes: z.record(z.string(), z.unknown(), { error: 'nodes must be a map of node id → node' }),
  start: z.string().optional(),
  config: z.unknown().optional(),
});

export interface FlowRunnerDocument {
  metadata: WorkflowMetadata;
  nodes: Record<string, unknown>;
  start?: string;
  config?: unknown;
}

/**
 * How many times a YAML definition may use its anchors (`*name`, `<<: *name`), nested uses multiplied:
 * enough for a definition that shares settings across every one of its 500 nodes, not for a "billion
 * laughs" expansion (docs/api.md, "Limits").
 */
export const MAX_YAML_ALIASES = 1_000;

/** YAML/JSON text → object, reporting parse errors with line numbers. */
export function parseDefinitionText(text: string, path: string, issues: ValidationIssue[]): unknown {
  // merge: `<<: *defaults` is how YAML files share settings (YAML 1.1 merge keys).
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const lines = text.split('\n');
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line;
      const where = line !== undefined ? ` (line ${line})` : '';
      if (e.code === 'DUPLICATE_KEY' && line !== undefined) {
        const key = /^\s*["']?([^"':]+)["']?\s*:/.exec(lines[line - 1] ?? '')?.[1]?.trim();
        issues.push({ path, ...(key ? { node: key } : {}), code: 'duplicate_id', message: `duplicate key ${key ? `"${key}" ` : ''}in the definition${where}: node ids must be unique` });
      } else if (/Maximum call stack size exceeded/.test(e.message)) {
        issues.push({ path, code: 'too_deep', message: tooDeep(path) });
        break;
      } else {
        issues.push({ path, code: 'invalid_yaml', message: `definition is not valid YAML: ${e.message.split('\n')[0]}` });
      }
    }
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof RangeError) issues.push({ path, code: 'too_deep', message: tooDeep(path) });
    else if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      issues.push({ path, code: 'too_many_aliases', message: `definition uses its YAML anchors more than ${MAX_YAML_ALIASES} times (nested uses multiply): write the repeated parts out, or share fewer of them` });
    } else issues.push({ path, code: 'invalid_yaml', message: `definition is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
  // The same limits as a definition sent as JSON (it sits one level down, under `definition`); aliases
  // are expanded here, so what they expand to counts against the definition size.
  const problem = inspectJson(value, { maxDepth: MAX_JSON_DEPTH - 1, maxBytes: MAX_DEFINITION_BYTES });
  if (problem?.kind === 'depth') issues.push({ path: joinPath(path, ...problem.path.slice(0, 8)), code: 'too_deep', message: tooDeep(path) });
  else if (problem?.kind === 'key') issues.push({ path: joinPath(path, ...problem.path), code: 'reserved_key', message: `__proto__ may not be used as a key (at ${formatJsonPath([path, ...problem.path], 16)})` });
  else if (problem?.kind === 'size') issues.push({ path, code: 'definition_too_large', message: `the definition expands (YAML aliases included) to more than ${MAX_DEFINITION_BYTES} bytes (256 KB)` });
  return problem ? undefined : value;
}

const tooDeep = (path: string) => `${path} is nested too deeply: a definition may nest at most ${MAX_JSON_DEPTH - 1} levels (request bodies ${MAX_JSON_DEPTH})`;

function edgeRefs(next: unknown, isChoice: boolean, path: string, id: string, issues: ValidationIssue[]): RawEdgeRef[] {
  if (next === undefined) return [];
  const list = (v: string | string[], p: string, field: string, kind: RawEdgeRef['kind']): RawEdgeRef[] =>
    (Array.isArray(v) ? v : [v]).map((to, i) => (Array.isArray(v) ? { id: to, path: joinPath(p, i), field: `${field}[${i}]`, kind } : { id: to, path: p, field, kind }));
  if (typeof next === 'string' || Array.isArray(next)) return list(next as string | string[], path, 'next', isChoice ? 'default' : 'next');
  const out: RawEdgeRef[] = [];
  for (const [key, value] of Object.entries(next as Record<string, string | string[]>)) {
    if (key !== 'default') {
      issues.push({
        path: joinPath(path, key),
        node: id,
        field: `next.${key}`,
        code: 'invalid_definition',
        message: `node "${id}": next may only hold "default"${isChoice ? '; a choice node takes its conditional edges from params.choices[].next' : '; use a choice node for conditional edges'}`,
      });
      continue;
    }
    if (isChoice && Array.isArray(value)) {
      issues.push({ path: joinPath(path, key), node: id, field: 'next.default', code: 'invalid_definition', message: `node "${id}": a choice default must be a single node id` });
      continue;
    }
    out.push(...list(value, joinPath(path, key), 'next.default', isChoice ? 'default' : 'next'));
  }
  return out;
}

function rawNodes(nodes: Record<string, unknown>, base: string, issues: ValidationIssue[]): RawNode[] {
  const out: RawNode[] = [];
  for (const [id, value] of Object.entries(nodes)) {
    const source = joinPath(base, 'nodes', id);
    const parsed = nodeSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error, source, id)) issues.push({ ...issue, message: `node "${id}": ${issue.message}` });
      continue;
    }
    const n = parsed.data;
    const isChoice = n.type === 'choice';
    const next = edgeRefs(n.next, isChoice, joinPath(source, 'next'), id, issues);
    let params: Record<string, unknown> | undefined = n.params;
    if (isChoice && next.length > 1) {
      issues.push({ path: joinPath(source, 'next'), node: id, field: 'next', code: 'invalid_definition', message: `node "${id}": a choice node's next is its single default; its other edges come from params.choices[].next` });
    }
    if (isChoice) {
      const fallback = next.find((r) => r.kind === 'default');
      const own = params?.default;
      if (fallback && own !== undefined && own !== fallback.id) {
        issues.push({ path: joinPath(source, 'next'), node: id, field: 'next', code: 'invalid_definition', message: `node "${id}": params.default ("${String(own)}") and next ("${fallback.id}") disagree` });
      } else if (fallback && own === undefined) {
        // One place for the fallback: the runner reads params.default.
        params = { ...params, default: fallback.id };
      }
    }
    out.push({
      id,
      source,
      type: n.type,
      params: params ?? {},
      params_source: joinPath(source, 'params'),
      params_field: 'params',
      next: isChoice ? [] : next,
      dependencies: [],
      retry: n.retry,
      max_retries: n.max_retries,
      timeout: n.timeout,
      ...(n.name !== undefined ? { name: n.name } : {}),
    });
  }
  return out;
}

function entryOf(nodes: Record<string, unknown>, start: string | undefined, path: string, issues: ValidationIssue[]): string | undefined {
  if (start !== undefined) {
    if (!Object.hasOwn(nodes, start)) {
      issues.push({ path, field: 'start', code: 'unknown_next', message: `start node "${start}" is not defined in nodes` });
      return undefined;
    }
    return start;
  }
  return Object.keys(nodes)[0];
}

/** A nested FlowRunner graph: {nodes, start?}. */
export function parseFlowRunnerGraph(raw: unknown, path: string, ctx: BuildContext): IrGraph {
  const parsed = graphSchema.safeParse(raw);
  if (!parsed.success) {
    ctx.issues.push(...zodIssues(parsed.error, path));
    return { nodes: [], edges: [], entry: [], source: path };
  }
  const { nodes, start } = parsed.data;
  if (Object.keys(nodes).length === 0) ctx.issues.push({ path: joinPath(path, 'nodes'), code: 'invalid_definition', message: 'a graph needs at least one node' });
  const entry = entryOf(nodes, start, joinPath(path, 'start'), ctx.issues);
  return buildGraph(rawNodes(nodes, path, ctx.issues), path, ctx, entry ?? '');
}

/** Top level: validates the document shape; the caller builds the graph (it owns the config). */
export function readFlowRunnerDocument(definition: unknown, path: string, issues: ValidationIssue[]): FlowRunnerDocument | undefined {
  const value = typeof definition === 'string' ? parseDefinitionText(definition, path, issues) : definition;
  if (value === undefined) return undefined;
  const parsed = definitionSchema.safeParse(value);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, path));
    return undefined;
  }
  const { metadata, nodes, start, config } = parsed.data;
  if (Object.keys(nodes).length === 0) issues.push({ path: joinPath(path, 'nodes'), code: 'invalid_definition', message: 'a workflow needs at least one node' });
  const meta: WorkflowMetadata = { ...metadata, ...(metadata?.version !== undefined ? { version: String(metadata.version) } : {}) } as WorkflowMetadata;
  const chosenStart = start ?? metadata?.start;
  return { metadata: meta, nodes, ...(chosenStart !== undefined ? { start: chosenStart } : {}), ...(config !== undefined ? { config } : {}) };
}

export function buildFlowRunnerGraph(doc: FlowRunnerDocument, path: string, ctx: BuildContext): IrGraph {
  const startPath = doc.metadata.start !== undefined && doc.metadata.start === doc.start ? joinPath(path, 'metadata', 'start') : joinPath(path, 'start');
  const entry = entryOf(doc.nodes, doc.start, startPath, ctx.issues);
  return buildGraph(rawNodes(doc.nodes, path, ctx.issues), path, ctx, entry ?? '');
}
