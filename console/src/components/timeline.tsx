import { useEffect, useState } from 'preact/hooks';
import type { Execution, RunTask } from '../lib/api-types.ts';
import { duration, label } from '../lib/format.ts';
import { Scroll } from './ui.tsx';

interface Bar {
  task: RunTask;
  start: number;
  end: number;
  /** The start was not recorded (states the engine runs itself, such as wait or pass): it is when the node's dependencies had finished. */
  inferred: boolean;
  open: boolean;
}

/**
 * One bar per node from its start to its end, on the run's own clock, so waiting and parallel
 * branches show. Durations are written out as text next to each bar.
 */
export function Timeline({ execution, tasks, onSelect }: { execution: Execution; tasks: RunTask[]; onSelect: (nodeId: string) => void }) {
  const running = !execution.completed_at;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const origin = Date.parse(execution.started_at ?? execution.created_at);
  const finish = execution.completed_at ? Date.parse(execution.completed_at) : now;
  const ended = new Map<string, number>();
  for (const t of tasks) if (t.completed_at) ended.set(t.node_id, Date.parse(t.completed_at));
  const bars: Bar[] = tasks.flatMap((task) => {
    const recorded = task.started_at ? Date.parse(task.started_at) : undefined;
    const depsEnd = task.dependencies.map((d) => ended.get(d)).filter((x): x is number => x !== undefined);
    const endAt = task.completed_at ? Date.parse(task.completed_at) : task.status === 'running' || task.status === 'retrying' ? finish : undefined;
    if (endAt === undefined && recorded === undefined) return [];
    const start = recorded ?? (depsEnd.length ? Math.max(...depsEnd) : origin);
    return [{ task, start, end: Math.max(endAt ?? finish, start), inferred: recorded === undefined, open: !task.completed_at }];
  });
  const span = Math.max(finish - origin, 1);
  if (bars.length === 0) return <p class="empty">No node has started yet.</p>;
  return (
    <Scroll label="Timeline">
      <table class="timeline" data-testid="timeline">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col" class="track-head">
              0 – {duration(span)}
            </th>
            <th scope="col">Took</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.task.node_id}>
              <th scope="row">
                <button type="button" class="link" onClick={() => onSelect(b.task.node_id)}>
                  {b.task.node_id}
                </button>
              </th>
              <td class="track">
                <span
                  class={`bar node-${b.task.status}${b.inferred ? ' inferred' : ''}${b.open ? ' open' : ''}`}
                  style={{ left: `${(((b.start - origin) / span) * 100).toFixed(2)}%`, width: `${Math.max(((b.end - b.start) / span) * 100, 0.6).toFixed(2)}%` }}
                  title={`${b.task.node_id}: ${label(b.task.status)}, from +${duration(b.start - origin)} to +${duration(b.end - origin)}`}
                />
              </td>
              <td class="nowrap">
                {duration(b.end - b.start)}
                {b.open ? ' so far' : ''}
                <span class="sr-only">
                  , {label(b.task.status)}, starting {duration(b.start - origin)} into the run
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
