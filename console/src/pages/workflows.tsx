import { useState } from 'preact/hooks';
import type { PageProps } from '../app.tsx';
import { Dag } from '../components/dag.tsx';
import { lazyComponent } from '../components/lazy.tsx';
import { Choice, ErrorNotice, Json, Loading, OneTimeSecret, PageHeader, Status } from '../components/ui.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import { WorkflowEditor } from '../components/workflow-editor.tsx';
import { api, enc } from '../lib/api.ts';
import { WORKFLOW_STATUSES, type Execution, type Page, type RunStarted, type Validation, type Workflow } from '../lib/api-types.ts';
import { dateTime, duration, percent } from '../lib/format.ts';
import { graphOfIr } from '../lib/graph.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { href, navigate, replaceQuery } from '../lib/router.ts';
import { TEMPLATES } from '../components/workflow-editor.tsx';

const Insight = lazyComponent(() => import('../components/insight.tsx'), 'insight charts');
const Triggers = lazyComponent(() => import('../components/triggers.tsx'), 'triggers');

/** What a workflow's create response showed once (its webhook trigger URL), kept for the page it opens. */
let createdOnce: { id: string; webhookUrl: string } | undefined;

export default function WorkflowsPage({ route }: PageProps) {
  const [, id, sub] = route.segments;
  if (id === 'new') return <NewWorkflow />;
  if (id && sub === 'edit') return <EditWorkflow id={id} />;
  if (id) return <WorkflowDetail id={id} />;
  return <WorkflowList route={route} />;
}

function WorkflowList({ route }: PageProps) {
  const status = route.query.get('status') ?? '';
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const list = useResource(() => api.get<Page<Workflow>>('/workflows', { status, limit: 20, offset }), [status, offset]);
  return (
    <>
      <PageHeader title="Workflows">
        <a class="button" href={href('/workflows/new')}>
          New workflow
        </a>
      </PageHeader>
      <form class="filters" aria-label="Filter workflows" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <Choice any value={status} options={WORKFLOW_STATUSES} onChange={(v) => replaceQuery({ status: v })} />
        </label>
      </form>
      <ResourceTable
        resource={list}
        what="workflows"
        empty={
          <>
            No workflows yet. <a href={href('/workflows/new')}>Create one</a> from YAML or JSON.
          </>
        }
        rowKey={(w) => w.id}
        paging={{ offset, onOffset: (o) => replaceQuery({ status, offset: o || undefined }) }}
        columns={[
          { header: 'Name', cell: (w) => <a href={href(`/workflows/${enc(w.id)}`)}>{w.name}</a> },
          { header: 'Status', cell: (w) => <Status value={w.status} /> },
          { header: 'Dialect', cell: (w) => w.dialect },
          { header: 'Version', cell: (w) => versionLabel(w) },
          {
            header: 'Last run',
            cell: (w) =>
              w.last_execution_id ? (
                <a href={href(`/executions/${enc(w.last_execution_id)}`)}>
                  <Status value={w.last_run_status} /> {dateTime(w.last_run)}
                </a>
              ) : (
                <span class="muted">never</span>
              ),
          },
          { header: 'Updated', cell: (w) => dateTime(w.updated_at) },
        ]}
      />
    </>
  );
}

function NewWorkflow() {
  const create = useAction(async (body: Record<string, unknown>) => {
    const wf = await api.post<Workflow>('/workflows', body);
    if (wf.webhook_url) createdOnce = { id: wf.id, webhookUrl: wf.webhook_url };
    navigate(`/workflows/${enc(wf.id)}`);
  });
  return (
    <>
      <PageHeader title="New workflow" />
      <p class="muted">
        Write the request body of <code>POST /workflows</code> in YAML or JSON: a FlowRunner <code>definition</code>, FlowCtl <code>tasks</code> or CloudFlow <code>steps</code>.
      </p>
      <WorkflowEditor initial={TEMPLATES['FlowRunner graph']} submitLabel="Create workflow" onSubmit={(body) => void create.run(body)} busy={create.busy} submitError={create.error} />
    </>
  );
}

/** `v3`, or `v3 (1.0.1)` when a FlowRunner definition names its own version in metadata.version. */
function versionLabel(w: Workflow): string {
  return `v${w.published_version}${typeof w.version === 'string' ? ` (${w.version})` : ''}`;
}

