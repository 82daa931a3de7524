import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  DEFAULT_RATE_LIMITS,
  rateLimitDecision,
  rateLimitExceeded,
  rateLimitHeaders,
  rateLimitSubject,
  rateLimitWindow,
} from '../../../../functions/core/rate-limit/policy.ts';
import { principal } from '../../../support/fakes.ts';

describe('rate-limit policy', () => {
  describe('subject and limit', () => {
    it('charges a verified credential at its plan’s limit', () => {
      expect(rateLimitSubject(principal({ credentialId: 'ses_1', plan: 'free' }), '1.2.3.4', DEFAULT_RATE_LIMITS)).toEqual({
        key: 'cred#ses_1',
        policy: 'free',
        limit: 100,
      });
      expect(rateLimitSubject(principal({ credentialId: 'key_9', plan: 'enterprise' }), '1.2.3.4', DEFAULT_RATE_LIMITS)).toEqual({
        key: 'cred#key_9',
        policy: 'enterprise',
        limit: 1000,
      });
    });

    it('charges everything else to the source address at the anonymous limit', () => {
      expect(rateLimitSubject(undefined, '203.0.113.7', DEFAULT_RATE_LIMITS)).toEqual({ key: 'ip#203.0.113.7', policy: 'anonymous', limit: 20 });
    });

    it('takes the limits from the settings', () => {
      const settings = { free: 7, enterprise: 70, anonymous: 3, windowSeconds: 5 };
      expect(rateLimitSubject(principal({ plan: 'free' }), 'x', settings).limit).toBe(7);
      expect(rateLimitSubject(principal({ plan: 'enterprise' }), 'x', settings).limit).toBe(70);
      expect(rateLimitSubject(undefined, 'x', settings).limit).toBe(3);
    });
  });

  describe('client address', () => {
    it.each([
      ['203.0.113.7', '203.0.113.7'],
      ['::ffff:127.0.0.1', '127.0.0.1'],
      ['0:0:0:0:0:ffff:10.0.0.1', '10.0.0.1'],
      ['2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
      ['2001:DB8:ABCD:0012::99', '2001:db8:abcd:12::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      ['', 'unknown'],
      ['not-an-ip', 'not-an-ip'],
      ['1::2::3', '1::2::3'],
    ])('%s → %s', (input, expected) => {
      expect(clientAddress(input)).toBe(expected);
    });

    it('groups an IPv6 /64 into one subject', () => {
      const a = rateLimitSubject(undefined, '2001:db8:1:2::a', DEFAULT_RATE_LIMITS);
      const b = rateLimitSubject(undefined, '2001:db8:1:2:ffff:ffff:ffff:ffff', DEFAULT_RATE_LIMITS);
      const c = rateLimitSubject(undefined, '2001:db8:1:3::a', DEFAULT_RATE_LIMITS);
      expect(a.key).toBe(b.key);
      expect(a.key).not.toBe(c.key);
    });
  });

  describe('windows', () => {
    const at = (s: number) => new Date(s * 1000);

    it('contains now, lasts the window length and is stable within it', () => {
      for (const key of ['ip#1.2.3.4', 'cred#ses_a', 'cred#ses_b']) {
        const now = 1_767_225_600.25;
        const w = rateLimitWindow(key, at(now), 60);
        expect(w.end - w.start).toBe(60);
        expect(w.start).toBeLessThanOrEqual(now);
        expect(w.end).toBeGreaterThan(now);
        expect(Number.isInteger(w.start)).toBe(true);
        expect(rateLimitWindow(key, at(w.start), 60)).toEqual(w);
        expect(rateLimitWindow(key, at(w.end - 0.001), 60)).toEqual(w);
        expect(rateLimitWindow(key, at(w.end), 60)).toEqual({ start: w.end, end: w.end + 60 });
      }
    });

    it('spreads resets across subjects instead of resetting everyone at :00', () => {
      const starts = new Set(Array.from({ length: 50 }, (_, i) => rateLimitWindow(`cred#ses_${i}`, at(1_767_225_600), 60).start % 60));
      expect(starts.size).toBeGreaterThan(20);
    });
  });

  describe('decision and headers', () => {
    const subject = { key: 'cred#ses_1', policy: 'free' as const, limit: 100 };
    const window = { start: 1_767_225_600, end: 1_767_225_660 };
    const now = new Date((1_767_225_600 + 18.4) * 1000);

    it('counts down remaining and the seconds to reset', () => {
      const d = rateLimitDecision(subject, window, { count: 13, allowed: true }, now);
      expect(d).toEqual({ policy: 'free', limit: 100, windowSeconds: 60, allowed: true, remaining: 87, resetAt: 1_767_225_660, resetIn: 42 });
    });

    it('writes the X-RateLimit trio and the IETF draft fields', () => {
      const d = rateLimitDecision(subject, window, { count: 13, allowed: true }, now);
      expect(rateLimitHeaders(d)).toEqual({
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Remaining': '87',
        'X-RateLimit-Reset': '1767225660',
        'RateLimit-Policy': '"free";q=100;w=60',
        RateLimit: '"free";r=87;t=42',
      });
    });

    it('never reports negative remaining, nor a reset of 0 seconds', () => {
      const late = new Date((window.end - 0.01) * 1000);
      const d = rateLimitDecision(subject, window, { count: 140, allowed: false }, late);
      expect(d.remaining).toBe(0);
      expect(d.resetIn).toBe(1);
      expect(d.allowed).toBe(false);
    });

    it('states only the policy and reset when the count is unknown (failing open)', () => {
      const d = rateLimitDecision({ key: 'ip#x', policy: 'anonymous', limit: 20 }, window, undefined, now);
      expect(d.allowed).toBe(true);
      expect(rateLimitHeaders(d)).toEqual({
        'X-RateLimit-Limit': '20',
        'X-RateLimit-Reset': '1767225660',
        'RateLimit-Policy': '"anonymous";q=20;w=60',
      });
    });

    it('builds the 429 with Retry-After and retry_after', () => {
      const error = rateLimitExceeded(rateLimitDecision(subject, window, { count: 100, allowed: false }, now));
      expect(error).toMatchObject({
        code: 'rate_limit_exceeded',
        status: 429,
        message: 'Rate limit exceeded. Please retry after 42 seconds.',
        details: { retry_after: 42 },
        headers: { 'Retry-After': '42' },
      });
    });
  });
});
