import { describe, expect, it } from 'vitest';
import { HttpFailure } from '../../../../functions/core/runner/ports.ts';
import { classifyError, classifyResponse, decideAfterAttempt, type AttemptOutcome } from '../../../../functions/core/webhooks/decisions.ts';

const now = new Date('2026-01-10T00:00:00.000Z');
const response = (status: number, body = '') => ({ status, headers: {}, body, truncated: false, url: 'https://example.com' });
const failed: AttemptOutcome = { kind: 'failed', statusCode: 500, excerpt: 'oops', truncated: false, error: null };
const base = { attemptInCycle: 1, maxAttempts: 8, test: false, webhook: { failingSince: null }, now, random: () => 0.5 };

describe('classifying an attempt', () => {
  it('2xx succeeded, 410 gone, anything else (3xx, 4xx, 5xx) failed', () => {
    expect(classifyResponse(response(204)).kind).toBe('succeeded');
    expect(classifyResponse(response(299)).kind).toBe('succeeded');
    expect(classifyResponse(response(410, 'bye'))).toEqual({ kind: 'gone', statusCode: 410, excerpt: 'bye', truncated: false });
    for (const status of [301, 400, 404, 429, 500, 503]) expect(classifyResponse(response(status)).kind).toBe('failed');
  });

  it('a request with no response failed, with the reason kept and no status code', () => {
    expect(classifyError(new HttpFailure('timeout', 'the request timed out after 15000 ms'))).toEqual({
      kind: 'failed',
      statusCode: null,
      excerpt: null,
      truncated: false,
      error: 'timeout: the request timed out after 15000 ms',
    });
    expect(classifyError(new HttpFailure('too_many_redirects', 'more than 0 redirects'))).toMatchObject({ kind: 'failed', error: expect.stringContaining('do not follow redirects') });
    expect(classifyError(new Error('ECONNRESET'))).toMatchObject({ kind: 'failed', error: 'network: ECONNRESET' });
  });
});

describe('deciding after an attempt', () => {
  it('a success delivers, and stops a running failure clock', () => {
    const ok: AttemptOutcome = { kind: 'succeeded', statusCode: 200, excerpt: '', truncated: false };
    expect(decideAfterAttempt({ ...base, outcome: ok })).toEqual({ status: 'delivered', nextAttemptAt: null, deadLetterReason: null, endpoint: { kind: 'none' } });
    expect(decideAfterAttempt({ ...base, outcome: ok, webhook: { failingSince: '2026-01-09T00:00:00.000Z' } }).endpoint).toEqual({ kind: 'clear_failure_clock' });
  });

  it('a failure schedules the next attempt of the schedule and starts the failure clock', () => {
    expect(decideAfterAttempt({ ...base, outcome: failed })).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 5_000),
      deadLetterReason: null,
      endpoint: { kind: 'start_failure_clock', since: now.toISOString() },
    });
    expect(decideAfterAttempt({ ...base, outcome: failed, attemptInCycle: 4 }).nextAttemptAt).toEqual(new Date(now.getTime() + 2 * 3_600_000));
  });

  it('the eighth failure dead-letters the delivery (exhausted)', () => {
    expect(decideAfterAttempt({ ...base, outcome: failed, attemptInCycle: 8, webhook: { failingSince: '2026-01-09T00:00:00.000Z' } })).toEqual({
      status: 'dead_lettered',
      nextAttemptAt: null,
      deadLetterReason: 'exhausted',
      endpoint: { kind: 'none' },
    });
  });

  it('410 dead-letters the delivery and disables the endpoint at once', () => {
    const gone: AttemptOutcome = { kind: 'gone', statusCode: 410, excerpt: '', truncated: false };
    expect(decideAfterAttempt({ ...base, outcome: gone })).toEqual({ status: 'dead_lettered', nextAttemptAt: null, deadLetterReason: 'gone', endpoint: { kind: 'disable', reason: 'gone' } });
  });

  it('a failure 5 days after the first of an unbroken run disables the endpoint', () => {
    const since = (ms: number) => ({ failingSince: new Date(now.getTime() - ms).toISOString() });
    const day = 86_400_000;
    expect(decideAfterAttempt({ ...base, outcome: failed, webhook: since(5 * day - 1) }).endpoint).toEqual({ kind: 'none' });
    expect(decideAfterAttempt({ ...base, outcome: failed, webhook: since(5 * day) })).toEqual({
      status: 'dead_lettered',
      nextAttemptAt: null,
      deadLetterReason: 'endpoint_disabled',
      endpoint: { kind: 'disable', reason: 'failing' },
    });
    // Time-scaled local mode shrinks the window with the schedule.
    expect(decideAfterAttempt({ ...base, outcome: failed, webhook: since(5 * day * 0.001), timeScale: 0.001 }).endpoint).toEqual({ kind: 'disable', reason: 'failing' });
  });

  it('a test ping is attempted once and never touches the endpoint’s health', () => {
    const test = { ...base, test: true, maxAttempts: 1, webhook: { failingSince: '2026-01-01T00:00:00.000Z' } };
    expect(decideAfterAttempt({ ...test, outcome: failed })).toEqual({ status: 'dead_lettered', nextAttemptAt: null, deadLetterReason: 'single_attempt', endpoint: { kind: 'none' } });
    expect(decideAfterAttempt({ ...test, outcome: { kind: 'gone', statusCode: 410, excerpt: '', truncated: false } }).endpoint).toEqual({ kind: 'none' });
    expect(decideAfterAttempt({ ...test, outcome: { kind: 'succeeded', statusCode: 200, excerpt: '', truncated: false } }).endpoint).toEqual({ kind: 'none' });
  });
});
