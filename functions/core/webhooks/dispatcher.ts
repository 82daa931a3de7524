import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { coalesced } from '../coalesce.ts';
import type { Logger } from '../logger.ts';
import type { DomainEvent } from '../events/catalog.ts';
import type { HttpClient } from '../runner/ports.ts';
import { signWebhook } from './signature.ts';
import { classifyError, classifyResponse, decideAfterAttempt, type AttemptOutcome, type EndpointAction } from './decisions.ts';
import type { DeliveryQueue, DeliveryRepository, QueueMessage, WebhookRepository } from './ports.ts';
import { ATTEMPT_TIMEOUT_MS, DISABLE_AFTER_MS, DUE_SLACK_MS, hopDelay, MAX_ATTEMPTS, MAX_HOP_MS } from './schedule.ts';
import {
  deliveryIdFor,
  envelopeOf,
  MAX_ATTEMPT_LOG,
  subscribes,
  type DeadLetterReason,
  type Delivery,
  type DeliveryAttempt,
  type Envelope,
  type Webhook,
} from './webhook.ts';

/** The first 1 KB of a response is kept with the attempt: enough to see the receiver's error. */
export const RESPONSE_EXCERPT_BYTES = 1024;
export const USER_AGENT = 'Stepwise-Webhooks/1.0';


export interface DispatcherOptions {
  /** Local mode's STEPWISE_TIME_SCALE: the schedule and the 5-day window shrink by it. */
  readonly timeScale?: number;
  readonly attemptTimeoutMs?: number;
  readonly disableAfterMs?: number;
  /** How long a claimed attempt is owned: longer than the request timeout plus recording it. */
  readonly leaseMs?: number;
  readonly maxHopMs?: number;
  /** Webhooks of one event attempted at once. */
  readonly fanOutConcurrency?: number;
  /** The periodic sweep re-enqueues deliveries overdue by more than this (their message was lost). */
  readonly sweepGraceMs?: number;
  readonly sweepLimit?: number;
}

export interface DispatcherDeps {
  readonly webhooks: WebhookRepository;
  readonly deliveries: DeliveryRepository;
  readonly queue: DeliveryQueue;
  /** The SSRF-guarded client: no private ranges in AWS, loopback allowed locally. */
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly random?: () => number;
  /** Monotonic milliseconds, for latency. */
  readonly elapsed?: () => number;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  readonly options?: DispatcherOptions;
}

export type DispatchResult =
  | { kind: 'fanned_out'; deliveries: number }
  | { kind: 'attempted'; status: Delivery['status'] }
  | { kind: 'dead_lettered'; reason: DeadLetterReason }
  | { kind: 'hopped'; delayMs: number }
  | { kind: 'skipped'; why: 'missing' | 'finished' | 'stale' | 'busy' | 'lost_lease' }
  | { kind: 'swept'; enqueued: number };

