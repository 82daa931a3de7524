/** `stepwise approvals ls | approve | reject` (docs/api.md#approvals). */
import { unwrap } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import type { Context } from '../context.ts';
import { formatInstant } from '../format/time.ts';
import { formatTable } from '../format/table.ts';
import { truncate } from '../format/run.ts';
import { UsageError } from '../prompt.ts';

async function decide(ctx: Context, executionId: string, nodeId: string, decision: 'approve' | 'reject', comment: string | undefined): Promise<void> {
  const answer = await unwrap(
    ctx.client().POST('/api/v1/executions/{id}/approvals/{node_id}', { params: { path: { id: executionId, node_id: nodeId } }, body: { decision, ...(comment !== undefined ? { comment } : {}) } }),
  );
  ctx.out.result(answer, () => ctx.out.success(`${decision === 'approve' ? 'approved' : 'rejected'} ${nodeId} of ${executionId}${answer.comment ? `: ${answer.comment}` : ''}`));
}

const approvals: CommandModule = (program, act) => {
  const group = program.command('approvals').description('Approval nodes waiting for a decision: list, approve, reject');

  group
    .command('ls')
    .description('The account’s pending approvals, oldest first')
    .option('-e, --execution <id>', 'only this execution’s')
    .option('-n, --limit <n>', 'at most this many (default 50, at most 100)')
    .option('-q, --quiet', 'only "<execution> <node>", one per line')
    .action(
      act<{ execution?: string; limit?: string; quiet?: boolean }>(async (ctx, _args, o) => {
        const limit = o.limit === undefined ? undefined : Number(o.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) throw new UsageError('--limit must be a whole number from 1 to 100');
        const list = await unwrap(ctx.client().GET('/api/v1/approvals', { params: { query: { ...(o.execution ? { execution_id: o.execution } : {}), ...(limit !== undefined ? { limit } : {}) } } }));
        const items = list.approvals;
        if (ctx.out.json) return ctx.out.line(JSON.stringify(items, null, 2));
        if (o.quiet) {
          for (const a of items) ctx.out.line(`${a.execution_id} ${a.node_id}`);
          return;
        }
        if (!items.length) return ctx.out.line(ctx.out.style.dim('no pending approvals'));
        ctx.out.line(
          formatTable(
            items,
            [
              { header: 'EXECUTION', value: (a) => a.execution_id },
              { header: 'NODE', value: (a) => a.node_id },
              { header: 'REQUESTED', value: (a) => formatInstant(a.requested_at) },
              { header: 'EXPIRES', value: (a) => (a.expires_at ? formatInstant(a.expires_at) : '-') },
              { header: 'APPROVERS', value: (a) => (a.approvers.length ? a.approvers.join(',') : ctx.out.style.dim('any writer')) },
              { header: 'MESSAGE', value: (a) => truncate(a.message ?? '', 60) },
            ],
            (h) => ctx.out.style.dim(h),
          ),
        );
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    group
      .command(`${decision} <execution> <node>`)
      .description(decision === 'approve' ? 'Approve a waiting approval node: the run carries on' : 'Reject a waiting approval node: it fails (or routes, with on_reject: continue)')
      .option('-m, --comment <text>', 'why')
      .action(act<{ comment?: string }>(async (ctx, [executionId, nodeId], o) => decide(ctx, executionId!, nodeId!, decision, o.comment)));
  }
};

export default approvals;
