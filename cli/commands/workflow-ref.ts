/** Commands take a workflow by id (`wf_…`) or by its exact name. */
import { paginate, StepwiseApiError, unwrap, type components } from '../../client/index.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../prompt.ts';

export type Workflow = components['schemas']['Workflow'];

/** The workflows named exactly `name` (names are not unique, ids are). */
export async function workflowsNamed(ctx: Context, name: string): Promise<Workflow[]> {
  const found: Workflow[] = [];
  for await (const wf of paginate(ctx.client(), '/api/v1/workflows', {})) if (wf.name === name) found.push(wf);
  return found;
}

export async function resolveWorkflow(ctx: Context, ref: string): Promise<Workflow> {
  if (/^wf_[0-9A-Za-z]+$/.test(ref)) return unwrap(ctx.client().GET('/api/v1/workflows/{id}', { params: { path: { id: ref } } }));
  const found = await workflowsNamed(ctx, ref);
  if (found.length === 1) return unwrap(ctx.client().GET('/api/v1/workflows/{id}', { params: { path: { id: found[0]!.id } } }));
  if (found.length === 0) throw new StepwiseApiError(404, { code: 'not_found', message: `No workflow named ${JSON.stringify(ref)} (nor an id: ids start with wf_)` });
  throw new UsageError(`${found.length} workflows are named ${JSON.stringify(ref)}: use an id (${found.map((w) => w.id).join(', ')})`);
}
