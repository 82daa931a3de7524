import { useState } from 'preact/hooks';
import type { PageProps } from '../app.tsx';
import { Choice, ErrorNotice, FilterInput, PageHeader, Status } from '../components/ui.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import { api, enc } from '../lib/api.ts';
import { TASK_PRIORITIES, TASK_STATUSES, type Page, type Task } from '../lib/api-types.ts';
import { dateTime } from '../lib/format.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { replaceQuery } from '../lib/router.ts';

const FILTERS = ['status', 'priority', 'tag', 'due_before'] as const;

/** Tasks: GET /tasks with its filters and paging; create, edit, complete and delete. */
export default function TasksPage({ route }: PageProps) {
  const q = route.query;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const offset = Number(q.get('offset') ?? 0) || 0;
  const list = useResource(() => api.get<Page<Task>>('/tasks', { ...filters, due_before: toIso(filters.due_before), limit: 20, offset }), [q.toString()]);
  const [editing, setEditing] = useState<Task | 'new' | undefined>();
  const setFilter = (name: string, value: string) => replaceQuery({ ...filters, [name]: value, offset: undefined });
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    await list.reload();
  });

  return (
    <>
      <PageHeader title="Tasks">
        <button type="button" onClick={() => setEditing('new')}>
          New task
        </button>
      </PageHeader>
      <form class="filters" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <Choice any value={filters.status} options={TASK_STATUSES} onChange={(v) => setFilter('status', v)} />
        </label>
        <label>
          Priority
          <Choice any value={filters.priority} options={TASK_PRIORITIES} onChange={(v) => setFilter('priority', v)} />
        </label>
        <label>
          Tag
          <FilterInput value={filters.tag} onApply={(v) => setFilter('tag', v)} />
        </label>
        <label>
          Due before
          <input type="date" value={filters.due_before} onChange={(e) => setFilter('due_before', e.currentTarget.value)} />
        </label>
      </form>
      {editing && (
        <TaskForm
          task={editing === 'new' ? undefined : editing}
          onDone={(changed) => {
            setEditing(undefined);
            if (changed) void list.reload();
          }}
        />
      )}
      <ErrorNotice error={act.error} />
      <ResourceTable
        resource={list}
        what="tasks"
        empty="No tasks match."
        rowKey={(t) => t.id}
        paging={{ offset, onOffset: (o) => replaceQuery({ ...filters, offset: o || undefined }) }}
        columns={[
          {
            header: 'Name',
            cell: (t) => (
              <>
                <span class="strong">{t.name}</span>
                {t.description && <div class="muted small">{t.description}</div>}
              </>
            ),
          },
          { header: 'Status', cell: (t) => <Status value={t.status} /> },
          { header: 'Priority', cell: (t) => t.priority },
          { header: 'Due', cell: (t) => dateTime(t.due_date) },
          { header: 'Tags', cell: (t) => t.tags.join(', ') },
          {
            header: 'Actions',
            actions: true,
            cell: (t) => (
              <>
                {t.status !== 'completed' && (
                  <button type="button" class="secondary" disabled={act.busy} onClick={() => void act.run(() => api.patch(`/tasks/${enc(t.id)}`, { status: 'completed', version: t.version }))}>
                    Complete<span class="sr-only"> {t.name}</span>
                  </button>
                )}
                <button type="button" class="secondary" onClick={() => setEditing(t)}>
                  Edit<span class="sr-only"> {t.name}</span>
                </button>
                <button type="button" class="danger" disabled={act.busy} onClick={() => confirm(`Delete task “${t.name}”?`) && void act.run(() => api.delete(`/tasks/${enc(t.id)}`))}>
                  Delete<span class="sr-only"> {t.name}</span>
                </button>
              </>
            ),
          },
        ]}
      />
    </>
  );
}

/** A date input's `YYYY-MM-DD` as the end of that day (the API takes ISO dates or date-times). */
function toIso(date: string): string | undefined {
  return date ? `${date}T23:59:59Z` : undefined;
}

function TaskForm({ task, onDone }: { task: Task | undefined; onDone: (changed: boolean) => void }) {
  const [name, setName] = useState(task?.name ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [status, setStatus] = useState<string>(task?.status ?? 'pending');
  const [priority, setPriority] = useState<string>(task?.priority ?? 'medium');
  const [due, setDue] = useState(task?.due_date ? task.due_date.slice(0, 10) : '');
  const [tags, setTags] = useState(task?.tags.join(', ') ?? '');
  const save = useAction(async () => {
    const body = {
      name,
      description: description || null,
      status,
      priority,
      due_date: due ? `${due}T23:59:59Z` : null,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    };
    if (task) await api.patch(`/tasks/${enc(task.id)}`, { ...body, version: task.version });
    else await api.post('/tasks', body);
    onDone(true);
  });
  return (
    <form
      class="card form-grid"
      aria-label={task ? `Edit task ${task.name}` : 'New task'}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h2>{task ? 'Edit task' : 'New task'}</h2>
      <label>
        Name
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Description
        <textarea rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <label>
        Status
        <Choice value={status} options={TASK_STATUSES} onChange={setStatus} />
      </label>
      <label>
        Priority
        <Choice value={priority} options={TASK_PRIORITIES} onChange={setPriority} />
      </label>
      <label>
        Due date
        <input type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
      </label>
      <label>
        Tags (comma-separated)
        <input value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
      </label>
      <ErrorNotice error={save.error} title="Could not save the task" />
      <div class="row">
        <button type="submit" disabled={save.busy}>
          {task ? 'Save task' : 'Create task'}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
