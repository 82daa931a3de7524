import type { Page, PageRequest } from '../../functions/core/pagination.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../functions/core/runner/ports.ts';
import type { DeliveryFilter, DeliveryQueue, DeliveryRepository, QueueMessage, WebhookRepository } from '../../functions/core/webhooks/ports.ts';
import type { Delivery, Webhook } from '../../functions/core/webhooks/webhook.ts';

/** In-memory webhooks with the DynamoDB repository's contract (version checks, limit, targeted updates). */
export class MemoryWebhooks implements WebhookRepository {
  readonly items = new Map<string, Webhook>();
  private key = (a: string, id: string) => `${a}/${id}`;

  async create(webhook: Webhook, limit: number) {
    if ([...this.items.values()].filter((w) => w.accountId === webhook.accountId).length >= limit) return false;
    this.items.set(this.key(webhook.accountId, webhook.id), webhook);
    return true;
  }
  async get(accountId: string, id: string) {
    return this.items.get(this.key(accountId, id));
  }
  async update(previous: Webhook, next: Webhook) {
    const current = this.items.get(this.key(previous.accountId, previous.id));
    if (!current || current.version !== previous.version) return false;
    this.items.set(this.key(next.accountId, next.id), next);
    return true;
  }
  async delete(previous: Webhook) {
    const current = this.items.get(this.key(previous.accountId, previous.id));
    if (!current || current.version !== previous.version) return false;
    this.items.delete(this.key(previous.accountId, previous.id));
    return true;
  }
  async list(accountId: string, page: PageRequest): Promise<Page<Webhook>> {
    const all = (await this.all(accountId)).toSorted((a, b) => (a.id < b.id ? 1 : -1));
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }
  async all(accountId: string) {
    return [...this.items.values()].filter((w) => w.accountId === accountId);
  }
  private patch(accountId: string, id: string, change: (w: Webhook) => Webhook | undefined) {
    const current = this.items.get(this.key(accountId, id));
    const next = current && change(current);
    if (!next) return false;
    this.items.set(this.key(accountId, id), { ...next, version: next.version + 1 });
    return true;
  }
  async startFailureClock(accountId: string, id: string, since: string, now: string) {
    this.patch(accountId, id, (w) => (w.failingSince ? undefined : { ...w, failingSince: since, updatedAt: now }));
  }
  async clearFailureClock(accountId: string, id: string, now: string) {
    this.patch(accountId, id, (w) => (w.failingSince ? { ...w, failingSince: null, updatedAt: now } : undefined));
  }
  async disable(accountId: string, id: string, reason: 'gone' | 'failing', now: string) {
    return this.patch(accountId, id, (w) => (w.enabled ? { ...w, enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now } : undefined));
  }
}

export class MemoryDeliveries implements DeliveryRepository {
  readonly items = new Map<string, Delivery>();
  /** Runs before each conditional replace: lets a test slip in a concurrent writer. */
  beforeReplace: ((previous: Delivery, next: Delivery) => void) | undefined;
  private key = (a: string, w: string, id: string) => `${a}/${w}/${id}`;

  async createIfAbsent(d: Delivery) {
    const key = this.key(d.accountId, d.webhookId, d.id);
    if (this.items.has(key)) return false;
    this.items.set(key, d);
    return true;
  }
  async get(accountId: string, webhookId: string, id: string) {
    return this.items.get(this.key(accountId, webhookId, id));
  }
  async replace(previous: Delivery, next: Delivery) {
    this.beforeReplace?.(previous, next);
    const key = this.key(previous.accountId, previous.webhookId, previous.id);
    if (this.items.get(key)?.revision !== previous.revision) return false;
    this.items.set(key, next);
    return true;
  }
  async list(accountId: string, webhookId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    const all = [...this.items.values()]
      .filter((d) => d.accountId === accountId && d.webhookId === webhookId && (!filter.status || d.status === filter.status))
      .toSorted((a, b) => (a.id < b.id ? 1 : -1));
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }
  async due(before: Date, limit: number) {
    return [...this.items.values()]
      .filter((d) => d.status === 'pending' && (d.nextAttemptAt ?? '') <= before.toISOString())
      .toSorted((a, b) => ((a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : 1))
      .slice(0, limit);
  }
  single(): Delivery {
    const all = [...this.items.values()];
    if (all.length !== 1) throw new Error(`expected one delivery, found ${all.length}`);
    return all[0]!;
  }
}

/** Records what is enqueued; `take()` hands the messages over (as SQS would, after their delay). */
export class MemoryQueue implements DeliveryQueue {
  readonly sent: { message: QueueMessage; delayMs: number }[] = [];
  async send(messages: ReadonlyArray<{ message: QueueMessage; delayMs: number }>) {
    // Serialised like SQS, so no test shares objects with the dispatcher.
    this.sent.push(...messages.map((m) => ({ message: JSON.parse(JSON.stringify(m.message)) as QueueMessage, delayMs: m.delayMs })));
  }
  take() {
    return this.sent.splice(0);
  }
}

export type Reply = { status: number; body?: string } | Error;

/** A receiver that answers from a script (then keeps answering with the last reply), remembering each request. */
export class ScriptedReceiver implements HttpClient {
  readonly requests: HttpRequest[] = [];
  constructor(private readonly script: Reply[]) {}
  async request(req: HttpRequest): Promise<HttpResponse> {
    this.requests.push(req);
    const reply = this.script.length > 1 ? this.script.shift()! : this.script[0]!;
    if (reply instanceof Error) throw reply;
    const body = reply.body ?? '';
    return { status: reply.status, headers: {}, body: body.slice(0, req.maxResponseBytes), truncated: body.length > req.maxResponseBytes, url: req.url };
  }
}
