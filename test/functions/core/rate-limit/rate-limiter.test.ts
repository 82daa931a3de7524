import { describe, expect, it, vi } from 'vitest';
import { rateLimitWindow } from '../../../../functions/core/rate-limit/policy.ts';
import { RateLimitStoreUnavailable, type RateLimitCounter, type RateLimitIncrement } from '../../../../functions/core/rate-limit/ports.ts';
import { RateLimiter } from '../../../../functions/core/rate-limit/rate-limiter.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';

/** The DynamoDB contract in memory: conditional increment that stops at the limit. */
class InMemoryCounter implements RateLimitCounter {
  readonly counts = new Map<string, number>();
  readonly calls: RateLimitIncrement[] = [];
  async increment(r: RateLimitIncrement) {
    this.calls.push(r);
    const id = `${r.key}@${r.windowStart}`;
    const n = this.counts.get(id) ?? 0;
    if (n >= r.limit) return { count: n, allowed: false };
    this.counts.set(id, n + 1);
    return { count: n + 1, allowed: true };
  }
}

const settings = { free: 3, enterprise: 5, anonymous: 2, windowSeconds: 60 };

describe('RateLimiter', () => {
  it('allows up to the limit in a window, then refuses until the window ends', async () => {
    const clock = fixedClock();
    const counter = new InMemoryCounter();
    const limiter = new RateLimiter(counter, settings, clock);
    const p = principal({ credentialId: 'ses_a', plan: 'free' });
    const remaining = [];
    for (let i = 0; i < 4; i++) remaining.push((await limiter.consume(p, '1.1.1.1')).decision);
    expect(remaining.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    const { end } = rateLimitWindow('cred#ses_a', clock.now(), 60);
    expect(remaining[3]!.resetAt).toBe(end);

    clock.advance(end * 1000 - clock.now().getTime());
    const next = (await limiter.consume(p, '1.1.1.1')).decision;
    expect(next).toMatchObject({ allowed: true, remaining: 2, resetIn: 60 });
  });

  it('passes key, limit and window to the counter', async () => {
    const clock = fixedClock();
    const counter = new InMemoryCounter();
    await new RateLimiter(counter, settings, clock).consume(principal({ credentialId: 'key_1', plan: 'enterprise' }), '1.1.1.1');
    await new RateLimiter(counter, settings, clock).consume(undefined, '::ffff:10.0.0.1');
    const w1 = rateLimitWindow('cred#key_1', clock.now(), 60);
    const w2 = rateLimitWindow('ip#10.0.0.1', clock.now(), 60);
    expect(counter.calls).toEqual([
      { key: 'cred#key_1', limit: 5, windowStart: w1.start, windowEnd: w1.end },
      { key: 'ip#10.0.0.1', limit: 2, windowStart: w2.start, windowEnd: w2.end },
    ]);
  });

  it('keeps credentials and addresses apart', async () => {
    const limiter = new RateLimiter(new InMemoryCounter(), settings, fixedClock());
    for (let i = 0; i < 2; i++) await limiter.consume(undefined, '1.1.1.1');
    expect((await limiter.consume(undefined, '1.1.1.1')).decision.allowed).toBe(false);
    expect((await limiter.consume(undefined, '1.1.1.2')).decision.allowed).toBe(true);
    expect((await limiter.consume(principal({ credentialId: 'ses_x' }), '1.1.1.1')).decision.allowed).toBe(true);
  });

  it('remembers a refusal for the rest of the window instead of writing again', async () => {
    const clock = fixedClock();
    const counter = new InMemoryCounter();
    const limiter = new RateLimiter(counter, settings, clock);
    for (let i = 0; i < 10; i++) await limiter.consume(undefined, '9.9.9.9');
    expect(counter.calls).toHaveLength(3); // 2 allowed + the one refusal the store reported
    clock.advance(60_000);
    expect((await limiter.consume(undefined, '9.9.9.9')).decision.allowed).toBe(true);
    expect(counter.calls).toHaveLength(4);
  });

  it('asks the store again when the limit went up within the window (plan upgrade)', async () => {
    const counter = new InMemoryCounter();
    const clock = fixedClock();
    const free = new RateLimiter(counter, settings, clock);
    const p = principal({ credentialId: 'ses_up', plan: 'free' });
    for (let i = 0; i < 4; i++) await free.consume(p, 'x');
    expect((await free.consume(p, 'x')).decision.allowed).toBe(false);
    expect((await free.consume({ ...p, plan: 'enterprise' }, 'x')).decision).toMatchObject({ allowed: true, remaining: 1, limit: 5 });
  });

  it('bounds what it remembers', async () => {
    const counter = new InMemoryCounter();
    const limiter = new RateLimiter(counter, { ...settings, anonymous: 1 }, fixedClock(), 3);
    for (let ip = 0; ip < 10; ip++) for (let i = 0; i < 2; i++) await limiter.consume(undefined, `10.0.0.${ip}`);
    expect((limiter as unknown as { refused: Map<string, unknown> }).refused.size).toBeLessThanOrEqual(3);
  });

  it('fails open, reporting the store error, when the counter is unavailable', async () => {
    const failing: RateLimitCounter = { increment: vi.fn(async () => Promise.reject(new RateLimitStoreUnavailable('down'))) };
    const outcome = await new RateLimiter(failing, settings, fixedClock()).consume(undefined, '1.1.1.1');
    expect(outcome.decision).toMatchObject({ allowed: true, remaining: undefined, limit: 2, policy: 'anonymous' });
    expect(outcome.unavailable).toBeInstanceOf(RateLimitStoreUnavailable);
  });

  describe('issue 13 #12 (Low): per account as well as per credential', () => {
    const withAccounts = { ...settings, account: { free: 4, enterprise: 10 } };

    it('charges a credential and its account, and refuses once the account is out, whatever key is used', async () => {
      const clock = fixedClock();
      const counter = new InMemoryCounter();
      const limiter = new RateLimiter(counter, withAccounts, clock);
      const keys = ['key_a', 'key_b', 'key_c'].map((id) => principal({ credentialId: id, plan: 'free', accountId: 'acct_1' }));
      const decisions = [];
      for (const key of [...keys, keys[0]!, ...keys]) decisions.push((await limiter.consume(key, '1.1.1.1')).decision);
      // Three keys of 3/min each would be 9; the account allows 4.
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, false, false]);
      expect(decisions[4]).toMatchObject({ policy: 'account', limit: 4, remaining: 0 });
      // Another account is not affected.
      expect((await limiter.consume(principal({ credentialId: 'key_x', plan: 'free', accountId: 'acct_2' }), '1.1.1.1')).decision.allowed).toBe(true);
      const w = rateLimitWindow('acct#acct_1', clock.now(), 60);
      expect(counter.calls).toContainEqual({ key: 'acct#acct_1', limit: 4, windowStart: w.start, windowEnd: w.end });
    });

    it('shows the binding subject: the credential while the account has more left', async () => {
      const limiter = new RateLimiter(new InMemoryCounter(), withAccounts, fixedClock());
      const first = (await limiter.consume(principal({ credentialId: 'key_a', plan: 'free', accountId: 'acct_1' }), '1.1.1.1')).decision;
      expect(first).toMatchObject({ policy: 'free', limit: 3, remaining: 2 });
    });

    it('anonymous requests are not charged to any account', async () => {
      const counter = new InMemoryCounter();
      await new RateLimiter(counter, withAccounts, fixedClock()).consume(undefined, '1.1.1.1');
      expect(counter.calls.map((c) => c.key)).toEqual(['ip#1.1.1.1']);
    });
  });
});
