import type { Clock } from '../clock.ts';
import { conflict, notFound, validationError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import { attemptMessage, newDelivery } from './dispatcher.ts';
import type { DeliveryFilter, DeliveryQueue, DeliveryRepository, WebhookRepository } from './ports.ts';
import { generateWebhookSecret, validWebhookSecret } from './secrets.ts';
import { checkWebhookUrl, type HostResolver, type WebhookUrlRules } from './url-policy.ts';
import {
  isDeliveryId,
  MAX_WEBHOOKS_PER_ACCOUNT,
  normaliseSubscriptions,
  WEBHOOK_TEST_EVENT,
  type Delivery,
  type Envelope,
  type Subscription,
  type Webhook,
} from './webhook.ts';

export interface NewWebhookInput {
  readonly url: string;
  readonly events: readonly Subscription[];
  readonly secret?: string | undefined;
  readonly description?: string | null | undefined;
  readonly enabled?: boolean | undefined;
}

export interface WebhookChanges {
  readonly url?: string | undefined;
  readonly events?: readonly Subscription[] | undefined;
  readonly description?: string | null | undefined;
  readonly enabled?: boolean | undefined;
  /** Replace the secret with this one. */
  readonly secret?: string | undefined;
  /** Replace the secret with a generated one (returned once, in the response). */
  readonly rotateSecret?: boolean | undefined;
}

/** The webhook, plus its secret when this call created or rotated it (the only time it is shown). */
export interface WebhookWithSecret {
  readonly webhook: Webhook;
  readonly secret: string | undefined;
}

export interface WebhookServiceDeps {
  readonly webhooks: WebhookRepository;
  readonly deliveries: DeliveryRepository;
  readonly queue: DeliveryQueue;
  readonly urlRules: WebhookUrlRules;
  readonly resolve: HostResolver;
  readonly clock: Clock;
  readonly generateSecret?: () => string;
  /** How long the previous secret keeps signing after a rotation. */
  readonly rotationGraceMs?: number;
}

const MAX_WRITE_ATTEMPTS = 3;
export const ROTATION_GRACE_MS = 24 * 3_600_000;

/** The webhooks API: subscriptions, their delivery log, replays and test pings. */
export class WebhookService {
  private readonly generateSecret: () => string;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.generateSecret = deps.generateSecret ?? (() => generateWebhookSecret());
  }

  async create(principal: Principal, input: NewWebhookInput): Promise<WebhookWithSecret> {
    const url = await this.checkUrl(input.url);
    const secret = input.secret === undefined ? this.generateSecret() : this.checkSecret(input.secret);
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const enabled = input.enabled ?? true;
    const webhook: Webhook = {
      id: newId('webhook', now.getTime()),
      accountId: principal.accountId,
      url,
      events: normaliseSubscriptions(input.events),
      description: input.description ?? null,
      enabled,
      disabledReason: enabled ? null : 'manual',
      disabledAt: enabled ? null : at,
      failingSince: null,
      secret,
      previousSecret: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    if (!(await this.deps.webhooks.create(webhook, MAX_WEBHOOKS_PER_ACCOUNT))) {
      throw conflict(`An account can have at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks; delete one first`);
    }
    return { webhook, secret };
  }

  async get(principal: Principal, webhookId: string): Promise<Webhook> {
    const webhook = isId('webhook', webhookId) ? await this.deps.webhooks.get(principal.accountId, webhookId) : undefined;
    if (!webhook) throw notFound('Webhook', webhookId);
    return webhook;
  }

  list(principal: Principal, page: PageRequest): Promise<Page<Webhook>> {
    return this.deps.webhooks.list(principal.accountId, page);
  }

  /**
   * Re-enabling clears the failure clock (the endpoint gets a fresh 5 days); disabling by hand is
   * reason `manual`. A new or rotated secret is returned once; the old one keeps signing alongside
   * it for 24 hours so receivers can switch without dropping deliveries.
   */
  async update(principal: Principal, webhookId: string, changes: WebhookChanges, expectedVersion?: number): Promise<WebhookWithSecret> {
    if (changes.secret !== undefined && changes.rotateSecret) throw validationError('rotate_secret', 'Send either secret or rotate_secret, not both');
    const url = changes.url === undefined ? undefined : await this.checkUrl(changes.url);
    const newSecret = changes.secret !== undefined ? this.checkSecret(changes.secret) : changes.rotateSecret ? this.generateSecret() : undefined;
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(principal, webhookId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw stale(current);
      const now = this.deps.clock.now();
      const at = now.toISOString();
      const next: Webhook = {
        ...current,
        ...(url !== undefined ? { url } : {}),
        ...(changes.events !== undefined ? { events: normaliseSubscriptions(changes.events) } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...enabledChange(current, changes.enabled, at),
        ...(newSecret !== undefined
          ? { secret: newSecret, previousSecret: { secret: current.secret, expiresAt: new Date(now.getTime() + (this.deps.rotationGraceMs ?? ROTATION_GRACE_MS)).toISOString() } }
          : {}),
        updatedAt: at,
        version: current.version + 1,
      };
      if (await this.deps.webhooks.update(current, next)) return { webhook: next, secret: newSecret };
      if (expectedVersion !== undefined) throw stale(current);
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('The webhook is being modified concurrently; retry the request');
    }
  }

  /** Pending deliveries of a deleted webhook are dead-lettered when they come due; the log expires with them. */
  async delete(principal: Principal, webhookId: string, expectedVersion?: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(principal, webhookId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw stale(current);
      if (await this.deps.webhooks.delete(current)) return;
      if (expectedVersion !== undefined) throw stale(current);
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('The webhook is being modified concurrently; retry the request');
    }
  }

  async deliveries(principal: Principal, webhookId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    const webhook = await this.get(principal, webhookId);
    return this.deps.deliveries.list(webhook.accountId, webhook.id, filter, page);
  }

  /**
   * Sends a delivery again as a new cycle of the schedule (same body, same `webhook-id`, so
   * receivers that dedupe still can): a dead-lettered one, a delivered one, or a pending one whose
   * next attempt is hours away.
   */
  async retry(principal: Principal, webhookId: string, deliveryId: string): Promise<Delivery> {
    const webhook = await this.get(principal, webhookId);
    for (let attempt = 1; ; attempt++) {
      const current = isDeliveryId(deliveryId) ? await this.deps.deliveries.get(webhook.accountId, webhook.id, deliveryId) : undefined;
      if (!current) throw notFound('Delivery', deliveryId);
      if (!webhook.enabled && !current.test) throw conflict('The webhook is disabled; enable it (PATCH enabled: true) before replaying its deliveries', 'enabled');
      const now = this.deps.clock.now();
      if (current.lease && Date.parse(current.lease.until) > now.getTime()) throw conflict('An attempt of this delivery is in flight; retry in a few seconds');
      const next: Delivery = {
        ...current,
        status: 'pending',
        cycleStart: current.attempts,
        nextAttemptAt: now.toISOString(),
        deadLetterReason: null,
        revision: current.revision + 1,
        updatedAt: now.toISOString(),
      };
      if (await this.deps.deliveries.replace(current, next)) {
        await this.deps.queue.send([{ message: attemptMessage(next, next.attempts + 1), delayMs: 0 }]);
        return next;
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('The delivery is being updated concurrently; retry the request');
    }
  }

  /**
   * A `webhook.test` ping through the same signed, recorded path as real events, attempted once
   * (no retries, and it never moves the endpoint's failure clock). Allowed on a disabled webhook,
   * so an endpoint can be checked before it is enabled again.
   */
  async test(principal: Principal, webhookId: string): Promise<Delivery> {
    const webhook = await this.get(principal, webhookId);
    const now = this.deps.clock.now();
    const envelope: Envelope = {
      id: newId('event', now.getTime()),
      event: WEBHOOK_TEST_EVENT,
      timestamp: now.toISOString(),
      account_id: webhook.accountId,
      data: { webhook_id: webhook.id, url: webhook.url, message: 'A test delivery from Stepwise: if you can read this, your endpoint works.' },
    };
    const delivery = newDelivery(envelope, webhook, now, { test: true });
    await this.deps.deliveries.createIfAbsent(delivery);
    await this.deps.queue.send([{ message: attemptMessage(delivery, 1), delayMs: 0 }]);
    return delivery;
  }

  private async checkUrl(raw: string): Promise<string> {
    const check = await checkWebhookUrl(raw, this.deps.urlRules, this.deps.resolve);
    if (!check.ok) throw validationError('url', check.message);
    return check.url;
  }

  private checkSecret(secret: string): string {
    if (!validWebhookSecret(secret)) {
      throw validationError('secret', 'secret must be 8 to 256 characters, or "whsec_" followed by base64 of 8 to 64 bytes (leave it out and Stepwise generates one)');
    }
    return secret;
  }
}

function enabledChange(current: Webhook, enabled: boolean | undefined, at: string): Partial<Webhook> {
  if (enabled === undefined || enabled === current.enabled) return {};
  if (enabled) return { enabled: true, disabledReason: null, disabledAt: null, failingSince: null };
  return { enabled: false, disabledReason: 'manual', disabledAt: at };
}

function stale(current: Webhook) {
  return conflict(`The webhook has changed (now version ${current.version}); fetch it and retry`, 'version');
}
