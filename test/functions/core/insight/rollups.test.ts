import { describe, expect, it } from 'vitest';
import { newId } from '../../../../functions/core/ids.ts';
import { ceilTo, contribution, countedAt, EMPTY_COUNTS, ExecutionRollupObserver, floorTo, RETENTION_MS, rollupWrites } from '../../../../functions/core/insight/rollups.ts';
import { executionAt, finishedAt } from '../../../support/execution-fixtures.ts';
import { MemoryRollups } from '../../../support/memory-rollups.ts';

const A = newId('account');
const W = newId('workflow');
const T = (iso: string) => Date.parse(iso);

describe('bucket math', () => {
  it('aligns 5-minute, hourly and daily buckets to UTC boundaries', () => {
    const at = T('2026-03-01T10:37:12.345Z');
    expect(new Date(floorTo(at, '5m')).toISOString()).toBe('2026-03-01T10:35:00.000Z');
    expect(new Date(floorTo(at, '1h')).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(new Date(floorTo(at, '1d')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(ceilTo(at, '5m')).toISOString()).toBe('2026-03-01T10:40:00.000Z');
    expect(new Date(ceilTo(at, '1h')).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    // A boundary is its own floor and ceiling.
    expect(floorTo(T('2026-03-01T10:35:00.000Z'), '5m')).toBe(T('2026-03-01T10:35:00.000Z'));
    expect(ceilTo(T('2026-03-01T10:35:00.000Z'), '5m')).toBe(T('2026-03-01T10:35:00.000Z'));
  });

  it('writes each finished execution into one bucket per granularity, keyed by completion time, with its TTL', () => {
    const e = finishedAt(executionAt(A, W, T('2026-03-01T23:58:00Z')), 'completed', T('2026-03-01T23:58:30Z'), 120_000);
    // Finished at 00:00:30 the next day: the buckets follow completion, not start.
    expect(countedAt(e)).toBe(T('2026-03-02T00:00:30Z'));
    const writes = rollupWrites(e, 1);
    expect(writes.map((w) => [w.granularity, w.bucket, w.expiresAt, w.onlyIfPresent])).toEqual([
      ['5m', '2026-03-02T00:00:00.000Z', T('2026-03-04T00:00:00Z') / 1000, false],
      ['1h', '2026-03-02T00:00:00.000Z', T('2026-04-06T00:00:00Z') / 1000, false],
      ['1d', '2026-03-02T00:00:00.000Z', (T('2026-03-02T00:00:00Z') + RETENTION_MS['1d']) / 1000, false],
    ]);
    expect(RETENTION_MS).toEqual({ '5m': 2 * 86_400_000, '1h': 35 * 86_400_000, '1d': 400 * 86_400_000 });
    expect(writes.every((w) => w.accountId === A && w.workflowId === W)).toBe(true);
    expect(rollupWrites(e, -1).every((w) => w.onlyIfPresent)).toBe(true);
  });

  it('counts an outcome, its duration only when completed, records, and errors only when added', () => {
    const base = executionAt(A, W, T('2026-03-01T10:00:00Z'));
    const records = { processed: 120, failed: 3 };
    expect(contribution(finishedAt(base, 'completed', T('2026-03-01T10:00:00Z'), 2_500, { records }), 1)).toEqual({
      executions: 1,
      completed: 1,
      completedDurationMs: 2_500,
      recordsProcessed: 120,
      recordsFailed: 3,
    });
    expect(contribution(finishedAt(base, 'failed', T('2026-03-01T10:00:00Z'), 900), 1)).toEqual({ executions: 1, failed: 1, errors: 1 });
    expect(contribution(finishedAt(base, 'timed_out', T('2026-03-01T10:00:00Z'), 900), 1)).toEqual({ executions: 1, timedOut: 1, errors: 1 });
    expect(contribution(finishedAt(base, 'cancelled', T('2026-03-01T10:00:00Z'), 900), 1)).toEqual({ executions: 1, cancelled: 1 });
    // Taking a failure back leaves its error counted: it happened.
    expect(contribution(finishedAt(base, 'failed', T('2026-03-01T10:00:00Z'), 900, { records }), -1)).toEqual({ executions: -1, failed: -1, recordsProcessed: -120, recordsFailed: -3 });
  });

  it('falls back to the start (or creation) time when a terminal record has no completion time', () => {
    const e = { ...executionAt(A, W, T('2026-03-01T10:00:00Z')), status: 'cancelled' as const };
    expect(countedAt(e)).toBe(T('2026-03-01T10:00:00Z'));
  });
});

describe('ExecutionRollupObserver', () => {
  const setup = () => {
    const store = new MemoryRollups();
    return { store, observer: new ExecutionRollupObserver(store) };
  };
  const day = '2026-03-01T00:00:00.000Z';

  it('counts nothing until an execution finishes', async () => {
    const { store, observer } = setup();
    const pending = executionAt(A, W, T('2026-03-01T10:00:00Z'));
    await observer.executionChanged(pending, { ...pending, status: 'running', startedAt: '2026-03-01T10:00:01.000Z' });
    expect(store.writes).toEqual([]);
  });

  it('adds a completed, a failed and a cancelled run into exact buckets', async () => {
    const { store, observer } = setup();
    const run = (minute: number) => {
      const e = executionAt(A, W, T(`2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`));
      return { pending: e, running: { ...e, status: 'running' as const, startedAt: e.createdAt } };
    };
    const a = run(1);
    await observer.executionChanged(a.running, finishedAt(a.running, 'completed', T('2026-03-01T10:01:00Z'), 3_000, { records: { processed: 10, failed: 1 } }));
    const b = run(2);
    await observer.executionChanged(b.running, finishedAt(b.running, 'failed', T('2026-03-01T10:02:00Z'), 1_000));
    const c = run(7);
    await observer.executionChanged(c.running, finishedAt(c.running, 'cancelled', T('2026-03-01T10:07:00Z'), 500));

    expect(store.get(A, W, '5m', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 2, completed: 1, failed: 1, errors: 1, completedDurationMs: 3_000, recordsProcessed: 10, recordsFailed: 1 });
    expect(store.get(A, W, '5m', '2026-03-01T10:05:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, cancelled: 1 });
    const hourly = { ...EMPTY_COUNTS, executions: 3, completed: 1, failed: 1, cancelled: 1, errors: 1, completedDurationMs: 3_000, recordsProcessed: 10, recordsFailed: 1 };
    expect(store.get(A, W, '1h', '2026-03-01T10:00:00.000Z')).toEqual(hourly);
    expect(store.get(A, W, '1d', day)).toEqual(hourly);
    expect(store.buckets.size).toBe(4);
  });

  it('a redrive takes the earlier outcome back; the redriven run counts once when it finishes (errors stay)', async () => {
    const { store, observer } = setup();
    const e = { ...executionAt(A, W, T('2026-03-01T10:00:00Z')), status: 'running' as const, startedAt: '2026-03-01T10:00:00.000Z' };
    const failed = finishedAt(e, 'failed', T('2026-03-01T10:00:00Z'), 60_000, { records: { processed: 5, failed: 5 } });
    await observer.executionChanged(e, failed);
    // Redriven an hour later, completed ten minutes after that (durations run from the first start).
    const redriven = { ...failed, status: 'running' as const, redriveCount: 1, completedAt: null, durationMs: null, error: null };
    await observer.executionChanged(failed, redriven);
    const done = { ...redriven, status: 'completed' as const, completedAt: '2026-03-01T11:11:00.000Z', durationMs: 71 * 60_000, records: { processed: 50, failed: 5 } };
    await observer.executionChanged(redriven, done);

    expect(store.get(A, W, '5m', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, errors: 1 });
    expect(store.get(A, W, '5m', '2026-03-01T11:10:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, completedDurationMs: 71 * 60_000, recordsProcessed: 50, recordsFailed: 5 });
    expect(store.get(A, W, '1d', day)).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, errors: 1, completedDurationMs: 71 * 60_000, recordsProcessed: 50, recordsFailed: 5 });
  });

  it('never resurrects an expired bucket with negative counts when a long-finished run is redriven', async () => {
    const { store, observer } = setup();
    const e = { ...executionAt(A, W, T('2026-03-01T10:00:00Z')), status: 'running' as const, startedAt: '2026-03-01T10:00:00.000Z' };
    const failed = finishedAt(e, 'failed', T('2026-03-01T10:00:00Z'), 1_000);
    await observer.executionChanged(e, failed);
    store.expire(T('2026-03-05T00:00:00Z') / 1000); // the 5-minute bucket (2 days) is gone; hourly and daily remain
    const redriven = { ...failed, status: 'running' as const, redriveCount: 1, completedAt: null, durationMs: null };
    await observer.executionChanged(failed, redriven);
    expect(store.get(A, W, '5m', '2026-03-01T10:00:00.000Z')).toBeUndefined();
    expect(store.get(A, W, '1h', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, errors: 1 });
    expect(store.get(A, W, '1d', day)).toEqual({ ...EMPTY_COUNTS, errors: 1 });
  });

  it('a terminal status of a later redrive attempt over an earlier one swaps the outcome in one change', async () => {
    const { store, observer } = setup();
    const e = { ...executionAt(A, W, T('2026-03-01T10:00:00Z')), status: 'running' as const, startedAt: '2026-03-01T10:00:00.000Z' };
    const timedOut = finishedAt(e, 'timed_out', T('2026-03-01T10:00:00Z'), 1_000);
    await observer.executionChanged(e, timedOut);
    // The redrive's RUNNING event was lost; its SUCCEEDED (redrive count 1) arrives directly.
    await observer.executionChanged(timedOut, { ...timedOut, status: 'completed', redriveCount: 1, completedAt: '2026-03-01T10:30:00.000Z', durationMs: 1_800_000, error: null });
    expect(store.get(A, W, '1h', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, errors: 1, completedDurationMs: 1_800_000 });
  });
});
