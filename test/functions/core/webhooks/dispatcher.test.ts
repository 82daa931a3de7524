import { createHmac, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../../functions/core/events/catalog.ts';
import { HttpFailure, type HttpRequest } from '../../../../functions/core/runner/ports.ts';
import { WebhookDispatcher } from '../../../../functions/core/webhooks/dispatcher.ts';
import type { QueueMessage } from '../../../../functions/core/webhooks/ports.ts';
import { RETRY_SCHEDULE_MS } from '../../../../functions/core/webhooks/schedule.ts';
import { WebhookService } from '../../../../functions/core/webhooks/webhook-service.ts';
import { deliveryIdFor, type Webhook } from '../../../../functions/core/webhooks/webhook.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';
import { MemoryDeliveries, MemoryQueue, MemoryWebhooks, ScriptedReceiver, type Reply } from '../../../support/memory-webhooks.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const H = 3_600_000;
const DAY = 24 * H;

/** Standard Webhooks verification written from the spec with node:crypto, not with the library under test. */
function signatureValid(req: HttpRequest, key: string): boolean {
  const id = req.headers['webhook-id']!;
  const timestamp = req.headers['webhook-timestamp']!;
  const expected = createHmac('sha256', Buffer.from(key.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${req.body}`)
    .digest('base64');
  return req.headers['webhook-signature']!.split(' ').includes(`v1,${expected}`);
}

function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    accountId: A,
    url: 'https://hooks.example.com/in',
    events: ['task.created'],
    description: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    secret: secret(),
    previousSecret: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

let seq = 0;
function event(overrides: Partial<DomainEvent> = {}): DomainEvent {
  seq++;
  return {
    id: `evt_01KQ${String(seq).padStart(22, '0')}`,
    event: 'task.created',
    timestamp: '2026-01-01T00:00:00.000Z',
    account_id: A,
    data: { task_id: 'task_1', name: `task ${seq}`, tags: ['x'], nested: { a: [1, 2] } },
    ...overrides,
  };
}

function setup(script: Reply[] = [{ status: 200 }], options: { random?: () => number } = {}) {
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const webhooks = new MemoryWebhooks();
  const deliveries = new MemoryDeliveries();
  const queue = new MemoryQueue();
  const receiver = new ScriptedReceiver(script);
  const dispatcher = new WebhookDispatcher({ webhooks, deliveries, queue, http: receiver, clock, random: options.random ?? (() => 0.5), elapsed: () => 0 });
  const service = new WebhookService({ webhooks, deliveries, queue, urlRules: { requireHttps: true, allowLoopback: false }, resolve: async () => [{ address: '93.184.216.34', family: 4 }], clock });
  /** Delivers queued messages in due order, moving the clock to each one's due time, until the queue is empty. */
  const pump = async (limit = 500) => {
    const waiting: { at: number; message: QueueMessage }[] = [];
    const intake = () => waiting.push(...queue.take().map(({ message, delayMs }) => ({ at: clock.now().getTime() + delayMs, message })));
    intake();
    for (let i = 0; i < limit && waiting.length > 0; i++) {
      waiting.sort((a, b) => a.at - b.at);
      const next = waiting.shift()!;
      clock.advance(Math.max(0, next.at - clock.now().getTime()));
      await dispatcher.handle(next.message);
      intake();
    }
  };
  return { clock, webhooks, deliveries, queue, receiver, dispatcher, service, pump };
}

describe('WebhookDispatcher', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('fans an event out to the account’s enabled, subscribed webhooks only, each attempted at once', async () => {
    const t = setup();
    const hooks = [
      webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA1' }),
      webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA2', events: ['*'] }),
      webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA3', events: ['workflow.completed'] }),
      webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA4', enabled: false, disabledReason: 'manual' }),
      webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA5', accountId: B }),
    ];
    for (const h of hooks) await t.webhooks.create(h, 50);
    expect(await t.dispatcher.handle({ kind: 'event', event: event() })).toEqual({ kind: 'fanned_out', deliveries: 2 });
    expect(t.receiver.requests).toHaveLength(2);
    expect([...t.deliveries.items.values()].map((d) => [d.webhookId, d.status, d.attempts]).toSorted()).toEqual([
      ['whk_01ARZ3NDEKTSV4RRFFQ69G5FA1', 'delivered', 1],
      ['whk_01ARZ3NDEKTSV4RRFFQ69G5FA2', 'delivered', 1],
    ]);
    expect(t.queue.sent).toEqual([]);
  });

  it('events that reach it together (one SQS or stream batch) share one read of each account’s webhooks; a later event reads again', async () => {
    const t = setup([{ status: 200 }, { status: 200 }, { status: 200 }, { status: 200 }, { status: 200 }]);
    await t.webhooks.create(webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA1' }), 50);
    await t.webhooks.create(webhook({ id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FA5', accountId: B }), 50);
    const reads: string[] = [];
    const all = t.webhooks.all.bind(t.webhooks);
    t.webhooks.all = async (accountId) => (reads.push(accountId), all(accountId));
    const results = await Promise.all([event(), event(), event({ account_id: B }), event()].map((e) => t.dispatcher.handle({ kind: 'event', event: e })));
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ kind: 'fanned_out', deliveries: 1 })));
    expect(reads.toSorted()).toEqual([A, B]);
    expect(t.receiver.requests).toHaveLength(4);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    expect(reads.toSorted()).toEqual([A, A, B]);
  });

  it('POSTs the envelope exactly, signed per Standard Webhooks (checked with node:crypto)', async () => {
    const t = setup();
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    const e = event();
    await t.dispatcher.handle({ kind: 'event', event: e });
    const [req] = t.receiver.requests;
    expect(req).toMatchObject({ method: 'POST', url: hook.url, timeoutMs: 15_000, maxResponseBytes: 1024 });
    expect(JSON.parse(req!.body!)).toEqual({ id: e.id, event: 'task.created', timestamp: e.timestamp, account_id: A, data: e.data });
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': deliveryIdFor(e.id, e.timestamp, hook.id),
      'webhook-timestamp': String(Date.parse('2026-01-01T00:00:00.000Z') / 1000),
    });
    expect(req!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(signatureValid(req!, hook.secret)).toBe(true);
    expect(signatureValid(req!, secret())).toBe(false);
    expect(signatureValid({ ...req!, body: req!.body!.replace('task 1', 'task 2') }, hook.secret)).toBe(false);
  });

  it('fans a redelivered event out once: the same delivery id, no second request', async () => {
    const t = setup();
    await t.webhooks.create(webhook(), 50);
    const e = event();
    await t.dispatcher.handle({ kind: 'event', event: e });
    await t.dispatcher.handle({ kind: 'event', event: e });
    expect(t.receiver.requests).toHaveLength(1);
    expect(t.deliveries.items.size).toBe(1);
  });

  it('retries on the schedule (hopping ≤ 15 min at a time), same webhook-id and body, then dead-letters', async () => {
    const t = setup([{ status: 500, body: 'x'.repeat(3000) }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    const start = t.clock.now().getTime();
    await t.dispatcher.handle({ kind: 'event', event: event() });
    // Every message is delayed at most SQS's 15 minutes.
    const delays: number[] = [];
    const queued = t.queue.send.bind(t.queue);
    t.queue.send = async (messages) => {
      delays.push(...messages.map((m) => m.delayMs));
      return queued(messages);
    };
    await t.pump();
    const times = t.receiver.requests.map((r) => Number(r.headers['webhook-timestamp']) * 1000 - start);
    let sum = 0;
    expect(times).toEqual(RETRY_SCHEDULE_MS.map((d) => (sum += d)));
    expect(Math.max(...delays)).toBe(900_000);
    expect(new Set(t.receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(t.receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(t.receiver.requests.every((r) => signatureValid(r, hook.secret))).toBe(true);
    const d = t.deliveries.single();
    expect(d).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'exhausted', attempts: 8, nextAttemptAt: null, lastStatusCode: 500 });
    expect(d.attemptLog.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(d.attemptLog[0]).toMatchObject({ statusCode: 500, outcome: 'failed', responseTruncated: true, nextAttemptAt: new Date(start + 5_000).toISOString() });
    expect(d.attemptLog[0]!.responseExcerpt).toHaveLength(1024);
    expect(d.attemptLog[7]!.nextAttemptAt).toBeNull();
    // The endpoint's failure clock started with the first failure (27.6 h is far from 5 days).
    expect((await t.webhooks.get(A, hook.id))!).toMatchObject({ enabled: true, failingSince: new Date(start).toISOString() });
  });

  it('delivers once the receiver recovers, and clears the failure clock', async () => {
    const t = setup([new HttpFailure('timeout', 'the request timed out after 15000 ms'), { status: 503 }, { status: 200, body: 'ok' }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    expect((await t.webhooks.get(A, hook.id))!.failingSince).not.toBeNull();
    await t.pump();
    const d = t.deliveries.single();
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(d.attemptLog.map((a) => [a.statusCode, a.outcome, a.error?.split(':')[0] ?? null, a.responseExcerpt])).toEqual([
      [null, 'failed', 'timeout', null],
      [503, 'failed', null, ''],
      [200, 'succeeded', null, 'ok'],
    ]);
    expect((await t.webhooks.get(A, hook.id))!.failingSince).toBeNull();
  });

  it('a 410 disables the endpoint at once; its other pending deliveries are dead-lettered when due, new events skip it', async () => {
    const t = setup([{ status: 500 }, { status: 410 }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    await t.dispatcher.handle({ kind: 'event', event: event() });
    // The first failed (retry queued), the second met 410.
    const [first, second] = [...t.deliveries.items.values()].toSorted((a, b) => (a.createdAt + a.eventId < b.createdAt + b.eventId ? -1 : 1));
    expect(second).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'gone', lastStatusCode: 410 });
    expect((await t.webhooks.get(A, hook.id))!).toMatchObject({ enabled: false, disabledReason: 'gone', disabledAt: t.clock.now().toISOString() });
    await t.pump();
    expect(t.receiver.requests).toHaveLength(2);
    expect((await t.deliveries.get(A, hook.id, first!.id))!).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'endpoint_disabled', attempts: 1 });
    await t.dispatcher.handle({ kind: 'event', event: event() });
    expect(t.receiver.requests).toHaveLength(2);
  });

  it('an endpoint failing without a break for 5 days is disabled (reason failing); any success resets the clock', async () => {
    const t = setup([{ status: 500 }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    const start = t.clock.now().getTime();
    // A new event every 12 hours; each delivery runs its whole schedule (27.6 h) and fails.
    for (let i = 0; i < 12 && (await t.webhooks.get(A, hook.id))!.enabled; i++) {
      t.clock.advance(Math.max(0, start + i * 12 * H - t.clock.now().getTime()));
      await t.dispatcher.handle({ kind: 'event', event: event({ timestamp: t.clock.now().toISOString() }) });
      // Run the queue only up to the next event.
      const until = start + (i + 1) * 12 * H;
      const waiting = t.queue.take().map((m) => ({ ...m, at: t.clock.now().getTime() + m.delayMs }));
      while (waiting.length) {
        waiting.sort((a, b) => a.at - b.at);
        if (waiting[0]!.at > until) break;
        const next = waiting.shift()!;
        t.clock.advance(Math.max(0, next.at - t.clock.now().getTime()));
        await t.dispatcher.handle(next.message);
        waiting.push(...t.queue.take().map((m) => ({ ...m, at: t.clock.now().getTime() + m.delayMs })));
      }
      await t.queue.send(waiting.map((w) => ({ message: w.message, delayMs: w.at - t.clock.now().getTime() })));
    }
    const after = (await t.webhooks.get(A, hook.id))!;
    expect(after).toMatchObject({ enabled: false, disabledReason: 'failing', failingSince: new Date(start).toISOString() });
    const disabledAt = Date.parse(after.disabledAt!);
    expect(disabledAt - start).toBeGreaterThanOrEqual(5 * DAY);
    expect(disabledAt - start).toBeLessThan(5 * DAY + 12 * H);
    // The attempt that tripped it is dead-lettered as endpoint_disabled.
    expect([...t.deliveries.items.values()].filter((d) => d.deadLetterReason === 'endpoint_disabled').length).toBeGreaterThan(0);
    // Re-enabling (PATCH enabled: true) resets the clock.
    const { webhook: reenabled } = await t.service.update(principal({ accountId: A }), hook.id, { enabled: true });
    expect(reenabled).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
  });

  it('a replay of a dead-lettered delivery starts a new cycle with the same id and body, and is delivered', async () => {
    const t = setup([{ status: 500 }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    await t.pump();
    const dead = t.deliveries.single();
    expect(dead.status).toBe('dead_lettered');
    t.receiver.requests.length = 0;
    (t.receiver as unknown as { script: Reply[] }).script = [{ status: 200 }];
    const replayed = await t.service.retry(principal({ accountId: A }), hook.id, dead.id);
    expect(replayed).toMatchObject({ status: 'pending', cycleStart: 8, deadLetterReason: null });
    await t.pump();
    expect(t.deliveries.single()).toMatchObject({ status: 'delivered', attempts: 9, cycleStart: 8 });
    expect(t.receiver.requests).toHaveLength(1);
    expect(t.receiver.requests[0]!.headers['webhook-id']).toBe(dead.id);
    expect(t.receiver.requests[0]!.body).toBe(dead.body);
  });

  it('a replay that fails again follows the whole schedule again', async () => {
    const t = setup([{ status: 500 }]);
    await t.webhooks.create(webhook(), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    await t.pump();
    await t.service.retry(principal({ accountId: A }), webhook().id, t.deliveries.single().id);
    await t.pump();
    expect(t.deliveries.single()).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'exhausted', attempts: 16 });
    expect(t.receiver.requests).toHaveLength(16);
  });

  it('duplicate attempt messages send once (the item expects one attempt; the lease keeps out a concurrent one)', async () => {
    const t = setup([{ status: 500 }, { status: 200 }]);
    await t.webhooks.create(webhook(), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    const [retry] = t.queue.take();
    t.clock.advance(retry!.delayMs);
    const results = await Promise.all([t.dispatcher.handle(retry!.message), t.dispatcher.handle(retry!.message), t.dispatcher.handle(retry!.message)]);
    expect(t.receiver.requests).toHaveLength(2);
    expect(results.filter((r) => r.kind === 'attempted')).toHaveLength(1);
    expect(await t.dispatcher.handle(retry!.message)).toEqual({ kind: 'skipped', why: 'finished' });
  });

  it('an attempt message that arrives early hops again instead of sending', async () => {
    const t = setup([{ status: 500 }]);
    await t.webhooks.create(webhook(), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    const [retry] = t.queue.take();
    expect(await t.dispatcher.handle(retry!.message)).toEqual({ kind: 'hopped', delayMs: 5_000 });
    expect(t.receiver.requests).toHaveLength(1);
  });

  it('a claimed attempt whose dispatcher died is taken over once the lease runs out', async () => {
    const t = setup([{ status: 500 }, { status: 200 }]);
    await t.webhooks.create(webhook(), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    const [retry] = t.queue.take();
    t.clock.advance(retry!.delayMs);
    // A dispatcher claims the attempt and dies before sending: the item keeps its lease.
    const d = t.deliveries.single();
    await t.deliveries.replace(d, { ...d, lease: { token: 'dead', until: new Date(t.clock.now().getTime() + 45_000).toISOString() }, revision: d.revision + 1 });
    expect(await t.dispatcher.handle(retry!.message)).toEqual({ kind: 'skipped', why: 'busy' });
    // SQS redelivers the message after the visibility timeout, longer than the lease.
    t.clock.advance(6 * 60_000);
    expect(await t.dispatcher.handle(retry!.message)).toEqual({ kind: 'attempted', status: 'delivered' });
  });

  it('the sweep re-enqueues a pending delivery whose message was lost; local start re-enqueues every pending one', async () => {
    const t = setup([{ status: 500 }, { status: 200 }]);
    await t.webhooks.create(webhook(), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    t.queue.take(); // lost
    expect(await t.dispatcher.sweep()).toEqual({ kind: 'swept', enqueued: 0 });
    expect(await t.dispatcher.sweep({ everything: true })).toEqual({ kind: 'swept', enqueued: 1 });
    t.queue.take();
    // Overdue by more than the grace period: the periodic sweep finds it.
    t.clock.advance(5_000 + 5 * 60_000 + 1);
    expect(await t.dispatcher.handle({ kind: 'sweep' })).toEqual({ kind: 'swept', enqueued: 1 });
    await t.pump();
    expect(t.deliveries.single()).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('dead-letters a pending delivery whose webhook was deleted, without sending', async () => {
    const t = setup([{ status: 500 }]);
    const hook = webhook();
    await t.webhooks.create(hook, 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    await t.webhooks.delete((await t.webhooks.get(A, hook.id))!);
    await t.pump();
    expect(t.receiver.requests).toHaveLength(1);
    expect(t.deliveries.single()).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'webhook_deleted' });
  });

  it('signs with both secrets while a rotation’s grace period lasts, then only the new one', async () => {
    const t = setup();
    const old = secret();
    const fresh = secret();
    await t.webhooks.create(webhook({ secret: fresh, previousSecret: { secret: old, expiresAt: '2026-01-02T00:00:00.000Z' } }), 50);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    const [during] = t.receiver.requests;
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(signatureValid(during!, fresh) && signatureValid(during!, old)).toBe(true);
    t.clock.advance(DAY);
    await t.dispatcher.handle({ kind: 'event', event: event() });
    const after = t.receiver.requests[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(signatureValid(after, fresh)).toBe(true);
    expect(signatureValid(after, old)).toBe(false);
  });

  it('a test ping is attempted once, recorded, and leaves the endpoint alone even on 410', async () => {
    const t = setup([{ status: 410 }]);
    const { webhook: hook, secret: key } = await t.service.create(principal({ accountId: A }), { url: 'https://hooks.example.com/in', events: ['task.created'] });
    const ping = await t.service.test(principal({ accountId: A }), hook.id);
    expect(ping).toMatchObject({ test: true, maxAttempts: 1, eventType: 'webhook.test', status: 'pending' });
    await t.pump();
    expect(t.receiver.requests).toHaveLength(1);
    expect(signatureValid(t.receiver.requests[0]!, key!)).toBe(true);
    expect(JSON.parse(t.receiver.requests[0]!.body!)).toMatchObject({ event: 'webhook.test', account_id: A, data: { webhook_id: hook.id } });
    expect(t.deliveries.single()).toMatchObject({ status: 'dead_lettered', deadLetterReason: 'gone', attempts: 1 });
    expect((await t.webhooks.get(A, hook.id))!).toMatchObject({ enabled: true, failingSince: null });
  });
});
