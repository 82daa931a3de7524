/** `stepwise workflows ls | apply -f | validate -f | show | graph | rm`. */
import type { operations } from '../../client/index.ts';
import { StepwiseApiError, unwrap } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import type { Context } from '../context.ts';
import { formatIssue, renderGraph, type Graph, type ValidationIssueView } from '../format/graph.ts';
import { statusText } from '../format/run.ts';
import { formatTable } from '../format/table.ts';
import { formatInstant } from '../format/time.ts';
import { workflowBodyFromFile } from '../input.ts';
import { UsageError } from '../prompt.ts';
import { listOptions, printList, type ListOptions } from './list.ts';
import { resolveWorkflow, workflowsNamed, type Workflow } from './workflow-ref.ts';

type CreateBody = operations['createWorkflow']['requestBody']['content']['application/json'];
type PublishBody = operations['publishWorkflow']['requestBody']['content']['application/json'];
type ValidateBody = operations['validateWorkflow']['requestBody']['content']['application/json'];
type Validation = operations['validateWorkflow']['responses'][200]['content']['application/json'];

function requireFile(file: string | undefined): string {
  if (!file) throw new UsageError('-f, --file <file.yaml|json> is required');
  return file;
}

/** The dry run: the validation (IR, warnings) or the API's 400 with every issue. */
async function dryRun(ctx: Context, body: Record<string, unknown>): Promise<Validation> {
  return unwrap(ctx.client().POST('/api/v1/workflows/validate', { body: body as ValidateBody }));
}

/**
 * A stored workflow's body for the dry run, from what GET /workflows/{id} returns. FlowCtl's
 * `tasks` come back as task views (effective settings, each node's last state) with nested nodes
 * listed too; the nested ones are in their parent's payload already, so only the top level is sent.
 */
export function bodyOfStored(wf: Workflow): Record<string, unknown> {
  if (wf.definition !== undefined) return { definition: wf.definition };
  if (wf.steps !== undefined && typeof wf.steps !== 'number') return { steps: wf.steps, ...(wf.trigger ? { trigger: wf.trigger } : {}) };
  const views = wf.tasks ?? [];
  const nested = new Set<string>();
  const collectNames = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collectNames);
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    if (typeof o.name === 'string' && typeof o.type === 'string') nested.add(o.name);
    Object.values(o).forEach(collectNames);
  };
  for (const v of views) if (v.type === 'parallel' || v.type === 'map') collectNames([v.payload.branches, v.payload.iterator]);
  const tasks = views
    .filter((v) => !nested.has(v.name))
    .map((v) => ({
      name: v.name,
      type: v.type,
      payload: v.payload,
      dependencies: v.dependencies,
      max_retries: v.max_retries,
      ...(v.priority !== null ? { priority: v.priority } : {}),
      ...(v.timeout_seconds !== null ? { timeout: `${v.timeout_seconds}s` } : {}),
    }));
  return { tasks };
}

