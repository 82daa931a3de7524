import type { Clock } from '../clock.ts';
import { notFound } from '../errors.ts';
import { isId } from '../ids.ts';
import type { Principal } from '../principal.ts';
import type { WorkflowRepository } from '../workflows/ports.ts';
import type { AccountCounts, AccountCountsReader, Granularity, RollupBucket, RollupCounts, RollupStore } from './ports.ts';
import { addCounts, BUCKET_MS, ceilTo, EMPTY_COUNTS, floorTo } from './rollups.ts';

export const PERIODS = ['1h', '24h', '7d', '30d'] as const;
export type Period = (typeof PERIODS)[number];

export const ANALYTICS_METRICS = ['execution_count', 'success_rate', 'avg_duration', 'error_count', 'throughput'] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

/**
 * Each period's timeseries granularity, and the finer one its first (partial) bucket is read at,
 * so the window starts at `now - period` rounded up to that finer boundary, not a whole bucket early.
 */
export const PERIOD_PLAN: Readonly<Record<Period, { ms: number; bucket: Granularity; edge: Granularity }>> = {
  '1h': { ms: 3_600_000, bucket: '5m', edge: '5m' },
  '24h': { ms: 86_400_000, bucket: '1h', edge: '5m' },
  '7d': { ms: 7 * 86_400_000, bucket: '1d', edge: '1h' },
  '30d': { ms: 30 * 86_400_000, bucket: '1d', edge: '1h' },
};

export interface SeriesPoint {
  readonly start: string;
  readonly counts: RollupCounts;
}

export interface WorkflowAnalytics {
  readonly workflowId: string;
  readonly period: Period;
  readonly granularity: Granularity;
  /** Where counting starts: `end - period`, rounded up to the edge granularity. */
  readonly startDate: string;
  readonly endDate: string;
  readonly totals: RollupCounts;
  /** Hours between startDate and endDate (for throughput). */
  readonly hours: number;
  /** Every bucket of the window, oldest first, empty ones included. */
  readonly series: readonly SeriesPoint[];
}

/** CloudFlow's metric values from summed counts; `null` where there is nothing to average. */
export function metricValues(counts: RollupCounts, hours: number): Record<AnalyticsMetric, number | null> {
  return {
    execution_count: counts.executions,
    success_rate: counts.executions === 0 ? null : Math.round((counts.completed / counts.executions) * 10_000) / 100,
    avg_duration: counts.completed === 0 ? null : Math.round(counts.completedDurationMs / counts.completed),
    error_count: counts.errors,
    throughput: hours <= 0 ? 0 : Math.round((counts.recordsProcessed / hours) * 100) / 100,
  };
}

/** `GET /metrics` (FlowCtl) and `GET /analytics/workflows/{id}` (CloudFlow): reads of maintained counters and rollups only. */
export class InsightService {
  constructor(
    private readonly counts: AccountCountsReader,
    private readonly rollups: Pick<RollupStore, 'read'>,
    private readonly workflows: Pick<WorkflowRepository, 'get'>,
    private readonly clock: Clock,
  ) {}

  metrics(principal: Principal): Promise<AccountCounts> {
    return this.counts.read(principal.accountId);
  }

  async workflowAnalytics(principal: Principal, workflowId: string, period: Period): Promise<WorkflowAnalytics> {
    const workflow = isId('workflow', workflowId) ? await this.workflows.get(principal.accountId, workflowId) : undefined;
    if (!workflow) throw notFound('Workflow', workflowId);
    const plan = PERIOD_PLAN[period];
    const end = this.clock.now().getTime();
    const first = ceilTo(end - plan.ms, plan.edge);
    const whole = ceilTo(first, plan.bucket);
    const last = floorTo(end, plan.bucket);
    const iso = (ms: number) => new Date(ms).toISOString();
    const [edge, buckets] = await Promise.all([
      first < whole ? this.rollups.read(principal.accountId, workflow.id, plan.edge, iso(first), iso(whole)) : Promise.resolve([]),
      this.rollups.read(principal.accountId, workflow.id, plan.bucket, iso(whole), iso(last + BUCKET_MS[plan.bucket])),
    ]);
    const series: SeriesPoint[] = [];
    // The partial first bucket is the sum of the finer buckets from `first` on, shown at its own bucket's start.
    if (first < whole) series.push({ start: iso(whole - BUCKET_MS[plan.bucket]), counts: sum(edge) });
    const byStart = new Map(buckets.map((b) => [Date.parse(b.start), b]));
    for (let t = whole; t <= last; t += BUCKET_MS[plan.bucket]) series.push({ start: iso(t), counts: sum(byStart.has(t) ? [byStart.get(t)!] : []) });
    return {
      workflowId: workflow.id,
      period,
      granularity: plan.bucket,
      startDate: iso(first),
      endDate: iso(end),
      totals: series.reduce((acc, p) => addCounts(acc, p.counts), EMPTY_COUNTS),
      hours: (end - first) / 3_600_000,
      series,
    };
  }
}

function sum(buckets: readonly RollupBucket[]): RollupCounts {
  return buckets.reduce<RollupCounts>((acc, { start: _start, ...counts }) => addCounts(acc, counts), EMPTY_COUNTS);
}
