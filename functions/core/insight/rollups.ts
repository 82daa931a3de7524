/**
 * Per-workflow execution rollups: which bucket an execution counts into, what it adds, and how
 * long each granularity is kept. Analytics reads these buckets and never the executions.
 */
import { isTerminal, type Execution } from '../executions/execution.ts';
import type { ExecutionObserver } from '../executions/transitions.ts';
import { GRANULARITIES, type Granularity, type RollupCounts, type RollupStore, type RollupWrite } from './ports.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const BUCKET_MS: Readonly<Record<Granularity, number>> = { '5m': 5 * MINUTE, '1h': HOUR, '1d': DAY };

/**
 * How long buckets are kept (DynamoDB TTL from the bucket's start). Each is a little longer than
 * the longest period that reads it: 5-minute buckets serve `1h` and the first hour of `24h`,
 * hourly ones `24h` and the first day of `7d`/`30d`, daily ones `7d` and `30d` (and a year of history).
 */
export const RETENTION_MS: Readonly<Record<Granularity, number>> = { '5m': 2 * DAY, '1h': 35 * DAY, '1d': 400 * DAY };

/** Start of the bucket holding `ms` (UTC-aligned; days start at 00:00Z). */
export const floorTo = (ms: number, g: Granularity): number => Math.floor(ms / BUCKET_MS[g]) * BUCKET_MS[g];
/** The first bucket boundary at or after `ms`. */
export const ceilTo = (ms: number, g: Granularity): number => Math.ceil(ms / BUCKET_MS[g]) * BUCKET_MS[g];

export const EMPTY_COUNTS: RollupCounts = {
  executions: 0,
  completed: 0,
  failed: 0,
  timedOut: 0,
  cancelled: 0,
  errors: 0,
  completedDurationMs: 0,
  recordsProcessed: 0,
  recordsFailed: 0,
};

export function addCounts(a: RollupCounts, b: Partial<RollupCounts>): RollupCounts {
  const out = { ...a } as Record<keyof RollupCounts, number>;
  for (const [k, v] of Object.entries(b) as [keyof RollupCounts, number][]) out[k] += v;
  return out;
}

const OUTCOME: Record<string, keyof RollupCounts> = { completed: 'completed', failed: 'failed', timed_out: 'timedOut', cancelled: 'cancelled' };

/** When an execution counts: the moment it reached its terminal status. */
export function countedAt(e: Execution): number {
  return Date.parse(e.completedAt ?? e.startedAt ?? e.createdAt);
}

/**
 * What a finished execution adds to (sign 1) or takes back from (sign -1) its buckets. `errors`
 * only ever grows: a failure that was later redriven still happened.
 */
export function contribution(e: Execution, sign: 1 | -1): Partial<RollupCounts> {
  const out: Record<string, number> = { executions: sign, [OUTCOME[e.status]!]: sign };
  if (sign === 1 && (e.status === 'failed' || e.status === 'timed_out')) out.errors = 1;
  if (e.status === 'completed') out.completedDurationMs = sign * (e.durationMs ?? 0);
  if (e.records) {
    out.recordsProcessed = sign * e.records.processed;
    out.recordsFailed = sign * e.records.failed;
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0));
}

/** The three bucket writes (5-minute, hourly, daily) for one execution's contribution. */
export function rollupWrites(e: Execution, sign: 1 | -1): RollupWrite[] {
  const at = countedAt(e);
  const deltas = contribution(e, sign);
  return GRANULARITIES.map((granularity) => {
    const start = floorTo(at, granularity);
    return {
      accountId: e.accountId,
      workflowId: e.workflowId,
      granularity,
      bucket: new Date(start).toISOString(),
      deltas,
      expiresAt: Math.floor((start + RETENTION_MS[granularity]) / 1000),
      onlyIfPresent: sign === -1,
    };
  });
}

/**
 * Keeps the rollups on every applied status change (ExecutionTransitions tells observers exactly
 * once per change, so repeated or stale status events never reach here). An execution counts once,
 * by its latest terminal status, in the bucket of its completion time: a redrive takes the earlier
 * outcome back out of its buckets, and the redriven run's outcome counts when it finishes.
 */
export class ExecutionRollupObserver implements ExecutionObserver {
  constructor(private readonly store: RollupStore) {}

  async executionChanged(previous: Execution, next: Execution): Promise<void> {
    const writes: RollupWrite[] = [];
    const reopened = isTerminal(previous.status) && (previous.status !== next.status || previous.redriveCount !== next.redriveCount);
    if (reopened) writes.push(...rollupWrites(previous, -1));
    if (isTerminal(next.status)) writes.push(...rollupWrites(next, 1));
    await Promise.all(writes.map((w) => this.store.add(w)));
  }
}
