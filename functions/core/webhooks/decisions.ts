import type { HttpResponse } from '../runner/ports.ts';
import { isHttpFailure } from '../runner/ports.ts';
import type { DeadLetterReason, DeliveryStatus, Webhook } from './webhook.ts';
import { delayBeforeAttempt, DISABLE_AFTER_MS } from './schedule.ts';

/**
 * What one attempt's result means for the delivery and for its endpoint. Pure: the dispatcher
 * feeds it the response, the clock and the random source, and carries out what comes back.
 */

export type AttemptOutcome =
  | { kind: 'succeeded'; statusCode: number; excerpt: string; truncated: boolean }
  | { kind: 'gone'; statusCode: 410; excerpt: string; truncated: boolean }
  | { kind: 'failed'; statusCode: number | null; excerpt: string | null; truncated: boolean; error: string | null };

/** 2xx is success, 410 says the endpoint is gone for good, anything else (3xx included: redirects are not followed) failed. */
export function classifyResponse(response: HttpResponse): AttemptOutcome {
  const { status, body: excerpt, truncated } = response;
  if (status >= 200 && status < 300) return { kind: 'succeeded', statusCode: status, excerpt, truncated };
  if (status === 410) return { kind: 'gone', statusCode: 410, excerpt, truncated };
  return { kind: 'failed', statusCode: status, excerpt, truncated, error: null };
}

/** A request that produced no response: timeout, refused or reset connection, blocked address, redirect. */
export function classifyError(error: unknown): AttemptOutcome {
  if (isHttpFailure(error)) {
    const message = error.kind === 'too_many_redirects' ? 'the endpoint answered with a redirect; webhook deliveries do not follow redirects' : error.message;
    return { kind: 'failed', statusCode: null, excerpt: null, truncated: false, error: `${error.kind}: ${message}` };
  }
  return { kind: 'failed', statusCode: null, excerpt: null, truncated: false, error: `network: ${(error as Error)?.message ?? String(error)}` };
}

export type EndpointAction =
  | { kind: 'none' }
  /** First failure after a success (or ever): start the failure clock. */
  | { kind: 'start_failure_clock'; since: string }
  /** A success: stop the clock. */
  | { kind: 'clear_failure_clock' }
  | { kind: 'disable'; reason: 'gone' | 'failing' };

export interface AttemptDecision {
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: Date | null;
  readonly deadLetterReason: DeadLetterReason | null;
  readonly endpoint: EndpointAction;
}

export interface DecisionInput {
  readonly outcome: AttemptOutcome;
  /** 1-based position of the attempt just made within its cycle. */
  readonly attemptInCycle: number;
  readonly maxAttempts: number;
  /** Test pings never move the endpoint's failure clock and never disable it. */
  readonly test: boolean;
  readonly webhook: Pick<Webhook, 'failingSince'>;
  readonly now: Date;
  readonly random: () => number;
  readonly timeScale?: number;
  readonly disableAfterMs?: number;
}

export function decideAfterAttempt(input: DecisionInput): AttemptDecision {
  const { outcome, now, test } = input;
  if (outcome.kind === 'succeeded') {
    return { status: 'delivered', nextAttemptAt: null, deadLetterReason: null, endpoint: !test && input.webhook.failingSince ? { kind: 'clear_failure_clock' } : { kind: 'none' } };
  }
  if (outcome.kind === 'gone') {
    return { status: 'dead_lettered', nextAttemptAt: null, deadLetterReason: 'gone', endpoint: test ? { kind: 'none' } : { kind: 'disable', reason: 'gone' } };
  }
  let endpoint: EndpointAction = { kind: 'none' };
  if (!test) {
    const since = input.webhook.failingSince ?? now.toISOString();
    const window = (input.disableAfterMs ?? DISABLE_AFTER_MS) * (input.timeScale ?? 1);
    if (now.getTime() - Date.parse(since) >= window) {
      return { status: 'dead_lettered', nextAttemptAt: null, deadLetterReason: 'endpoint_disabled', endpoint: { kind: 'disable', reason: 'failing' } };
    }
    if (!input.webhook.failingSince) endpoint = { kind: 'start_failure_clock', since };
  }
  const delay = input.attemptInCycle < input.maxAttempts ? delayBeforeAttempt(input.attemptInCycle + 1, input.random, input.timeScale) : undefined;
  if (delay === undefined) {
    return { status: 'dead_lettered', nextAttemptAt: null, deadLetterReason: test ? 'single_attempt' : 'exhausted', endpoint };
  }
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + delay), deadLetterReason: null, endpoint };
}
