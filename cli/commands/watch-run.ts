/** Watching a run in the terminal (`run --watch`, `executions watch`, `executions retry --watch`): exit 0 when it completed, 1 otherwise. */
import { unwrap, watchExecution } from '../../client/index.ts';
import type { Context } from '../context.ts';
import { RunView } from '../format/run.ts';

export async function watchRun(ctx: Context, executionId: string, workflowId: string, heading: string, since?: string): Promise<number> {
  const client = ctx.client();
  const { data: nodes } = await unwrap(client.GET('/api/v1/workflows/{id}/tasks', { params: { path: { id: workflowId } } })).catch(() => ({ data: [] as { id: string; type: string }[] }));
  const view = new RunView({ style: ctx.out.style, live: ctx.out.live, nodes, write: (t) => ctx.out.write(t), note: (t) => ctx.out.note(t) });
  if (!ctx.out.json) ctx.out.line(heading);
  for await (const event of watchExecution(client, executionId, { ...ctx.watchOptions(), ...(since ? { since } : {}) })) {
    if (ctx.out.json) ctx.out.jsonLine(event);
    else if (event.type === 'end') view.finish(event.execution);
    else view.handle(event);
    if (event.type === 'end') return event.execution.status === 'completed' ? 0 : 1;
  }
  return 1;
}