/** The workflow's request body as its author wrote it (tasks rebuilt from the FlowCtl task views). */
export function bodyOfWorkflow(wf: Workflow): Record<string, unknown> {
  const base: Record<string, unknown> = { name: wf.name, ...(wf.description ? { description: wf.description } : {}), ...(wf.tags.length ? { tags: wf.tags } : {}) };
  if (wf.dialect === 'flowctl') {
    return {
      ...base,
      tasks: (wf.tasks ?? []).map((t) => ({
        name: t.name,
        type: t.type,
        ...(Object.keys(t.payload).length ? { payload: t.payload } : {}),
        ...(t.dependencies.length ? { dependencies: t.dependencies } : {}),
        max_retries: t.max_retries,
        ...(t.priority !== null ? { priority: t.priority } : {}),
        ...(t.timeout_seconds !== null ? { timeout: t.timeout_seconds } : {}),
      })),
      ...(wf.config !== undefined ? { config: wf.config } : {}),
      ...(wf.trigger !== undefined ? { trigger: wf.trigger } : {}),
    };
  }
  if (wf.dialect === 'cloudflow') return { ...base, ...(wf.trigger !== undefined ? { trigger: wf.trigger } : {}), steps: wf.steps, ...(wf.config !== undefined ? { config: wf.config } : {}) };
  return { ...base, definition: wf.definition, ...(wf.trigger !== undefined ? { trigger: wf.trigger } : {}) };
}

/** The fields of a body that POST /workflows/validate takes. */
function validateBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => ['name', 'definition', 'tasks', 'config', 'trigger', 'steps'].includes(k)));
}

function EditWorkflow({ id }: { id: string }) {
  const wf = useResource(() => api.get<Workflow>(`/workflows/${enc(id)}`), [id]);
  const publish = useAction(async (body: Record<string, unknown>) => {
    await api.put<Workflow>(`/workflows/${enc(id)}`, { ...body, revision: wf.data!.revision });
    navigate(`/workflows/${enc(id)}`);
  });
  return (
    <>
      <PageHeader title={wf.data ? `Edit ${wf.data.name}` : 'Edit workflow'}>
        <a class="button secondary" href={href(`/workflows/${enc(id)}`)}>
          Back
        </a>
      </PageHeader>
      <ErrorNotice error={wf.error} title="Could not load the workflow" />
      {wf.data && <WorkflowEditor initial={bodyOfWorkflow(wf.data)} submitLabel={`Publish version ${wf.data.published_version + 1}`} onSubmit={(body) => void publish.run(body)} busy={publish.busy} submitError={publish.error} />}
    </>
  );
}

function WorkflowDetail({ id }: { id: string }) {
  const wf = useResource(() => api.get<Workflow>(`/workflows/${enc(id)}`), [id]);
  const ir = useResource(async () => (wf.data ? api.post<Validation>('/workflows/validate', validateBody(bodyOfWorkflow(wf.data))) : undefined), [wf.data?.published_version, wf.data?.id]);
  const [shownUrl, setShownUrl] = useState(() => (createdOnce?.id === id ? createdOnce.webhookUrl : undefined));
  const status = useAction(async (next: 'active' | 'paused') => {
    wf.setData(await api.patch<Workflow>(`/workflows/${enc(id)}`, { status: next, revision: wf.data!.revision }));
  });
  if (wf.error) return <ErrorNotice error={wf.error} title="Could not load the workflow" />;
  if (!wf.data) return <Loading what="workflow" />;
  const w = wf.data;
  const graph = ir.data ? graphOfIr(ir.data.ir) : undefined;
  return (
    <>
      <PageHeader title={w.name}>
        <a class="button secondary" href={href(`/workflows/${enc(id)}/edit`)}>
          Edit definition
        </a>
        {w.status === 'active' ? (
          <button type="button" class="secondary" disabled={status.busy} onClick={() => void status.run('paused')}>
            Pause
          </button>
        ) : (
          <button type="button" class="secondary" disabled={status.busy} onClick={() => void status.run('active')}>
            Resume
          </button>
        )}
      </PageHeader>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="workflow-status">
            <Status value={w.status} />
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{versionLabel(w)}</dd>
        </div>
        <div>
          <dt>Dialect</dt>
          <dd>{w.dialect}</dd>
        </div>
        <div>
          <dt>Runs</dt>
          <dd>{w.metrics?.total_runs ?? '—'}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{percent(w.metrics?.success_rate)}</dd>
        </div>
        <div>
          <dt>Average duration</dt>
          <dd>{duration(w.metrics?.avg_duration_ms)}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd>
            <code>{w.id}</code>
          </dd>
        </div>
      </dl>
      {w.description && <p>{w.description}</p>}
      <ErrorNotice error={status.error} title="Could not change the status" />
      {shownUrl && (
        <OneTimeSecret name="Webhook trigger URL" value={shownUrl} onDone={() => ((createdOnce = undefined), setShownUrl(undefined))} />
      )}
      <div class="two-col">
        <section aria-labelledby="graph-heading">
          <h2 id="graph-heading">Graph</h2>
          <ErrorNotice error={ir.error} title="Could not draw the graph" />
          {graph ? <Dag nodes={graph.nodes} edges={graph.edges} label="Workflow graph" /> : !ir.error && <Loading what="graph" />}
        </section>
        <RunForm workflow={w} />
      </div>
      <Triggers workflow={w} onUrl={setShownUrl} />
      <Insight workflowId={id} />
      <RecentRuns workflowId={id} />
      <Versions workflowId={id} />
    </>
  );
}

