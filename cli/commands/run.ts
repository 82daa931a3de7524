/** `stepwise run <workflow> [--input @file.json] [--watch]`. */
import { unwrap } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import { jsonObjectArg } from '../input.ts';
import { resolveWorkflow } from './workflow-ref.ts';
import { watchRun } from './watch-run.ts';

const run: CommandModule = (program, act) => {
  program
    .command('run <workflow>')
    .description('Start a run of a workflow (by id or name); with --watch, follow it live and exit 0 when it completes, 1 when it fails or is cancelled')
    .option('-i, --input <json>', 'the run’s input: @file.json, - (stdin) or inline JSON')
    .option('-w, --watch', 'show each node’s state as it changes, then a summary')
    .option('-q, --quiet', 'print only the execution id')
    .option('--idempotency-key <key>', 'a retry with the same key and input returns the first run')
    .action(
      act<{ input?: string; watch?: boolean; quiet?: boolean; idempotencyKey?: string }>(async (ctx, [ref], o) => {
        const input = o.input !== undefined ? await jsonObjectArg(o.input, '--input', ctx.prompt) : {};
        const wf = await resolveWorkflow(ctx, ref!);
        const started = await unwrap(
          ctx.client().POST('/api/v1/workflows/{id}/run', { params: { path: { id: wf.id }, ...(o.idempotencyKey ? { header: { 'Idempotency-Key': o.idempotencyKey } } : {}) }, body: { input } }),
        );
        if (o.quiet && !o.watch) return ctx.out.line(started.execution_id);
        if (!o.watch) return ctx.out.result(started, () => ctx.out.success(`started ${started.execution_id} of ${ctx.out.style.bold(wf.name)} (${started.status}); follow it with: stepwise executions watch ${started.execution_id}`));
        const s = ctx.out.style;
        return watchRun(ctx, started.execution_id, wf.id, `${s.bold(wf.name)} ${s.dim(`${wf.id} · version ${started.version}`)} → ${started.execution_id}`);
      }),
    );
};

export default run;