/** A new delivery of `envelope` to `webhook`, due now. */
export function newDelivery(envelope: Envelope, webhook: Pick<Webhook, 'id' | 'accountId'>, now: Date, options: { test?: boolean } = {}): Delivery {
  const at = now.toISOString();
  return {
    id: deliveryIdFor(envelope.id, envelope.timestamp, webhook.id),
    accountId: webhook.accountId,
    webhookId: webhook.id,
    eventId: envelope.id,
    eventType: envelope.event,
    body: JSON.stringify(envelope),
    test: options.test ?? false,
    status: 'pending',
    attempts: 0,
    cycleStart: 0,
    maxAttempts: options.test ? 1 : MAX_ATTEMPTS,
    nextAttemptAt: at,
    lastAttemptAt: null,
    lastStatusCode: null,
    deadLetterReason: null,
    attemptLog: [],
    lease: null,
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
}

export const attemptMessage = (d: Pick<Delivery, 'accountId' | 'webhookId' | 'id'>, attempt: number): QueueMessage => ({
  kind: 'attempt',
  account_id: d.accountId,
  webhook_id: d.webhookId,
  delivery_id: d.id,
  attempt,
});

/**
 * Signs with the current secret and, during a rotation's grace period, the previous one too:
 * Standard Webhooks lets `webhook-signature` carry several space-separated signatures.
 */
export function signedHeaders(webhook: Pick<Webhook, 'secret' | 'previousSecret'>, deliveryId: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const secrets = [webhook.secret];
  if (webhook.previousSecret && Date.parse(webhook.previousSecret.expiresAt) > now.getTime()) secrets.push(webhook.previousSecret.secret);
  const signatures = secrets.map((secret) => signWebhook({ id: deliveryId, timestamp, body, secret })['webhook-signature']);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * At-least-once delivery. The table is the source of truth (each delivery item holds its attempts
 * and `next_attempt_at`); the queue only carries "attempt n of delivery d is due". Every step is
 * safe to repeat: fan-out derives delivery ids from (event, webhook) and creates them only once,
 * an attempt message is acted on only while the item still expects exactly that attempt, and an
 * attempt is claimed with a lease before the request goes out, so duplicates and redeliveries do
 * not send twice. Long waits hop through the queue (≤ 15 min each); a sweep re-enqueues any
 * delivery whose message was lost.
 */
export class WebhookDispatcher {
  private readonly random: () => number;
  private readonly elapsed: () => number;
  private readonly options: Required<DispatcherOptions>;

  /** The account's webhooks: the events of one stream or SQS batch share one read (docs/architecture.md#reads-that-arrive-together). */
  private readonly webhooksOf: (accountId: string) => Promise<Webhook[]>;

  constructor(private readonly deps: DispatcherDeps) {
    this.webhooksOf = coalesced((accountId: string) => deps.webhooks.all(accountId), (accountId) => accountId);
    this.random = deps.random ?? Math.random;
    this.elapsed = deps.elapsed ?? (() => performance.now());
    this.options = {
      timeScale: 1,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      disableAfterMs: DISABLE_AFTER_MS,
      leaseMs: ATTEMPT_TIMEOUT_MS * 3,
      maxHopMs: MAX_HOP_MS,
      fanOutConcurrency: 25,
      sweepGraceMs: 5 * 60_000,
      sweepLimit: 500,
      ...deps.options,
    };
  }

  handle(message: QueueMessage): Promise<DispatchResult> {
    switch (message.kind) {
      case 'event':
        return this.fanOut(message.event);
      case 'attempt':
        return this.onAttemptDue(message);
      case 'sweep':
        return this.sweep();
    }
  }

  /** One delivery per enabled webhook of the account that subscribes to the event, attempted at once. */
  async fanOut(event: DomainEvent): Promise<DispatchResult> {
    const hooks = (await this.webhooksOf(event.account_id)).filter((w) => w.enabled && subscribes(w, event.event));
    const envelope = envelopeOf(event);
    await forEachLimited(hooks, this.options.fanOutConcurrency, async (webhook) => {
      const now = this.deps.clock.now();
      // Created already claimed: the first attempt (the common case) needs no separate claim write.
      const fresh = { ...newDelivery(envelope, webhook, now), lease: this.lease(now) };
      if (await this.deps.deliveries.createIfAbsent(fresh)) {
        await this.attempt(fresh, 1, webhook, { claimed: true });
        return;
      }
      // A redelivered event finds its deliveries; only one nobody has attempted yet is attempted here.
      const current = await this.deps.deliveries.get(webhook.accountId, webhook.id, fresh.id);
      if (current?.status === 'pending' && current.attempts === 0) await this.attempt(current, 1, webhook);
    });
    return { kind: 'fanned_out', deliveries: hooks.length };
  }

  private async onAttemptDue(message: Extract<QueueMessage, { kind: 'attempt' }>): Promise<DispatchResult> {
    const delivery = await this.deps.deliveries.get(message.account_id, message.webhook_id, message.delivery_id);
    if (!delivery) return { kind: 'skipped', why: 'missing' };
    if (delivery.status !== 'pending') return { kind: 'skipped', why: 'finished' };
    if (delivery.attempts !== message.attempt - 1) return { kind: 'skipped', why: 'stale' };
    const now = this.deps.clock.now();
    const due = delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt) : now;
    if (due.getTime() - now.getTime() > DUE_SLACK_MS) {
      const delayMs = hopDelay(due, now, this.options.maxHopMs);
      await this.deps.queue.send([{ message, delayMs }]);
      return { kind: 'hopped', delayMs };
    }
    return this.attempt(delivery, message.attempt);
  }

  /** Makes attempt `n` of `delivery` (which must expect it), records it, and schedules what follows. */
  private async attempt(delivery: Delivery, n: number, knownWebhook?: Webhook, options: { claimed?: boolean } = {}): Promise<DispatchResult> {
    const webhook = knownWebhook ?? (await this.deps.webhooks.get(delivery.accountId, delivery.webhookId));
    if (!webhook) return this.deadLetter(delivery, 'webhook_deleted');
    if (!webhook.enabled && !delivery.test) return this.deadLetter(delivery, 'endpoint_disabled');

    const now = this.deps.clock.now();
    let claimed = delivery;
    if (!options.claimed) {
      if (delivery.lease && Date.parse(delivery.lease.until) > now.getTime()) return { kind: 'skipped', why: 'busy' };
      claimed = { ...delivery, lease: this.lease(now), revision: delivery.revision + 1 };
      if (!(await this.deps.deliveries.replace(delivery, claimed))) return { kind: 'skipped', why: 'busy' };
    }

    const started = this.elapsed();
    let outcome: AttemptOutcome;
    try {
      const response = await this.deps.http.request({
        method: 'POST',
        url: webhook.url,
        headers: signedHeaders(webhook, delivery.id, delivery.body, now),
        body: delivery.body,
        timeoutMs: this.options.attemptTimeoutMs,
        maxResponseBytes: RESPONSE_EXCERPT_BYTES,
      });
      outcome = classifyResponse(response);
    } catch (error) {
      outcome = classifyError(error);
    }
    const latencyMs = Math.max(0, Math.round(this.elapsed() - started));
    const after = this.deps.clock.now();
    const decision = decideAfterAttempt({
      outcome,
      attemptInCycle: n - delivery.cycleStart,
      maxAttempts: delivery.maxAttempts,
      test: delivery.test,
      webhook,
      now: after,
      random: this.random,
      timeScale: this.options.timeScale,
      disableAfterMs: this.options.disableAfterMs,
    });
    const record: DeliveryAttempt = {
      attempt: n,
      attemptedAt: now.toISOString(),
      statusCode: outcome.statusCode,
      latencyMs,
      responseExcerpt: outcome.excerpt,
      responseTruncated: outcome.truncated,
      error: outcome.kind === 'failed' ? outcome.error : null,
      outcome: outcome.kind,
      nextAttemptAt: decision.nextAttemptAt?.toISOString() ?? null,
    };
    const next: Delivery = {
      ...claimed,
      status: decision.status,
      attempts: n,
      nextAttemptAt: record.nextAttemptAt,
      lastAttemptAt: record.attemptedAt,
      lastStatusCode: outcome.statusCode,
      deadLetterReason: decision.deadLetterReason,
      attemptLog: [...claimed.attemptLog, record].slice(-MAX_ATTEMPT_LOG),
      lease: null,
      revision: claimed.revision + 1,
      updatedAt: after.toISOString(),
    };
    if (!(await this.deps.deliveries.replace(claimed, next))) {
      // The lease ran out mid-attempt and another dispatcher took over; its record wins.
      this.deps.logger?.warn('webhook delivery: lease lost before recording', { delivery_id: delivery.id, attempt: n });
      return { kind: 'skipped', why: 'lost_lease' };
    }
    await this.applyToEndpoint(webhook, decision.endpoint, after);
    if (next.status === 'pending' && decision.nextAttemptAt) {
      await this.deps.queue.send([{ message: attemptMessage(next, n + 1), delayMs: hopDelay(decision.nextAttemptAt, after, this.options.maxHopMs) }]);
    }
    return { kind: 'attempted', status: next.status };
  }

  private lease(now: Date): NonNullable<Delivery['lease']> {
    return { token: randomUUID(), until: new Date(now.getTime() + this.options.leaseMs).toISOString() };
  }

  private async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<DispatchResult> {
    const next: Delivery = {
      ...delivery,
      status: 'dead_lettered',
      deadLetterReason: reason,
      nextAttemptAt: null,
      lease: null,
      revision: delivery.revision + 1,
      updatedAt: this.deps.clock.now().toISOString(),
    };
    if (!(await this.deps.deliveries.replace(delivery, next))) return { kind: 'skipped', why: 'busy' };
    return { kind: 'dead_lettered', reason };
  }

  private async applyToEndpoint(webhook: Webhook, action: EndpointAction, now: Date): Promise<void> {
    const at = now.toISOString();
    switch (action.kind) {
      case 'none':
        return;
      case 'start_failure_clock':
        return this.deps.webhooks.startFailureClock(webhook.accountId, webhook.id, action.since, at);
      case 'clear_failure_clock':
        return this.deps.webhooks.clearFailureClock(webhook.accountId, webhook.id, at);
      case 'disable':
        // The change feed turns this write into the owner's `webhook.disabled` event.
        if (await this.deps.webhooks.disable(webhook.accountId, webhook.id, action.reason, at)) {
          this.deps.logger?.info('webhook disabled', { account_id: webhook.accountId, webhook_id: webhook.id, reason: action.reason });
        }
        return;
    }
  }

  /**
   * Enqueues again every pending delivery due before the cut-off. The periodic sweep looks only at
   * deliveries overdue by more than the grace period (their message was lost: a crash between
   * recording an attempt and enqueueing the next, or a message dead-lettered by SQS); local mode
   * sweeps everything pending at start, because its in-process queue does not survive a restart.
   * Duplicates are harmless: an attempt message only acts while the item expects that attempt.
   */
  async sweep(options: { everything?: boolean } = {}): Promise<DispatchResult> {
    const now = this.deps.clock.now();
    // Year 9999, not Date's maximum: ISO strings of years past 9999 start with '+' and sort first.
    const before = options.everything ? new Date('9999-12-31T23:59:59.999Z') : new Date(now.getTime() - this.options.sweepGraceMs * this.options.timeScale);
    const due = await this.deps.deliveries.due(before, this.options.sweepLimit);
    const messages = due
      .filter((d) => d.status === 'pending' && !(d.lease && Date.parse(d.lease.until) > now.getTime()))
      .map((d) => ({ message: attemptMessage(d, d.attempts + 1), delayMs: d.nextAttemptAt ? hopDelay(new Date(d.nextAttemptAt), now, this.options.maxHopMs) : 0 }));
    if (messages.length > 0) await this.deps.queue.send(messages);
    return { kind: 'swept', enqueued: messages.length };
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item).catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  // Every webhook got its chance; one failure still fails the message, so the event is redelivered.
  if (errors.length > 0) throw errors[0];
}
