/**
 * FlowCtl: `tasks: [{name, type, payload, dependencies, max_retries, priority}]` plus workflow `config`.
 * `name` is the node id, `payload` holds the params, `dependencies` name tasks that must finish first.
 * Nested graphs (parallel branches, map iterators) are `{tasks: [...]}` or a bare task list.
 */
import * as z from 'zod';
import type { IrGraph } from '../ir.ts';
import { joinPath } from '../issues.ts';
import { buildGraph, type BuildContext, type RawNode } from './build.ts';
import { zodIssues } from './zod-issues.ts';

const taskSchema = z.strictObject({
  name: z.string({ error: 'name is required' }).min(1),
  type: z.string({ error: 'type is required' }),
  payload: z.record(z.string(), z.unknown()).optional(),
  dependencies: z.array(z.string()).max(500).optional(),
  max_retries: z.unknown().optional(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  timeout: z.union([z.number(), z.string()]).optional(),
  description: z.string().max(4_096).optional(),
});

const tasksSchema = z.array(z.unknown(), { error: 'tasks must be an array' }).min(1, 'a workflow needs at least one task');

export function parseFlowCtlTasks(raw: unknown, path: string, ctx: BuildContext): IrGraph {
  const list = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'tasks' in raw ? (raw as { tasks: unknown }).tasks : raw;
  const listPath = list === raw ? path : joinPath(path, 'tasks');
  const parsed = tasksSchema.safeParse(list);
  if (!parsed.success) {
    ctx.issues.push(...zodIssues(parsed.error, listPath));
    return { nodes: [], edges: [], entry: [], source: listPath };
  }
  const nodes: RawNode[] = [];
  parsed.data.forEach((value, i) => {
    const source = joinPath(listPath, i);
    const t = taskSchema.safeParse(value);
    if (!t.success) {
      const name = (value as { name?: unknown } | null)?.name;
      const label = typeof name === 'string' ? `task "${name}"` : `task ${i}`;
      for (const issue of zodIssues(t.error, source, typeof name === 'string' ? name : undefined)) ctx.issues.push({ ...issue, message: `${label}: ${issue.message}` });
      return;
    }
    const task = t.data;
    nodes.push({
      id: task.name,
      source,
      type: task.type,
      params: task.payload ?? {},
      params_source: joinPath(source, 'payload'),
      params_field: 'payload',
      next: [],
      dependencies: (task.dependencies ?? []).map((dep, j) => ({ id: dep, path: joinPath(source, 'dependencies', j), field: `dependencies[${j}]`, kind: 'dependency' as const })),
      max_retries: task.max_retries,
      timeout: task.timeout,
      ...(task.priority !== undefined ? { priority: task.priority } : {}),
    });
  });
  return buildGraph(nodes, listPath, ctx);
}
