import type { PageProps } from '../app.tsx';
import { Choice, FilterInput, PageHeader, Status } from '../components/ui.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import { api, enc } from '../lib/api.ts';
import { EXECUTION_STATUSES, type Execution, type Page } from '../lib/api-types.ts';
import { dateTime, duration } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import { href, replaceQuery } from '../lib/router.ts';
import { ExecutionPage } from './execution.tsx';

const FILTERS = ['workflow_id', 'status', 'start_date', 'end_date'] as const;

export default function ExecutionsPage({ route }: PageProps) {
  const id = route.segments[1];
  if (id) return <ExecutionPage id={id} />;
  return <ExecutionList route={route} />;
}

/** GET /executions, newest first, filtered by workflow, status and dates. */
function ExecutionList({ route }: PageProps) {
  const q = route.query;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const offset = Number(q.get('offset') ?? 0) || 0;
  const list = useResource(
    () =>
      api.get<Page<Execution>>('/executions', {
        ...filters,
        start_date: filters.start_date ? `${filters.start_date}T00:00:00Z` : undefined,
        end_date: filters.end_date ? `${filters.end_date}T23:59:59Z` : undefined,
        limit: 20,
        offset,
      }),
    [q.toString()],
  );
  const setFilter = (name: string, value: string) => replaceQuery({ ...filters, [name]: value, offset: undefined });
  return (
    <>
      <PageHeader title="Executions">
        <button type="button" class="secondary" onClick={() => void list.reload()}>
          Refresh
        </button>
      </PageHeader>
      <form class="filters" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Workflow id
          <FilterInput value={filters.workflow_id} placeholder="wf_…" onApply={(v) => setFilter('workflow_id', v)} />
        </label>
        <label>
          Status
          <Choice any value={filters.status} options={EXECUTION_STATUSES} onChange={(v) => setFilter('status', v)} />
        </label>
        <label>
          From
          <input type="date" value={filters.start_date} onChange={(e) => setFilter('start_date', e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={filters.end_date} onChange={(e) => setFilter('end_date', e.currentTarget.value)} />
        </label>
      </form>
      <ResourceTable
        resource={list}
        what="executions"
        empty="No executions match."
        rowKey={(e) => e.id}
        paging={{ offset, onOffset: (o) => replaceQuery({ ...filters, offset: o || undefined }) }}
        columns={[
          {
            header: 'Execution',
            cell: (e) => (
              <a href={href(`/executions/${enc(e.id)}`)}>
                <code>{e.id}</code>
              </a>
            ),
          },
          {
            header: 'Workflow',
            cell: (e) => (
              <>
                <a href={href(`/workflows/${enc(e.workflow_id)}`)}>{e.workflow_name}</a> <span class="muted">v{e.version}</span>
              </>
            ),
          },
          { header: 'Status', cell: (e) => <Status value={e.status} /> },
          { header: 'Trigger', cell: (e) => e.trigger },
          { header: 'Started', cell: (e) => dateTime(e.started_at ?? e.created_at) },
          { header: 'Duration', cell: (e) => duration(e.duration_ms) },
        ]}
      />
    </>
  );
}
