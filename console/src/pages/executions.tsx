import type { PageProps } from '../app.tsx';
import { Empty, ErrorNotice, FilterInput, Loading, PageHeader, Pager, Scroll, Status } from '../components/ui.tsx';
import { api, enc } from '../lib/api.ts';
import { EXECUTION_STATUSES, type Execution, type Page } from '../lib/api-types.ts';
import { dateTime, duration, label } from '../lib/format.ts';
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
          <select value={filters.status} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">any</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
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
      <ErrorNotice error={list.error} title="Could not list executions" />
      {list.loading && !list.data && <Loading what="executions" />}
      {list.data?.data.length === 0 && <Empty>No executions match.</Empty>}
      {list.data && list.data.data.length > 0 && (
        <>
          <Scroll label="Executions table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Execution</th>
                  <th scope="col">Workflow</th>
                  <th scope="col">Status</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Started</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <a href={href(`/executions/${enc(e.id)}`)}>
                        <code>{e.id}</code>
                      </a>
                    </td>
                    <td>
                      <a href={href(`/workflows/${enc(e.workflow_id)}`)}>{e.workflow_name}</a> <span class="muted">v{e.version}</span>
                    </td>
                    <td>
                      <Status value={e.status} />
                    </td>
                    <td>{e.trigger}</td>
                    <td>{dateTime(e.started_at ?? e.created_at)}</td>
                    <td>{duration(e.duration_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          <Pager what="Executions" pagination={list.data.pagination} offset={offset} onOffset={(o) => replaceQuery({ ...filters, offset: o || undefined })} />
        </>
      )}
    </>
  );
}
