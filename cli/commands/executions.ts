/** `stepwise executions ls | show | watch | logs [--follow] | cancel | retry`. */
import { isFinished, paginate, unwrap, watchExecution, type LogLine, type operations } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import type { Context } from '../context.ts';
import { nodeIcon, statusText, summaryLine, truncate } from '../format/run.ts';
import type { Style } from '../format/style.ts';
import { formatTable } from '../format/table.ts';
import { formatClock, formatDuration, formatInstant } from '../format/time.ts';
import { listOptions, printList, type ListOptions } from './list.ts';
import { watchRun } from './watch-run.ts';
import { resolveWorkflow } from './workflow-ref.ts';

type ExecutionQuery = NonNullable<operations['listExecutions']['parameters']['query']>;

export function formatLogLine(line: Pick<LogLine, 'timestamp' | 'level' | 'message' | 'node_id' | 'data'>, style: Style): string {
  const level = line.level.toUpperCase().padEnd(5);
  const colored = line.level === 'error' ? style.red(level) : line.level === 'warn' ? style.yellow(level) : line.level === 'debug' ? style.dim(level) : style.cyan(level);
  const data = line.data && Object.keys(line.data).length ? ` ${style.dim(truncate(JSON.stringify(line.data), 300))}` : '';
  return `${style.dim(formatClock(line.timestamp))} ${colored} ${line.node_id ? `${style.bold(`[${line.node_id}]`)} ` : ''}${line.message}${data}`;
}

/** Prints the log lines not printed yet (by id), in the order the API lists them. */
async function printNewLines(ctx: Context, id: string, level: string | undefined, seen: Set<string>): Promise<void> {
  for await (const line of paginate(ctx.client(), '/api/v1/executions/{id}/logs', { path: { id }, query: level ? { level: level as never } : {} })) {
    if (seen.has(line.id)) continue;
    seen.add(line.id);
    if (ctx.out.json) ctx.out.jsonLine(line);
    else ctx.out.line(formatLogLine(line, ctx.out.style));
  }
}

