import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Dag } from '../components/dag.tsx';
import { Timeline } from '../components/timeline.tsx';
import { ErrorNotice, Json, Loading, PageHeader, Pager, Scroll, Status } from '../components/ui.tsx';
import { api, enc } from '../lib/api.ts';
import { LOG_LEVELS, type Approval, type Execution, type LiveMessage, type LogLine, type Page, type RunTask } from '../lib/api-types.ts';
import { dateTime, duration, time } from '../lib/format.ts';
import { graphOfRun, orderTasks } from '../lib/graph.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { watchExecution, type LiveState } from '../lib/live.ts';
import { href } from '../lib/router.ts';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);
const REDRIVABLE = new Set(['failed', 'timed_out', 'cancelled']);

/**
 * One execution, live: the graph coloured by each node's status, a timeline, per-node output,
 * error and retries, the log, and the run's actions. State comes from GET /executions/{id}; the
 * WebSocket's messages update it at once and each one also triggers a (coalesced) re-read, so
 * timings always end up as the server recorded them.
 */
export function ExecutionPage({ id }: { id: string }) {
  const execution = useResource(() => api.get<Execution>(`/executions/${enc(id)}`), [id]);
  const [live, setLive] = useState<LiveState>('connecting');
  const [watch, setWatch] = useState(0);
  const [selected, setSelected] = useState<string>();
  const [liveLines, setLiveLines] = useState<LogLine[]>([]);
  const current = useRef(execution.data);
  current.current = execution.data;
  const refetch = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const reread = () => {
      clearTimeout(refetch.current);
      refetch.current = setTimeout(() => void execution.reload(), 150);
    };
    let stop: (() => void) | undefined = watchExecution(
      id,
      (message) => {
        const now = current.current;
        if (now) execution.setData(applyMessage(now, message));
        if (message.type === 'log') setLiveLines((lines) => [...lines, lineOf(message)]);
        reread();
        if (message.type === 'execution_completed' || message.type === 'execution_failed') {
          stop?.();
          stop = undefined;
        }
      },
      setLive,
    );
    return () => {
      clearTimeout(refetch.current);
      stop?.();
    };
  }, [id, watch]);

  const cancel = useAction(async () => {
    await api.delete(`/executions/${enc(id)}`);
    await execution.reload();
  });
  const retry = useAction(async () => {
    execution.setData(await api.post<Execution>(`/executions/${enc(id)}/retry`));
    setLiveLines([]);
    setWatch((w) => w + 1);
  });

  if (execution.error && !execution.data) return <ErrorNotice error={execution.error} title="Could not load the execution" />;
  if (!execution.data) return <Loading what="execution" />;
  const e = execution.data;
  const tasks = orderTasks(e.tasks ?? []);
  const graph = graphOfRun(tasks);
  const node = tasks.find((t) => t.node_id === selected);
  const running = !FINAL.has(e.status);

  return (
    <>
      <PageHeader title={`Run of ${e.workflow_name}`}>
        <ExecutionActions>
          {running && (
            <button type="button" class="danger" disabled={cancel.busy} onClick={() => void cancel.run()}>
              Cancel run
            </button>
          )}
          {REDRIVABLE.has(e.status) && (
            <button type="button" disabled={retry.busy} onClick={() => void retry.run()}>
              Retry from failure
            </button>
          )}
        </ExecutionActions>
      </PageHeader>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="execution-status">
            <Status value={e.status} />
          </dd>
        </div>
        <div>
          <dt>Live</dt>
          <dd data-testid="live-state">
            <span class={`live live-${live}`}>{running ? live : 'finished'}</span>
          </dd>
        </div>
        <div>
          <dt>Workflow</dt>
          <dd>
            <a href={href(`/workflows/${enc(e.workflow_id)}`)}>{e.workflow_name}</a> v{e.version}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{dateTime(e.started_at ?? e.created_at)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration(e.duration_ms)}</dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>{e.trigger}</dd>
        </div>
        <div>
          <dt>Redrives</dt>
          <dd>{e.redrive_count}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd>
            <code>{e.id}</code>
          </dd>
        </div>
      </dl>
      {running && <Approvals executionId={id} waiting={e.waiting_nodes ?? []} onDecided={() => void execution.reload()} />}
      <ErrorNotice error={cancel.error} title="Could not cancel" />
      <ErrorNotice error={retry.error} title="Could not retry" />
      <ErrorNotice error={execution.error} title="Could not refresh the execution" />
      {e.error && (
        <div class="notice notice-error" data-testid="execution-error">
          <strong>{e.failed_node ? `Node ${e.failed_node} failed: ` : 'Failed: '}</strong>
          <span>{e.error}</span>
        </div>
      )}
      <div class="two-col">
        <section aria-labelledby="graph-heading">
          <h2 id="graph-heading">Graph</h2>
          <Legend />
          <Dag nodes={graph.nodes} edges={graph.edges} selected={selected} onSelect={(nodeId) => setSelected(nodeId === selected ? undefined : nodeId)} label="Execution graph by node status" />
        </section>
        <section aria-labelledby="node-heading" class="card">
          <h2 id="node-heading">{node ? `Node ${node.node_id}` : 'Node'}</h2>
          {node ? <NodeDetails task={node} /> : <p class="muted">Choose a node in the graph or the timeline to see its output, error and retries.</p>}
        </section>
      </div>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline execution={e} tasks={tasks} onSelect={setSelected} />
      </section>
      <div class="two-col">
        <section aria-labelledby="input-heading">
          <h2 id="input-heading">Input</h2>
          <Json label="Execution input" value={e.input ?? null} />
        </section>
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">Result</h2>
          <Json label="Execution result" value={e.result ?? null} />
        </section>
      </div>
      <Log executionId={id} liveLines={liveLines} finished={!running} generation={watch} />
    </>
  );
}

