/**
 * CloudFlow: `trigger` plus ordered `steps: [{type, id?, ...params}]`. Steps run in list order; ids default
 * to step_1, step_2, ... Params sit inline next to `type`; these keys are the step's own, not params:
 * `type`, `id`, `name`, `description`, `next` (jump to a step id instead of the following one), `end: true`
 * (stop after this step), `max_retries`, `retry`, and `timeout` unless the type has a `timeout` param
 * (http.request, approval), where it stays a param. A choice step without a default continues with the
 * following step when no condition holds. Nested graphs are `{steps: [...]}` or a bare step list.
 */
import * as z from 'zod';
import type { IrGraph, TriggerSpec } from '../ir.ts';
import { joinPath, type ValidationIssue } from '../issues.ts';
import { NODE_TYPES, isNodeType } from '../node-types.ts';
import { buildGraph, type BuildContext, type RawEdgeRef, type RawNode } from './build.ts';
import { zodIssues } from './zod-issues.ts';

const stepsSchema = z.array(z.unknown(), { error: 'steps must be an array' }).min(1, 'a workflow needs at least one step');

const stepShape = z.looseObject({
  type: z.string({ error: 'type is required' }),
  id: z.string().optional(),
  name: z.string().max(256).optional(),
  description: z.string().max(4_096).optional(),
  next: z.string().optional(),
  end: z.boolean().optional(),
});

const OWN_KEYS = new Set(['type', 'id', 'name', 'description', 'next', 'end', 'max_retries', 'retry']);

export const triggerSchema = z
  .looseObject({
    type: z.enum(['manual', 'schedule', 'webhook', 'event'], { error: 'trigger.type must be manual, schedule, webhook or event' }),
  })
  .describe('How runs start; the workflows service owns the details');

const hasTimeoutParam = (type: string) =>
  isNodeType(type) && Object.hasOwn((NODE_TYPES[type].schema as unknown as { shape?: object }).shape ?? {}, 'timeout');

export function parseTrigger(raw: unknown, path: string, issues: ValidationIssue[]): TriggerSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = triggerSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, path));
    return undefined;
  }
  return parsed.data as TriggerSpec;
}

export function parseCloudFlowSteps(raw: unknown, path: string, ctx: BuildContext): IrGraph {
  const list = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'steps' in raw ? (raw as { steps: unknown }).steps : raw;
  const listPath = list === raw ? path : joinPath(path, 'steps');
  const parsed = stepsSchema.safeParse(list);
  if (!parsed.success) {
    ctx.issues.push(...zodIssues(parsed.error, listPath));
    return { nodes: [], edges: [], entry: [], source: listPath };
  }
  const steps = parsed.data;
  const ids = steps.map((s, i) => {
    const id = (s as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : `step_${i + 1}`;
  });
  const nodes: RawNode[] = [];
  steps.forEach((value, i) => {
    const id = ids[i] ?? `step_${i + 1}`;
    const source = joinPath(listPath, i);
    const shape = stepShape.safeParse(value);
    if (!shape.success) {
      for (const issue of zodIssues(shape.error, source, id)) ctx.issues.push({ ...issue, message: `step "${id}": ${issue.message}` });
      return;
    }
    const step = shape.data as Record<string, unknown> & z.output<typeof stepShape>;
    const timeoutIsParam = hasTimeoutParam(step.type);
    const params: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(step)) {
      if (OWN_KEYS.has(key) || (key === 'timeout' && !timeoutIsParam)) continue;
      params[key] = v;
    }
    const following = ids[i + 1];
    const next: RawEdgeRef[] = [];
    const isChoice = step.type === 'choice';
    if (step.end === true && step.next !== undefined) {
      ctx.issues.push({ path: joinPath(source, 'next'), node: id, field: 'next', code: 'invalid_definition', message: `step "${id}": give either next or end, not both` });
    }
    const successor = step.end === true ? undefined : (step.next ?? (step.type === 'fail' ? undefined : following));
    if (isChoice) {
      if (params.default === undefined && successor !== undefined) params.default = successor;
    } else if (successor !== undefined) {
      next.push({ id: successor, path: step.next !== undefined ? joinPath(source, 'next') : source, field: step.next !== undefined ? 'next' : 'next (following step)', kind: 'next' });
    }
    nodes.push({
      id,
      source,
      type: step.type,
      params,
      params_source: source,
      params_field: '',
      next,
      dependencies: [],
      retry: step.retry,
      max_retries: step.max_retries,
      timeout: timeoutIsParam ? undefined : step.timeout,
      timeout_path: joinPath(source, 'timeout'),
      ...(step.name !== undefined ? { name: step.name } : {}),
    });
  });
  return buildGraph(nodes, listPath, ctx, ids[0]);
}
