import { systemClock, type Clock } from '../clock.ts';
import type { Principal } from '../principal.ts';
import { rateLimitDecision, rateLimitSubjects, rateLimitWindow, type RateLimitDecision, type RateLimitSettings, type RateLimitSubject } from './policy.ts';
import type { RateLimitCounter } from './ports.ts';

export interface RateLimitOutcome {
  readonly decision: RateLimitDecision;
  /** Set when the counter store failed and the request was let through (fail open). */
  readonly unavailable?: unknown;
}

/** What the HTTP pipeline needs; tests substitute a fake. */
export interface RequestRateLimiter {
  /** Charges one request to the credential and its account (when verified) or to the source address. Never rejects for store failures. */
  consume(principal: Pick<Principal, 'credentialId' | 'plan' | 'accountId'> | undefined, sourceIp: string): Promise<RateLimitOutcome>;
}

/**
 * One counter round trip per subject and request (two for a verified credential: it and its
 * account, in parallel). Once the store has refused a subject for a window, this
 * container remembers it until the window ends and refuses locally: the count can only grow within
 * a window, so the answer cannot change, and a flood stops costing writes (and cannot turn one
 * counter item into a throttled hot key, which would otherwise fail open).
 */
export class RateLimiter implements RequestRateLimiter {
  private readonly refused = new Map<string, { end: number; limit: number }>();

  constructor(
    private readonly counter: RateLimitCounter,
    readonly settings: RateLimitSettings,
    private readonly clock: Clock = systemClock,
    private readonly maxRemembered = 10_000,
  ) {}

  async consume(principal: Pick<Principal, 'credentialId' | 'plan' | 'accountId'> | undefined, sourceIp: string): Promise<RateLimitOutcome> {
    const now = this.clock.now();
    const subjects = rateLimitSubjects(principal, sourceIp, this.settings);
    // A subject already refused this window refuses the request without a write for any of them.
    for (const subject of subjects) {
      const window = rateLimitWindow(subject.key, now, this.settings.windowSeconds);
      const known = this.refused.get(subject.key);
      if (known && known.end === window.end && known.limit >= subject.limit) {
        return { decision: rateLimitDecision(subject, window, { count: known.limit, allowed: false }, now) };
      }
    }
    const outcomes = await Promise.all(subjects.map((subject) => this.charge(subject, now)));
    // The decision shown is the one that binds: a refusal, else the subject with the fewest requests left.
    const binding = outcomes.find((o) => !o.decision.allowed) ?? outcomes.reduce((a, b) => ((b.decision.remaining ?? Infinity) < (a.decision.remaining ?? Infinity) ? b : a));
    const unavailable = outcomes.find((o) => o.unavailable !== undefined)?.unavailable;
    return unavailable === undefined ? { decision: binding.decision } : { decision: binding.decision, unavailable };
  }

  private async charge(subject: RateLimitSubject, now: Date): Promise<RateLimitOutcome> {
    const window = rateLimitWindow(subject.key, now, this.settings.windowSeconds);
    try {
      const outcome = await this.counter.increment({ key: subject.key, limit: subject.limit, windowStart: window.start, windowEnd: window.end });
      if (!outcome.allowed) this.remember(subject.key, window.end, subject.limit, now);
      return { decision: rateLimitDecision(subject, window, outcome, now) };
    } catch (error) {
      return { decision: rateLimitDecision(subject, window, undefined, now), unavailable: error };
    }
  }

  private remember(key: string, end: number, limit: number, now: Date) {
    if (this.refused.size >= this.maxRemembered) {
      const nowSeconds = now.getTime() / 1000;
      for (const [k, v] of this.refused) if (v.end <= nowSeconds) this.refused.delete(k);
      // Still full of live entries: forget the oldest; the store stays authoritative.
      while (this.refused.size >= this.maxRemembered) this.refused.delete(this.refused.keys().next().value!);
    }
    this.refused.delete(key);
    this.refused.set(key, { end, limit });
  }
}
