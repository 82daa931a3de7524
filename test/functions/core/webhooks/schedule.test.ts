import { describe, expect, it } from 'vitest';
import { delayBeforeAttempt, hopDelay, JITTER_RATIO, MAX_ATTEMPTS, RETRY_SCHEDULE_MS } from '../../../../functions/core/webhooks/schedule.ts';

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('retry schedule', () => {
  it('is immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about 27.6 hours', () => {
    expect(RETRY_SCHEDULE_MS).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 10 * H]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0) / H).toBeCloseTo(27.58, 2);
  });

  it('without jitter (random = 0.5) gives the schedule exactly, and nothing after the eighth attempt', () => {
    expect(Array.from({ length: 9 }, (_, i) => delayBeforeAttempt(i + 1, () => 0.5))).toEqual([...RETRY_SCHEDULE_MS, undefined]);
  });

  it('jitters each wait by at most ±10 %, and never the immediate first attempt', () => {
    for (const random of [0, 0.25, 0.999999]) {
      expect(delayBeforeAttempt(1, () => random)).toBe(0);
      for (let n = 2; n <= MAX_ATTEMPTS; n++) {
        const base = RETRY_SCHEDULE_MS[n - 1]!;
        const delay = delayBeforeAttempt(n, () => random)!;
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - JITTER_RATIO)));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER_RATIO)));
      }
    }
    expect(delayBeforeAttempt(3, () => 0)).toBe(270_000);
    expect(delayBeforeAttempt(3, () => 0.75)).toBe(315_000);
  });

  it('scales with local mode’s time scale', () => {
    expect(delayBeforeAttempt(2, () => 0.5, 0.001)).toBe(5);
    expect(delayBeforeAttempt(8, () => 0.5, 0.001)).toBe(36_000);
  });

  it('hops at most 15 minutes at a time, and never backwards', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(hopDelay(new Date(now.getTime() + 10 * H), now)).toBe(15 * MIN);
    expect(hopDelay(new Date(now.getTime() + 7 * S), now)).toBe(7 * S);
    expect(hopDelay(new Date(now.getTime() - S), now)).toBe(0);
  });
});
