import * as z from 'zod';
import { EXECUTION_STATUSES, RUN_TASK_STATUSES } from '../core/executions/execution.ts';
import { ANALYTICS_METRICS, metricValues, PERIODS, type AnalyticsMetric, type WorkflowAnalytics } from '../core/insight/insight-service.ts';
import { BUCKET_MS } from '../core/insight/rollups.ts';
import type { AccountCounts } from '../core/insight/ports.ts';
import { TASK_STATUSES } from '../core/tasks/task.ts';

const count = z.number().int().min(0);
const counts = <K extends string>(names: readonly K[]) => Object.fromEntries(names.map((n) => [n, count])) as Record<K, typeof count>;

export const MetricsSchema = z
  .object({
    workflows: z
      .object({ total: count.meta({ description: 'Workflow definitions' }), running: count, completed: count, failed: count })
      .meta({ description: 'FlowCtl: `total` counts workflow definitions; running/completed/failed count executions (FlowCtl’s workflows are runs)' }),
    tasks: z
      .object({ total: count, ...counts(RUN_TASK_STATUSES) })
      .meta({ description: 'Workflow tasks: one per node per execution, by status in that run (total = the sum of the statuses)' }),
    workers: z
      .object({
        active: count.meta({ description: 'Task-runner calls executing now' }),
        idle: count.meta({ description: 'Task attempts holding their place in a run while they wait out a retry backoff (no call running)' }),
      })
      .meta({ description: 'Serverless: no standing worker pool; each runner call is a worker for its duration' }),
    executions: z.object({ ...counts(EXECUTION_STATUSES), total: count }),
    user_tasks: z.object({ total: count, ...counts(TASK_STATUSES) }).meta({ description: 'The account’s own tasks (the tasks API), by status' }),
  })
  .meta({ id: 'Metrics' });

export function metricsView(c: AccountCounts): z.output<typeof MetricsSchema> {
  return {
    workflows: { total: c.workflowsTotal, running: c.executions.running, completed: c.executions.completed, failed: c.executions.failed },
    tasks: { total: c.runTasksTotal, ...c.runTasks },
    workers: { active: c.workersActive, idle: c.workersIdle },
    executions: { ...c.executions, total: c.executionsTotal },
    user_tasks: { total: c.userTasksTotal, ...c.userTasks },
  };
}

const METRIC_LIST = ANALYTICS_METRICS.join(', ');

export const AnalyticsQuery = z.object({
  period: z.enum(PERIODS, { error: `period must be one of ${PERIODS.join(', ')}` }).meta({ description: 'Time window ending now' }),
  metrics: z
    .string()
    .max(200)
    .optional()
    .transform((value, ctx): AnalyticsMetric[] => {
      if (value === undefined) return [...ANALYTICS_METRICS];
      const names = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
      const unknown = names.filter((n) => !(ANALYTICS_METRICS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${unknown.length ? `Unknown metric ${unknown.map((u) => `'${u}'`).join(', ')}` : 'No metric named'}; available: ${METRIC_LIST}` });
        return z.NEVER;
      }
      return names as AnalyticsMetric[];
    })
    .meta({ description: `Comma-separated subset of ${METRIC_LIST} (default: all)` }),
});

const metricFields = {
  execution_count: count.optional().meta({ description: 'Executions that finished in the window, each counted once by its latest outcome' }),
  success_rate: z.number().nullable().optional().meta({ description: 'Completed as a percentage of those executions (null when none finished)' }),
  avg_duration: z.number().int().nullable().optional().meta({ description: 'Mean duration of the completed ones, milliseconds (null when none completed)' }),
  error_count: count.optional().meta({ description: 'Failures and time-outs as they happened, including runs later redriven' }),
  throughput: z.number().optional().meta({ description: 'Records processed per hour, as reported by tasks (`records_processed` in their output)' }),
};

export const WorkflowAnalyticsSchema = z
  .object({
    workflow_id: z.string(),
    period: z.enum(PERIODS),
    granularity: z.enum(['5m', '1h', '1d']).meta({ description: 'Timeseries bucket size: 5 minutes for 1h, hourly for 24h, daily for 7d and 30d' }),
    start_date: z.string().meta({ description: '`end_date - period`, rounded up to the next 5-minute (1h, 24h) or hour (7d, 30d) boundary' }),
    end_date: z.string(),
    metrics: z.object(metricFields),
    timeseries: z.array(z.object({ timestamp: z.string().meta({ description: 'Bucket start (UTC)' }), ...metricFields })).meta({ description: 'Every bucket of the window, oldest first, empty ones included' }),
  })
  .meta({ id: 'WorkflowAnalytics' });

function pick(values: Record<AnalyticsMetric, number | null>, wanted: readonly AnalyticsMetric[]) {
  return Object.fromEntries(wanted.map((m) => [m, values[m]]));
}

export function analyticsView(a: WorkflowAnalytics, wanted: readonly AnalyticsMetric[]): z.output<typeof WorkflowAnalyticsSchema> {
  const bucketHours = BUCKET_MS[a.granularity] / 3_600_000;
  // execution_count is always in each bucket, as in CloudFlow's example, so a rate can be read against it.
  const perBucket = wanted.includes('execution_count') ? wanted : (['execution_count', ...wanted] as AnalyticsMetric[]);
  return {
    workflow_id: a.workflowId,
    period: a.period,
    granularity: a.granularity,
    start_date: a.startDate,
    end_date: a.endDate,
    metrics: pick(metricValues(a.totals, a.hours), wanted),
    timeseries: a.series.map((p) => ({ timestamp: p.start, ...pick(metricValues(p.counts, bucketHours), perBucket) })),
  };
}
