import { useState } from 'preact/hooks';
import { api, enc } from '../lib/api.ts';
import { PERIODS, type Analytics } from '../lib/api-types.ts';
import { duration, percent } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import { lazyComponent } from './lazy.tsx';
import { ErrorNotice, Loading } from './ui.tsx';

const Chart = lazyComponent(() => import('./chart.tsx'), 'chart');

/** Workflow insight: GET /analytics/workflows/{id} over 1h, 24h, 7d or 30d, as numbers and charts. */
export default function Insight({ workflowId }: { workflowId: string }) {
  const [period, setPeriod] = useState<Analytics['period']>('24h');
  const data = useResource(() => api.get<Analytics>(`/analytics/workflows/${enc(workflowId)}`, { period }), [workflowId, period]);
  const a = data.data;
  const times = a?.timeseries.map((p) => Date.parse(p.timestamp) / 1000) ?? [];
  return (
    <section aria-labelledby="insight-heading">
      <div class="row between">
        <h2 id="insight-heading">Insight</h2>
        <div class="row" role="group" aria-label="Period">
          {PERIODS.map((p) => (
            <button key={p} type="button" class="secondary" aria-pressed={period === p} onClick={() => setPeriod(p)}>
              {p}
            </button>
          ))}
        </div>
      </div>
      <ErrorNotice error={data.error} title="Could not load insight" />
      {!a && !data.error && <Loading what="insight" />}
      {a && (
        <>
          <dl class="facts" data-testid="insight">
            <div>
              <dt>Executions</dt>
              <dd>{a.metrics.execution_count ?? 0}</dd>
            </div>
            <div>
              <dt>Success rate</dt>
              <dd>{percent(a.metrics.success_rate)}</dd>
            </div>
            <div>
              <dt>Average duration</dt>
              <dd>{duration(a.metrics.avg_duration)}</dd>
            </div>
            <div>
              <dt>Errors</dt>
              <dd>{a.metrics.error_count ?? 0}</dd>
            </div>
          </dl>
          <div class="charts">
            <Chart title={`Executions per ${a.granularity}`} kind="bars" unit="" times={times} values={a.timeseries.map((p) => p.execution_count ?? 0)} />
            <Chart title="Success rate" kind="line" unit="%" times={times} values={a.timeseries.map((p) => p.success_rate ?? null)} />
            <Chart title="Average duration" kind="line" unit=" ms" times={times} values={a.timeseries.map((p) => p.avg_duration ?? null)} />
          </div>
        </>
      )}
    </section>
  );
}