const workflows: CommandModule = (program, act) => {
  const group = program.command('workflows').alias('wf').description('Workflows: list, apply from a file, validate, show, draw, remove');

  listOptions(group.command('ls').description('List workflows, newest first'))
    .option('-s, --status <status>', 'active, paused, archived, or the latest run’s status (running, failed…)')
    .option('-t, --tag <tag>', 'only workflows with this tag')
    .action(
      act<ListOptions & { status?: string; tag?: string }>(async (ctx, _args, o) => {
        const s = ctx.out.style;
        await printList(
          ctx,
          '/api/v1/workflows',
          { query: { ...(o.status ? { status: o.status as never } : {}), ...(o.tag ? { tag: o.tag } : {}) } },
          o,
          [
            { header: 'ID', value: (w) => w.id },
            { header: 'STATUS', value: (w) => w.status },
            { header: 'DIALECT', value: (w) => w.dialect },
            { header: 'VERSION', value: (w) => String(w.version) },
            { header: 'LAST RUN', value: (w) => (w.last_run_status ? `${statusText(w.last_run_status, s)} ${s.dim(formatInstant(w.last_run))}` : s.dim('never')) },
            { header: 'NAME', value: (w) => w.name },
          ],
          'no workflows',
        );
      }),
    );

  group
    .command('apply')
    .description('Create the workflow in a file, or publish it as a new version of the workflow with its name')
    .option('-f, --file <file>', 'FlowRunner YAML/JSON, or a FlowCtl/CloudFlow body (.json, .yaml)')
    .option('--name <name>', 'the workflow’s name (default: the file’s name or metadata.name)')
    .action(
      act<{ file?: string; name?: string }>(async (ctx, _args, o) => {
        const { body, name: fileName } = workflowBodyFromFile(requireFile(o.file));
        const name = o.name ?? fileName;
        if (o.name) body.name = o.name;
        const existing = name ? await workflowsNamed(ctx, name) : [];
        if (existing.length > 1) throw new UsageError(`${existing.length} workflows are named ${JSON.stringify(name)}: delete the extra ones or use --name`);
        const client = ctx.client();
        const target = existing[0];
        const wf = target
          ? await unwrap(client.PUT('/api/v1/workflows/{id}', { params: { path: { id: target.id } }, body: body as PublishBody }))
          : await unwrap(client.POST('/api/v1/workflows', { body: body as CreateBody }));
        ctx.out.result(wf, () => ctx.out.success(`${target ? 'updated' : 'created'} ${wf.id} ${ctx.out.style.bold(wf.name)} (${wf.dialect}, version ${wf.published_version})`));
      }),
    );

  group
    .command('validate')
    .description('Dry run: parse, validate and compile a workflow file without saving it; exit 1 when it is invalid')
    .option('-f, --file <file>', 'the workflow file')
    .action(
      act<{ file?: string }>(async (ctx, _args, o) => {
        const file = requireFile(o.file);
        const { body } = workflowBodyFromFile(file);
        const s = ctx.out.style;
        let result: Validation;
        try {
          result = await dryRun(ctx, body);
        } catch (error) {
          const issues = error instanceof StepwiseApiError ? (error.details?.issues as ValidationIssueView[] | undefined) : undefined;
          if (!issues) throw error;
          ctx.out.result({ valid: false, issues }, () => {
            ctx.out.line(`${s.red('✖')} ${file} is invalid: ${issues.length} issue${issues.length === 1 ? '' : 's'}`);
            for (const issue of issues) ctx.out.line(`  ${formatIssue(issue, s)}`);
          });
          return 1;
        }
        const nodes = ((result.ir as { nodes?: unknown[] }).nodes ?? []).length;
        ctx.out.result(result, () => {
          ctx.out.line(`${s.green('✔')} ${file} is valid (${result.dialect}, ${nodes} top-level node${nodes === 1 ? '' : 's'})`);
          for (const w of result.warnings) ctx.out.line(`  ${formatIssue({ path: w.path, code: w.code, message: w.message }, s, 'warning')}`);
        });
      }),
    );

  group
    .command('show <workflow>')
    .description('A workflow’s details and nodes (by id or name)')
    .action(
      act(async (ctx, [ref]) => {
        const wf = await resolveWorkflow(ctx, ref!);
        const nodes = await unwrap(ctx.client().GET('/api/v1/workflows/{id}/tasks', { params: { path: { id: wf.id } } }));
        ctx.out.result({ ...wf, nodes: nodes.data }, () => {
          const s = ctx.out.style;
          ctx.out.line(`${s.bold(wf.name)} ${s.dim(wf.id)}`);
          if (wf.description) ctx.out.line(wf.description);
          ctx.out.line(`  status     ${wf.status}`);
          ctx.out.line(`  dialect    ${wf.dialect}`);
          ctx.out.line(`  version    ${wf.version}${String(wf.version) !== String(wf.published_version) ? ` (published ${wf.published_version})` : ''}`);
          if (wf.tags.length) ctx.out.line(`  tags       ${wf.tags.join(', ')}`);
          if (wf.trigger) ctx.out.line(`  trigger    ${wf.trigger.type}${'cron' in wf.trigger ? ` ${wf.trigger.cron} (${wf.trigger.timezone})` : ''}`);
          ctx.out.line(`  last run   ${wf.last_run_status ? `${statusText(wf.last_run_status, s)} ${formatInstant(wf.last_run)} ${s.dim(wf.last_execution_id ?? '')}` : 'never'}`);
          ctx.out.line(`  created    ${formatInstant(wf.created_at)}`);
          ctx.out.line('');
          ctx.out.line(
            formatTable(
              nodes.data,
              [
                { header: 'NODE', value: (n) => n.id },
                { header: 'TYPE', value: (n) => n.type },
                { header: 'AFTER', value: (n) => n.dependencies.join(', ') || '-' },
                { header: 'RETRIES', value: (n) => String(n.max_retries), right: true },
                { header: 'LAST RUN', value: (n) => (n.execution_id ? statusText(n.status, s) : s.dim('-')) },
              ],
              (h) => s.dim(h),
            ),
          );
        });
      }),
    );

  group
    .command('graph [workflow]')
    .description('Draw the workflow’s DAG in the terminal (a stored workflow by id or name, or -f a file)')
    .option('-f, --file <file>', 'draw a workflow file instead')
    .action(
      act<{ file?: string }>(async (ctx, [ref], o) => {
        if (!ref && !o.file) throw new UsageError('name a workflow (id or name) or give -f <file>');
        const wf = ref ? await resolveWorkflow(ctx, ref) : undefined;
        const { body, name } = wf ? { body: bodyOfStored(wf), name: wf.name } : workflowBodyFromFile(o.file!);
        const { ir, dialect } = await dryRun(ctx, body);
        ctx.out.result({ ...(wf ? { id: wf.id } : {}), name, dialect, ir }, () => ctx.out.line(renderGraph(ir as unknown as Graph, ctx.out.style, `${name ?? o.file} · ${dialect}`)));
      }),
    );

  group
    .command('rm <workflow>')
    .description('Delete a workflow (by id or name) and its state machine; its executions stay as history')
    .action(
      act(async (ctx, [ref]) => {
        const wf = await resolveWorkflow(ctx, ref!);
        await unwrap(ctx.client().DELETE('/api/v1/workflows/{id}', { params: { path: { id: wf.id } } }));
        ctx.out.result({ deleted: wf.id }, () => ctx.out.success(`deleted ${wf.id} ${ctx.out.style.bold(wf.name)}`));
      }),
    );
};

export default workflows;
