/**
 * When attempts happen. The schedule is the one receivers know from Svix and Standard Webhooks
 * practice: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after the previous
 * attempt — eight attempts over about 27.6 hours, enough to ride out a deploy, an outage or a
 * weekend-night pager, short enough that events are not days stale.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/**
 * ±10 %: every delivery that failed during an outage would otherwise come back at the same second
 * and knock the recovering receiver over again.
 */
export const JITTER_RATIO = 0.1;

/** An endpoint whose every attempt failed for this long is disabled (and its owner told). */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/** A single attempt may take this long (connect, redirects refused, response) before it counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/**
 * SQS holds a message back at most 15 minutes (DelaySeconds ≤ 900): a longer wait is a chain of
 * hops, each re-enqueueing the same attempt until it is due.
 */
export const MAX_HOP_MS = 900_000;

/**
 * The wait before attempt `n` of a cycle (1-based; attempt 1 is immediate), jittered and scaled
 * (local mode speeds time up with STEPWISE_TIME_SCALE). `undefined` once the schedule is spent.
 * `random` returns [0, 1) and is injected so tests can pin the jitter.
 */
export function delayBeforeAttempt(n: number, random: () => number, timeScale = 1): number | undefined {
  const base = RETRY_SCHEDULE_MS[n - 1];
  if (base === undefined) return undefined;
  const jitter = 1 + JITTER_RATIO * (2 * random() - 1);
  return Math.round(base * jitter * timeScale);
}

/** How long the next hop holds an attempt back: all of the remaining wait, at most one SQS delay. */
export function hopDelay(dueAt: Date, now: Date, maxHopMs = MAX_HOP_MS): number {
  return Math.max(0, Math.min(maxHopMs, dueAt.getTime() - now.getTime()));
}

/**
 * An attempt message that arrives this close to its due time is sent rather than hopped again:
 * SQS rounds delays up to whole seconds, so the last hop can land a little early.
 */
export const DUE_SLACK_MS = 1_000;
