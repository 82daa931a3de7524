/**
 * Entry point for definitions: detect the dialect of a request body, normalise it to the IR and validate it.
 * Only the definition fields are read (`definition`, `tasks`, `steps`, `config`, `trigger`, `name`,
 * `description`); the workflows service validates the rest of the body.
 */
import { isError, type ValidationIssue } from './issues.ts';
import { allNodes, DEFINITION_FIELDS, type Dialect, type IrGraph, type WorkflowIr, type WorkflowMetadata } from './ir.ts';
import { parseConfig } from './dialects/config.ts';
import type { BuildContext, NestedParser } from './dialects/build.ts';
import { buildFlowRunnerGraph, parseFlowRunnerGraph, readFlowRunnerDocument } from './dialects/flowrunner.ts';
import { parseFlowCtlTasks } from './dialects/flowctl.ts';
import { parseCloudFlowSteps, parseTrigger } from './dialects/cloudflow.ts';
import { validateGraph } from './validate.ts';
import { utf8Length } from './utf8.ts';

import { MAX_DEFINITION_BYTES } from './json-limits.ts';

export { MAX_DEFINITION_BYTES };
export const MAX_NODES = 500;

export type Detection = { dialect: Dialect; issue?: undefined } | { dialect?: undefined; issue: ValidationIssue };

const FIELD_OF = DEFINITION_FIELDS;

/** `definition` → FlowRunner, `tasks` → FlowCtl, `steps` → CloudFlow; exactly one must be present. */
export function detectDialect(body: unknown): Detection {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { issue: { path: '', code: 'invalid_definition', message: 'the workflow must be a JSON object' } };
  }
  const present = (Object.keys(FIELD_OF) as Dialect[]).filter((d) => (body as Record<string, unknown>)[FIELD_OF[d]] !== undefined);
  if (present.length === 1) return { dialect: present[0] as Dialect };
  if (present.length === 0) {
    return { issue: { path: '', code: 'unknown_dialect', message: 'no workflow definition: give `definition` (FlowRunner YAML/JSON), `tasks` (FlowCtl) or `steps` (CloudFlow)' } };
  }
  return {
    issue: {
      path: FIELD_OF[present[1] as Dialect],
      code: 'ambiguous_dialect',
      message: `give only one of ${present.map((d) => `\`${FIELD_OF[d]}\``).join(', ')}: they are different definition formats`,
    },
  };
}

export interface ParseResult {
  ok: boolean;
  dialect?: Dialect;
  /** Present when `ok`. */
  ir?: WorkflowIr;
  /** Errors (and warnings) with the offending node and field. */
  issues: ValidationIssue[];
}

function definitionSize(body: Record<string, unknown>, dialect: Dialect): number {
  const field = body[FIELD_OF[dialect]];
  const text = typeof field === 'string' ? field : JSON.stringify(field ?? null);
  const extras = JSON.stringify({ config: body.config ?? null, trigger: body.trigger ?? null });
  return utf8Length(text) + utf8Length(extras);
}

function rawCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') {
    const nodes = (value as { nodes?: unknown }).nodes;
    if (nodes !== null && typeof nodes === 'object') return Object.keys(nodes).length;
  }
  return 0;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function parseWorkflow(body: unknown): ParseResult {
  const detection = detectDialect(body);
  if (!detection.dialect) return { ok: false, issues: [detection.issue] };
  const dialect = detection.dialect;
  const b = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];

  const size = definitionSize(b, dialect);
  if (size > MAX_DEFINITION_BYTES) {
    return { ok: false, dialect, issues: [{ path: FIELD_OF[dialect], code: 'definition_too_large', message: `the definition is ${size} bytes; the limit is ${MAX_DEFINITION_BYTES} (256 KB)` }] };
  }

  let metadata: WorkflowMetadata = {};
  let rawConfig: unknown = b.config;
  let flowRunnerDoc: ReturnType<typeof readFlowRunnerDocument>;
  if (dialect === 'flowrunner') {
    flowRunnerDoc = readFlowRunnerDocument(b.definition, 'definition', issues);
    if (!flowRunnerDoc) return { ok: false, dialect, issues };
    metadata = flowRunnerDoc.metadata;
    if (flowRunnerDoc.config !== undefined) {
      if (b.config !== undefined) issues.push({ path: 'config', field: 'config', code: 'invalid_definition', message: 'config is given both in the body and in the definition; keep one' });
      rawConfig = flowRunnerDoc.config;
    }
  }
  const name = str(b.name) ?? str(metadata.name);
  const description = str(b.description) ?? str(metadata.description);
  metadata = { ...metadata, ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) };
  delete metadata.start;

  const count = dialect === 'flowrunner' ? Object.keys(flowRunnerDoc?.nodes ?? {}).length : rawCount(b[FIELD_OF[dialect]]);
  if (count > MAX_NODES) {
    return { ok: false, dialect, issues: [...issues, { path: FIELD_OF[dialect], code: 'too_many_nodes', message: `the workflow has ${count} nodes; the limit is ${MAX_NODES}` }] };
  }

  const configPath = dialect === 'flowrunner' && flowRunnerDoc?.config !== undefined ? 'definition.config' : 'config';
  const config = parseConfig(rawConfig, configPath, issues);
  const parseNested: NestedParser = dialect === 'flowrunner' ? parseFlowRunnerGraph : dialect === 'flowctl' ? parseFlowCtlTasks : parseCloudFlowSteps;
  const noun = dialect === 'flowrunner' ? 'node' : dialect === 'flowctl' ? 'task' : 'step';
  const ctx: BuildContext = { issues, ids: new Map(), retry: config.retry_policy, parseNested, depth: 0, noun };
  let graph: IrGraph;
  if (dialect === 'flowrunner' && flowRunnerDoc) graph = buildFlowRunnerGraph(flowRunnerDoc, 'definition', ctx);
  else if (dialect === 'flowctl') graph = parseFlowCtlTasks(b.tasks, 'tasks', ctx);
  else graph = parseCloudFlowSteps(b.steps, 'steps', ctx);

  const trigger = dialect === 'cloudflow' || b.trigger !== undefined ? parseTrigger(b.trigger, 'trigger', issues) : undefined;

  const total = allNodes(graph).length;
  if (total > MAX_NODES) {
    issues.push({ path: FIELD_OF[dialect], code: 'too_many_nodes', message: `the workflow has ${total} nodes including nested graphs; the limit is ${MAX_NODES}` });
  }
  issues.push(...validateGraph(graph, dialect));

  const ok = !issues.some(isError);
  if (!ok) return { ok, dialect, issues };
  const ir: WorkflowIr = { ir_version: 1, dialect, metadata, ...(trigger ? { trigger } : {}), config, ...graph };
  return { ok, dialect, ir, issues };
}