function RunForm({ workflow }: { workflow: Workflow }) {
  const [input, setInput] = useState('{\n  "name": "Ada"\n}');
  const [problem, setProblem] = useState<string>();
  const run = useAction(async () => {
    let parsed: unknown;
    try {
      parsed = input.trim() ? JSON.parse(input) : {};
    } catch (e) {
      setProblem(`The input is not JSON: ${(e as Error).message}`);
      return;
    }
    setProblem(undefined);
    const started = await api.post<RunStarted>(`/workflows/${enc(workflow.id)}/run`, { input: parsed });
    navigate(`/executions/${enc(started.execution_id)}`);
  });
  return (
    <section aria-labelledby="run-heading" class="card">
      <h2 id="run-heading">Run</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run.run();
        }}
      >
        <label>
          Input (JSON)
          <textarea class="mono" rows={6} value={input} onInput={(e) => setInput(e.currentTarget.value)} spellcheck={false} />
        </label>
        {problem && (
          <p class="notice notice-error" role="alert">
            {problem}
          </p>
        )}
        <ErrorNotice error={run.error} title="Could not start the run" />
        <button type="submit" disabled={run.busy || workflow.status !== 'active'}>
          Run workflow
        </button>
        {workflow.status !== 'active' && <p class="muted small">Resume the workflow to run it.</p>}
      </form>
    </section>
  );
}

function RecentRuns({ workflowId }: { workflowId: string }) {
  const runs = useResource(() => api.get<Page<Execution>>('/executions', { workflow_id: workflowId, limit: 10 }), [workflowId]);
  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Recent runs</h2>
      <ResourceTable
        resource={runs}
        what="recent runs"
        empty="No runs yet."
        rowKey={(e) => e.id}
        columns={[
          {
            header: 'Execution',
            cell: (e) => (
              <a href={href(`/executions/${enc(e.id)}`)}>
                <code>{e.id}</code>
              </a>
            ),
          },
          { header: 'Status', cell: (e) => <Status value={e.status} /> },
          { header: 'Started', cell: (e) => dateTime(e.started_at ?? e.created_at) },
          { header: 'Duration', cell: (e) => duration(e.duration_ms) },
        ]}
      />
      <p>
        <a href={href('/executions', { workflow_id: workflowId })}>All runs of this workflow</a>
      </p>
    </section>
  );
}

interface Version {
  version: number;
  dialect: string;
  created_at: string;
  created_by: string;
  version_arn: string;
  asl: unknown;
}

function Versions({ workflowId }: { workflowId: string }) {
  const versions = useResource(() => api.get<Page<Version>>(`/workflows/${enc(workflowId)}/versions`), [workflowId]);
  const [open, setOpen] = useState<number>();
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <ResourceTable
        resource={versions}
        what="versions"
        empty="No versions yet."
        rowKey={(v) => v.version}
        columns={[
          { header: 'Version', cell: (v) => `v${v.version}` },
          { header: 'Published', cell: (v) => dateTime(v.created_at) },
          { header: 'By', cell: (v) => <code>{v.created_by}</code> },
          {
            header: 'State machine',
            cell: (v) => (
              <button type="button" class="link" aria-expanded={open === v.version} onClick={() => setOpen(open === v.version ? undefined : v.version)}>
                {open === v.version ? 'Hide' : 'Show'} ASL of v{v.version}
              </button>
            ),
          },
        ]}
      />
      {open !== undefined && versions.data && <Json label={`ASL of version ${open}`} value={versions.data.data.find((v) => v.version === open)?.asl} />}
    </section>
  );
}