/**
 * The running run's pending approvals (GET /approvals?execution_id=…), each with Approve and Reject.
 * A node starting to wait is no live message, so the list is re-read every few seconds while the run
 * runs. The API decides who may: a refusal (403) or a decision made first elsewhere (409) shows as an error.
 */
function Approvals({ executionId, waiting, onDecided }: { executionId: string; waiting: readonly string[]; onDecided: () => void }) {
  const list = useResource(() => api.get<{ approvals: Approval[] }>(`/approvals?execution_id=${enc(executionId)}`), [executionId, waiting.join(',')]);
  useEffect(() => {
    const timer = setInterval(() => void list.reload(), 3_000);
    return () => clearInterval(timer);
  }, [executionId]);
  const [comment, setComment] = useState('');
  const decide = useAction(async (nodeId: string, decision: 'approve' | 'reject') => {
    await api.post(`/executions/${enc(executionId)}/approvals/${enc(nodeId)}`, { decision, ...(comment ? { comment } : {}) });
    setComment('');
    await list.reload();
    onDecided();
  });
  const approvals = list.data?.approvals ?? [];
  if (!approvals.length && !list.error && !decide.error) return null;
  return (
    <section aria-labelledby="approvals-heading" class="card" data-testid="approvals">
      <h2 id="approvals-heading">Waiting for approval</h2>
      <ErrorNotice error={list.error} title="Could not load the approvals" />
      <ErrorNotice error={decide.error} title="Could not record the decision" />
      {approvals.map((a) => (
        <div key={a.node_id} class="approval" data-testid={`approval-${a.node_id}`}>
          <p>
            <strong>{a.node_id}</strong>
            {a.message ? `: ${a.message}` : ''}
          </p>
          <p class="muted">
            {a.approvers.length ? `Approvers: ${a.approvers.join(', ')}` : 'Any member who may edit workflows may decide.'}
            {a.expires_at ? ` Times out ${dateTime(a.expires_at)}.` : ''}
          </p>
          <div class="row" role="group" aria-label={`Decide ${a.node_id}`}>
            <label>
              Comment <input type="text" maxLength={2000} value={comment} onInput={(ev) => setComment((ev.target as HTMLInputElement).value)} />
            </label>
            <button type="button" disabled={decide.busy} onClick={() => void decide.run(a.node_id, 'approve')}>
              Approve
            </button>
            <button type="button" class="danger" disabled={decide.busy} onClick={() => void decide.run(a.node_id, 'reject')}>
              Reject
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}

/** The run's buttons: cancel and retry (approvals are decided in their own section). */
function ExecutionActions({ children }: { children: ComponentChildren }) {
  return (
    <div class="row" role="group" aria-label="Run actions" data-testid="run-actions">
      {children}
    </div>
  );
}

function Legend() {
  return (
    <ul class="legend" aria-label="Status colours">
      {['pending', 'running', 'retrying', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'].map((s) => (
        <li key={s}>
          <span class={`swatch node-${s}`} aria-hidden="true" /> {s}
        </li>
      ))}
    </ul>
  );
}

function NodeDetails({ task }: { task: RunTask }) {
  return (
    <div data-testid="node-details">
      <dl class="facts compact">
        <div>
          <dt>Status</dt>
          <dd>
            <Status value={task.status} />
          </dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{task.type}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd data-testid="node-retries">
            {task.retry_count} of {task.max_retries}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{time(task.started_at)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{time(task.completed_at)}</dd>
        </div>
      </dl>
      {task.error && (
        <>
          <h3>Error</h3>
          <pre class="json error-text" data-testid="node-error">
            {task.error}
          </pre>
        </>
      )}
      <h3>Output</h3>
      {task.result_truncated && <p class="muted small">The output is larger than the API returns inline; this is its beginning.</p>}
      <Json label={`Output of ${task.node_id}`} value={task.result ?? null} />
      <h3>Parameters</h3>
      <Json label={`Parameters of ${task.node_id}`} value={task.payload} />
    </div>
  );
}

function Log({ executionId, liveLines, finished, generation }: { executionId: string; liveLines: LogLine[]; finished: boolean; generation: number }) {
  const [level, setLevel] = useState('');
  const [offset, setOffset] = useState(0);
  const lines = useResource(() => api.get<Page<LogLine>>(`/executions/${enc(executionId)}/logs`, { level, limit: 100, offset }), [executionId, level, offset, finished, generation]);
  const shown = useMemo(() => {
    const seen = new Set<string>();
    // Live lines extend the last page only: earlier pages are as stored.
    const all = [...(lines.data?.data ?? []), ...(lines.data?.pagination.has_more ? [] : liveLines.filter((l) => !level || l.level === level))];
    return all.filter((l) => {
      const key = l.id || `${l.timestamp}|${l.message}|${l.node_id}`;
      if (seen.has(key) || seen.has(`${l.timestamp}|${l.message}|${l.node_id}`)) return false;
      seen.add(key);
      seen.add(`${l.timestamp}|${l.message}|${l.node_id}`);
      return true;
    });
  }, [lines.data, liveLines, level]);
  return (
    <section aria-labelledby="log-heading">
      <div class="row between">
        <h2 id="log-heading">Log</h2>
        <label class="inline">
          Level
          <select
            value={level}
            onChange={(e) => {
              setLevel(e.currentTarget.value);
              setOffset(0);
            }}
            data-testid="log-level"
          >
            <option value="">all</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={lines.error} title="Could not read the log" />
      <Scroll label="Log lines">
        <table class="log" data-testid="log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Node</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr key={l.id || `${l.timestamp}${l.message}`} class={`level-${l.level}`}>
                <td class="nowrap">{time(l.timestamp)}</td>
                <td>
                  <span class={`badge level-${l.level}`}>{l.level}</span>
                </td>
                <td>{l.node_id ?? ''}</td>
                <td>
                  {l.message}
                  {l.data && <code class="small data"> {JSON.stringify(l.data)}</code>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {shown.length === 0 && !lines.loading && <p class="empty">No log lines{level ? ` at level ${level}` : ''}.</p>}
      {lines.data && lines.data.pagination.total > lines.data.pagination.limit && <Pager what="Log" pagination={lines.data.pagination} offset={offset} onOffset={setOffset} />}
    </section>
  );
}

function lineOf(m: Extract<LiveMessage, { type: 'log' }>): LogLine {
  return { id: '', timestamp: m.timestamp, level: m.level as LogLine['level'], message: m.message, node_id: m.node_id, node_type: m.node_type, data: m.data };
}

/** The execution as a live message changes it, before the re-read confirms it. */
export function applyMessage(e: Execution, m: LiveMessage): Execution {
  const withTask = (nodeId: string | null, change: (t: RunTask) => RunTask): Execution =>
    nodeId ? { ...e, tasks: (e.tasks ?? []).map((t) => (t.node_id === nodeId ? change(t) : t)) } : e;
  switch (m.type) {
    case 'execution_update':
      if (!m.node_id) return { ...e, status: m.status as Execution['status'] };
      return withTask(m.node_id, (t) => ({
        ...t,
        status: m.status as RunTask['status'],
        started_at: t.started_at ?? (m.status === 'running' ? m.timestamp : t.started_at),
        retry_count: m.status === 'retrying' ? t.retry_count + 1 : t.retry_count,
      }));
    case 'node_completed':
      return withTask(m.node_id, (t) => ({ ...t, status: 'completed', result: m.result, completed_at: m.timestamp }));
    case 'execution_completed':
      return { ...e, status: 'completed', result: m.result, completed_at: m.timestamp };
    case 'execution_failed':
      return { ...e, status: m.status as Execution['status'], error: m.error, failed_node: m.node_id, completed_at: m.timestamp };
    case 'log':
      return e;
  }
}

