import { beforeEach, describe, expect, it } from 'vitest';
import type { Execution } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { InsightService, metricValues } from '../../../../functions/core/insight/insight-service.ts';
import type { AccountCounts } from '../../../../functions/core/insight/ports.ts';
import { EMPTY_COUNTS, ExecutionRollupObserver } from '../../../../functions/core/insight/rollups.ts';
import type { Workflow } from '../../../../functions/core/workflows/workflow.ts';
import { executionAt, finishedAt } from '../../../support/execution-fixtures.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../../support/fakes.ts';
import { MemoryRollups } from '../../../support/memory-rollups.ts';

const me = principal();
const stranger = principal({ accountId: newId('account'), userId: newId('user') });
const NOW = '2026-03-01T10:37:12.000Z';
const T = (iso: string) => Date.parse(iso);

function workflow(accountId: string): Workflow {
  return {
    id: newId('workflow', T('2026-01-01T00:00:00Z')),
    accountId,
    name: 'wf',
    description: null,
    status: 'active',
    tags: [],
    dialect: 'flowctl',
    source: {},
    version: 1,
    revision: 1,
    machine: { stateMachineArn: 'arn:sm', versionArn: 'arn:sm:1', aliasArn: 'arn:sm:live' },
    nodes: [],
    createdBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('InsightService.workflowAnalytics', () => {
  let rollups: MemoryRollups;
  let observer: ExecutionRollupObserver;
  let workflows: MemoryWorkflows;
  let wf: Workflow;
  let service: InsightService;
  const counts: AccountCounts = {
    workflowsTotal: 0,
    executionsTotal: 0,
    executions: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, timed_out: 0 },
    runTasksTotal: 0,
    runTasks: { pending: 0, running: 0, retrying: 0, waiting: 0, completed: 0, failed: 0, cancelled: 0, skipped: 0 },
    workersActive: 0,
    workersIdle: 0,
    userTasksTotal: 0,
    userTasks: { pending: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 },
  };

  /** Drives the observer as the transitions would: running → terminal, finishing at `endIso`. */
  const finish = async (endIso: string, status: 'completed' | 'failed' | 'cancelled' | 'timed_out', durationMs: number, extra: Partial<Execution> = {}) => {
    const start = T(endIso) - durationMs;
    const running = { ...executionAt(me.accountId, wf.id, start), status: 'running' as const, startedAt: new Date(start).toISOString() };
    await observer.executionChanged(running, finishedAt(running, status, start, durationMs, extra));
  };

  beforeEach(async () => {
    rollups = new MemoryRollups();
    observer = new ExecutionRollupObserver(rollups);
    workflows = new MemoryWorkflows();
    wf = workflow(me.accountId);
    workflows.items.set(wf.id, wf);
    service = new InsightService({ read: async () => counts }, rollups, workflows, fixedClock(NOW));
  });

  it('1h: twelve 5-minute buckets from now-1h rounded up to 5 minutes, exact metrics', async () => {
    await finish('2026-03-01T09:36:00Z', 'completed', 1_000); // before the window (09:40): not counted
    await finish('2026-03-01T09:41:00Z', 'completed', 2_000, { records: { processed: 100, failed: 0 } });
    await finish('2026-03-01T09:44:59Z', 'failed', 500);
    await finish('2026-03-01T10:20:00Z', 'completed', 4_000, { records: { processed: 50, failed: 2 } });
    await finish('2026-03-01T10:36:00Z', 'cancelled', 300);

    const a = await service.workflowAnalytics(me, wf.id, '1h');
    expect(a).toMatchObject({ workflowId: wf.id, period: '1h', granularity: '5m', startDate: '2026-03-01T09:40:00.000Z', endDate: NOW });
    expect(a.series.map((p) => p.start)).toEqual(Array.from({ length: 12 }, (_, i) => new Date(T('2026-03-01T09:40:00Z') + i * 300_000).toISOString()));
    expect(a.series.map((p) => p.counts.executions)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
    expect(a.totals).toEqual({ ...EMPTY_COUNTS, executions: 4, completed: 2, failed: 1, cancelled: 1, errors: 1, completedDurationMs: 6_000, recordsProcessed: 150, recordsFailed: 2 });
    expect(a.hours).toBeCloseTo(57.2 / 60, 10);
    expect(metricValues(a.totals, a.hours)).toEqual({ execution_count: 4, success_rate: 50, avg_duration: 3_000, error_count: 1, throughput: Math.round((150 / (57.2 / 60)) * 100) / 100 });
  });

  it('24h: 25 hourly buckets; the partial first hour is summed from 5-minute buckets from start_date on', async () => {
    // now-24h = 2026-02-28T10:37:12 → counted from 10:40.
    await finish('2026-02-28T10:39:00Z', 'failed', 100); // in the first hour, but before start_date
    await finish('2026-02-28T10:41:00Z', 'completed', 1_000);
    await finish('2026-02-28T10:59:59Z', 'timed_out', 5_000);
    await finish('2026-02-28T11:00:00Z', 'completed', 3_000);
    await finish('2026-03-01T10:37:00Z', 'completed', 2_000);

    const a = await service.workflowAnalytics(me, wf.id, '24h');
    expect(a.startDate).toBe('2026-02-28T10:40:00.000Z');
    expect(a.granularity).toBe('1h');
    expect(a.series).toHaveLength(25);
    expect(a.series[0]).toEqual({ start: '2026-02-28T10:00:00.000Z', counts: { ...EMPTY_COUNTS, executions: 2, completed: 1, timedOut: 1, errors: 1, completedDurationMs: 1_000 } });
    expect(a.series[1]).toEqual({ start: '2026-02-28T11:00:00.000Z', counts: { ...EMPTY_COUNTS, executions: 1, completed: 1, completedDurationMs: 3_000 } });
    expect(a.series.at(-1)).toEqual({ start: '2026-03-01T10:00:00.000Z', counts: { ...EMPTY_COUNTS, executions: 1, completed: 1, completedDurationMs: 2_000 } });
    expect(metricValues(a.totals, a.hours)).toMatchObject({ execution_count: 4, success_rate: 75, avg_duration: 2_000, error_count: 1, throughput: 0 });
  });

  it('7d and 30d: daily buckets (8 and 31), the first day summed from hourly buckets', async () => {
    await finish('2026-02-22T10:30:00Z', 'completed', 1_000); // 7d starts 2026-02-22T11:00
    await finish('2026-02-22T11:30:00Z', 'completed', 1_000);
    await finish('2026-02-25T08:00:00Z', 'failed', 1_000);
    await finish('2026-01-30T12:00:00Z', 'completed', 9_000); // only in 30d (starts 2026-01-30T11:00)

    const week = await service.workflowAnalytics(me, wf.id, '7d');
    expect(week).toMatchObject({ granularity: '1d', startDate: '2026-02-22T11:00:00.000Z' });
    expect(week.series.map((p) => [p.start.slice(0, 10), p.counts.executions])).toEqual([
      ['2026-02-22', 1],
      ['2026-02-23', 0],
      ['2026-02-24', 0],
      ['2026-02-25', 1],
      ['2026-02-26', 0],
      ['2026-02-27', 0],
      ['2026-02-28', 0],
      ['2026-03-01', 0],
    ]);
    expect(metricValues(week.totals, week.hours)).toMatchObject({ execution_count: 2, success_rate: 50, avg_duration: 1_000, error_count: 1 });

    const month = await service.workflowAnalytics(me, wf.id, '30d');
    expect(month.startDate).toBe('2026-01-30T11:00:00.000Z');
    expect(month.series).toHaveLength(31);
    expect(month.series[0]).toMatchObject({ start: '2026-01-30T00:00:00.000Z', counts: { executions: 1, completedDurationMs: 9_000 } });
    expect(month.totals.executions).toBe(4);
    expect(month.hours).toBeCloseTo((T(NOW) - T('2026-01-30T11:00:00Z')) / 3_600_000, 10);
  });

  it('on a bucket boundary the window is exact: 1h at 10:00 is 09:00 … 10:00 (13 buckets, the last just begun)', async () => {
    service = new InsightService({ read: async () => counts }, rollups, workflows, fixedClock('2026-03-01T10:00:00.000Z'));
    const a = await service.workflowAnalytics(me, wf.id, '1h');
    expect(a.startDate).toBe('2026-03-01T09:00:00.000Z');
    expect(a.series).toHaveLength(13);
    expect(a.hours).toBe(1);
    expect(metricValues(a.totals, a.hours)).toEqual({ execution_count: 0, success_rate: null, avg_duration: null, error_count: 0, throughput: 0 });
  });

  it('another account’s workflow, an unknown one and a malformed id are all 404', async () => {
    await expect(service.workflowAnalytics(stranger, wf.id, '24h')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.workflowAnalytics(me, newId('workflow'), '24h')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.workflowAnalytics(me, 'wf_nope', '24h')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('metrics() reads the caller’s account counters', async () => {
    const asked: string[] = [];
    service = new InsightService({ read: async (accountId) => (asked.push(accountId), counts) }, rollups, workflows, fixedClock(NOW));
    expect(await service.metrics(me)).toBe(counts);
    expect(asked).toEqual([me.accountId]);
  });
});

describe('metricValues', () => {
  it('rounds success rate to two decimals, durations to whole ms, throughput per hour to two decimals', () => {
    expect(metricValues({ ...EMPTY_COUNTS, executions: 3, completed: 2, failed: 1, errors: 1, completedDurationMs: 1_001, recordsProcessed: 10 }, 3)).toEqual({
      execution_count: 3,
      success_rate: 66.67,
      avg_duration: 501,
      error_count: 1,
      throughput: 3.33,
    });
  });
});