const executions: CommandModule = (program, act) => {
  const group = program.command('executions').alias('ex').description('Executions (runs): list, show, watch, logs, cancel, retry');

  listOptions(group.command('ls').description('List executions, newest first'))
    .option('-w, --workflow <workflow>', 'only runs of this workflow (id or name)')
    .option('-s, --status <status>', 'pending, running, completed, failed, cancelled or timed_out')
    .action(
      act<ListOptions & { workflow?: string; status?: string }>(async (ctx, _args, o) => {
        const workflowId = o.workflow ? (await resolveWorkflow(ctx, o.workflow)).id : undefined;
        const s = ctx.out.style;
        const query: Omit<ExecutionQuery, 'cursor' | 'offset' | 'page' | 'per_page'> = { ...(workflowId ? { workflow_id: workflowId } : {}), ...(o.status ? { status: o.status as ExecutionQuery['status'] } : {}) };
        await printList(
          ctx,
          '/api/v1/executions',
          { query },
          o,
          [
            { header: 'ID', value: (e) => e.id },
            { header: 'STATUS', value: (e) => statusText(e.status, s) },
            { header: 'STARTED', value: (e) => formatInstant(e.started_at ?? e.created_at) },
            { header: 'DURATION', value: (e) => (e.duration_ms !== null ? formatDuration(e.duration_ms) : '-'), right: true },
            { header: 'WORKFLOW', value: (e) => `${e.workflow_name} ${s.dim(e.workflow_id)}` },
          ],
          'no executions',
        );
      }),
    );

  group
    .command('show <id>')
    .description('An execution: status, timing, input, result, error and every node')
    .action(
      act(async (ctx, [id]) => {
        const e = await unwrap(ctx.client().GET('/api/v1/executions/{id}', { params: { path: { id: id! } } }));
        ctx.out.result(e, () => {
          const s = ctx.out.style;
          ctx.out.line(summaryLine(e, s));
          ctx.out.line(`  workflow   ${e.workflow_name} ${s.dim(`${e.workflow_id} · version ${e.version}`)}`);
          ctx.out.line(`  trigger    ${e.trigger}`);
          ctx.out.line(`  started    ${formatInstant(e.started_at ?? e.created_at)}`);
          ctx.out.line(`  finished   ${formatInstant(e.completed_at)}`);
          if (e.redrive_count) ctx.out.line(`  retried    ${e.redrive_count}×`);
          ctx.out.line(`  input      ${truncate(JSON.stringify(e.input ?? {}), 300)}`);
          if (e.status === 'completed') ctx.out.line(`  result     ${truncate(JSON.stringify(e.result), 300)}`);
          if (e.tasks?.length) {
            ctx.out.line('');
            ctx.out.line(
              formatTable(
                e.tasks,
                [
                  { header: '', value: (t) => nodeIcon(t.status, s) },
                  { header: 'NODE', value: (t) => t.node_id },
                  { header: 'TYPE', value: (t) => t.type },
                  { header: 'STATUS', value: (t) => statusText(t.status, s) },
                  { header: 'TRIES', value: (t) => String(t.retry_count + (t.started_at ? 1 : 0)), right: true },
                  { header: 'TOOK', value: (t) => (t.started_at && t.completed_at ? formatDuration(Date.parse(t.completed_at) - Date.parse(t.started_at)) : '-'), right: true },
                  { header: 'ERROR', value: (t) => (t.error ? s.red(truncate(t.error, 120)) : '') },
                ],
                (h) => s.dim(h),
              ),
            );
          }
        });
      }),
    );

  group
    .command('watch <id>')
    .description('Follow a run live until it ends; exit 0 when it completed, 1 otherwise')
    .action(
      act(async (ctx, [id]) => {
        const e = await unwrap(ctx.client().GET('/api/v1/executions/{id}', { params: { path: { id: id! } } }));
        return watchRun(ctx, e.id, e.workflow_id, `${ctx.out.style.bold(e.workflow_name)} → ${e.id}`);
      }),
    );

  group
    .command('logs <id>')
    .description('An execution’s log, oldest first; --follow keeps printing until the run ends')
    .option('-f, --follow', 'print new lines as they are written, until the run ends')
    .option('-l, --level <level>', 'only lines of this level: debug, info, warn, error')
    .action(
      act<{ follow?: boolean; level?: string }>(async (ctx, [id], o) => {
        const seen = new Set<string>();
        if (!o.follow) {
          await printNewLines(ctx, id!, o.level, seen);
          if (!seen.size && !ctx.out.json) ctx.out.note('no log lines');
          return;
        }
        // The socket says when something happened; the REST list says what, in order and without duplicates.
        let last = 0;
        for await (const event of watchExecution(ctx.client(), id!, ctx.watchOptions())) {
          if (event.type === 'end') break;
          if (Date.now() - last < 200 && event.type === 'log') continue;
          last = Date.now();
          await printNewLines(ctx, id!, o.level, seen);
        }
        await printNewLines(ctx, id!, o.level, seen);
        const e = await unwrap(ctx.client().GET('/api/v1/executions/{id}', { params: { path: { id: id! } } }));
        if (!ctx.out.json) ctx.out.note(`${e.status}${isFinished(e.status) ? '' : '…'}`);
        return e.status === 'completed' ? 0 : 1;
      }),
    );

  group
    .command('cancel <id>')
    .description('Cancel a running execution')
    .action(
      act(async (ctx, [id]) => {
        const answer = await unwrap(ctx.client().DELETE('/api/v1/executions/{id}', { params: { path: { id: id! } } }));
        ctx.out.result(answer, () => ctx.out.success(`cancelled ${id}`));
      }),
    );

  group
    .command('retry <id>')
    .description('Redrive a failed, timed-out or cancelled execution from where it stopped')
    .option('-w, --watch', 'follow the retried run; exit 0 when it completes')
    .action(
      act<{ watch?: boolean }>(async (ctx, [id], o) => {
        const since = new Date().toISOString();
        const e = await unwrap(ctx.client().POST('/api/v1/executions/{id}/retry', { params: { path: { id: id! } } }));
        if (!o.watch) return ctx.out.result(e, () => ctx.out.success(`retrying ${e.id} (redrive ${e.redrive_count})`));
        return watchRun(ctx, e.id, e.workflow_id, `${ctx.out.style.bold(e.workflow_name)} → ${e.id} ${ctx.out.style.dim(`(redrive ${e.redrive_count})`)}`, since);
      }),
    );
};

export default executions;
