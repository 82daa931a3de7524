import { encodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import { checkWebhookUrl, type HostResolver } from '../../../../functions/core/webhooks/url-policy.ts';
import { WebhookService } from '../../../../functions/core/webhooks/webhook-service.ts';
import { webhookChanges } from '../../../../functions/core/webhooks/change-mapper.ts';
import { parseQueueMessage, MalformedMessage } from '../../../../functions/core/webhooks/messages.ts';
import { generateWebhookSecret, validWebhookSecret } from '../../../../functions/core/webhooks/secrets.ts';
import { deliveryIdFor, isDeliveryId, type Webhook } from '../../../../functions/core/webhooks/webhook.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';
import { MemoryDeliveries, MemoryQueue, MemoryWebhooks } from '../../../support/memory-webhooks.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const owner = principal({ accountId: A });
const stranger = principal({ accountId: B });
const PUBLIC: HostResolver = async () => [{ address: '93.184.216.34', family: 4 }];

function setup(options: { requireHttps?: boolean; allowLoopback?: boolean; resolve?: HostResolver } = {}) {
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const webhooks = new MemoryWebhooks();
  const deliveries = new MemoryDeliveries();
  const queue = new MemoryQueue();
  const service = new WebhookService({
    webhooks,
    deliveries,
    queue,
    urlRules: { requireHttps: options.requireHttps ?? true, allowLoopback: options.allowLoopback ?? false },
    resolve: options.resolve ?? PUBLIC,
    clock,
  });
  return { clock, webhooks, deliveries, queue, service };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; field: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('WebhookService', () => {
  it('creates a webhook with a generated whsec_ secret of 32 random bytes, returned with it', async () => {
    const { service } = setup();
    const { webhook, secret } = await service.create(owner, { url: 'https://example.com/hook', events: ['task.created', 'task.created', 'task.updated'] });
    expect(webhook).toMatchObject({ accountId: A, url: 'https://example.com/hook', events: ['task.created', 'task.updated'], enabled: true, version: 1, failingSince: null });
    expect(webhook.id).toMatch(/^whk_[0-9A-Z]{26}$/);
    expect(secret).toBe(webhook.secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret!.slice(6), 'base64')).toHaveLength(32);
  });

  it('keeps a caller’s secret (the seeds’ text secrets too), refuses one too short to be a key (naming the field)', async () => {
    const { service } = setup();
    for (const mine of [generateWebhookSecret(), 'webhook_secret', 'whsec_your_webhook_secret']) {
      expect((await service.create(owner, { url: 'https://example.com/hook', events: ['*'], secret: mine })).secret).toBe(mine);
    }
    for (const bad of ['short', 'whsec_', `whsec_${Buffer.alloc(4).toString('base64')}`]) {
      expect(await refusal(service.create(owner, { url: 'https://example.com/hook', events: ['*'], secret: bad }))).toMatchObject({ code: 'validation_error', field: 'secret' });
    }
  });

  it('"*" swallows the other event types', async () => {
    const { service } = setup();
    expect((await service.create(owner, { url: 'https://example.com/hook', events: ['task.created', '*'] })).webhook.events).toEqual(['*']);
  });

  it('refuses URLs that are malformed, not https on AWS, or point inside the network (field url)', async () => {
    const { service } = setup({ resolve: async (host) => (host === 'internal.example.com' ? [{ address: '10.0.0.7', family: 4 }] : [{ address: '93.184.216.34', family: 4 }]) });
    const cases: [string, RegExp][] = [
      ['not a url', /not a valid absolute URL/],
      ['ftp://example.com/x', /scheme ftp/],
      ['http://example.com/hook', /must use https/],
      ['https://user:pw@example.com/hook', /credentials/],
      ['https://127.0.0.1/hook', /loopback/],
      ['https://169.254.169.254/latest/meta-data', /link-local or cloud metadata/],
      ['https://[::ffff:10.1.2.3]/hook', /private/],
      ['https://0x7f.1/hook', /loopback/],
      ['https://internal.example.com/hook', /internal\.example\.com \(10\.0\.0\.7\).*private/],
      [`https://example.com/${'a'.repeat(2100)}`, /at most 2048/],
    ];
    for (const [url, message] of cases) {
      const refused = await refusal(service.create(owner, { url, events: ['*'] }));
      expect(refused, url).toMatchObject({ code: 'validation_error', field: 'url' });
      expect(refused.message, url).toMatch(message);
    }
  });

  it('local mode takes http and loopback receivers; metadata stays blocked; an unresolvable name is accepted', async () => {
    const local = setup({ requireHttps: false, allowLoopback: true, resolve: async () => [] });
    expect((await local.service.create(owner, { url: 'http://127.0.0.1:9999/hook', events: ['*'] })).webhook.url).toBe('http://127.0.0.1:9999/hook');
    expect((await local.service.create(owner, { url: 'http://not-yet-registered.example/hook', events: ['*'] })).webhook.url).toBe('http://not-yet-registered.example/hook');
    expect(await refusal(local.service.create(owner, { url: 'http://169.254.169.254/', events: ['*'] }))).toMatchObject({ field: 'url' });
  });

  it('limits an account to 50 webhooks (409)', async () => {
    const { service } = setup();
    for (let i = 0; i < 50; i++) await service.create(owner, { url: `https://example.com/${i}`, events: ['*'] });
    expect(await refusal(service.create(owner, { url: 'https://example.com/51', events: ['*'] }))).toMatchObject({ code: 'conflict' });
    await service.create(stranger, { url: 'https://example.com/other', events: ['*'] });
  });

  it('another account’s webhook (or a malformed id) is a 404, for every operation', async () => {
    const { service } = setup();
    const { webhook } = await service.create(owner, { url: 'https://example.com/hook', events: ['*'] });
    const ops = [
      service.get(stranger, webhook.id),
      service.update(stranger, webhook.id, { enabled: false }),
      service.delete(stranger, webhook.id),
      service.deliveries(stranger, webhook.id, {}, { limit: 20, offset: 0, cursor: undefined }),
      service.retry(stranger, webhook.id, deliveryIdFor('evt_01ARZ3NDEKTSV4RRFFQ69G5FAV', '2026-01-01T00:00:00Z', webhook.id)),
      service.test(stranger, webhook.id),
      service.get(owner, 'not-an-id'),
    ];
    for (const op of ops) expect(await refusal(op)).toMatchObject({ code: 'not_found' });
    expect(await service.get(owner, webhook.id)).toEqual(webhook);
  });

  it('PATCH disables by hand (manual), re-enabling resets the failure clock; a stale version is a 409', async () => {
    const { service, webhooks } = setup();
    const { webhook } = await service.create(owner, { url: 'https://example.com/hook', events: ['*'] });
    await webhooks.startFailureClock(A, webhook.id, '2025-12-30T00:00:00.000Z', '2025-12-30T00:00:00.000Z');
    await webhooks.disable(A, webhook.id, 'failing', '2026-01-01T00:00:00.000Z');
    const disabled = (await webhooks.get(A, webhook.id))!;
    expect(await refusal(service.update(owner, webhook.id, { events: ['task.created'] }, 1))).toMatchObject({ code: 'conflict', field: 'version' });
    const { webhook: enabled, secret } = await service.update(owner, webhook.id, { enabled: true, url: 'https://example.com/v2' }, disabled.version);
    expect(secret).toBeUndefined();
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null, url: 'https://example.com/v2', version: disabled.version + 1 });
    const { webhook: off } = await service.update(owner, webhook.id, { enabled: false });
    expect(off).toMatchObject({ enabled: false, disabledReason: 'manual', disabledAt: '2026-01-01T00:00:00.000Z' });
  });

  it('rotating the secret returns the new one once and keeps the old one signing for 24 hours', async () => {
    const { service } = setup();
    const { webhook, secret: first } = await service.create(owner, { url: 'https://example.com/hook', events: ['*'] });
    const { webhook: rotated, secret } = await service.update(owner, webhook.id, { rotateSecret: true });
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(first);
    expect(rotated.previousSecret).toEqual({ secret: first, expiresAt: '2026-01-02T00:00:00.000Z' });
    expect(await refusal(service.update(owner, webhook.id, { rotateSecret: true, secret: generateWebhookSecret() }))).toMatchObject({ field: 'rotate_secret' });
    expect(await refusal(service.update(owner, webhook.id, { secret: 'short' }))).toMatchObject({ field: 'secret' });
  });

  it('replaying needs an enabled webhook, and a delivery that is not mid-attempt', async () => {
    const { service, deliveries, clock } = setup();
    const { webhook } = await service.create(owner, { url: 'https://example.com/hook', events: ['*'] });
    const ping = await service.test(owner, webhook.id);
    await deliveries.replace(ping, { ...ping, lease: { token: 't', until: new Date(clock.now().getTime() + 30_000).toISOString() }, revision: ping.revision + 1 });
    expect(await refusal(service.retry(owner, webhook.id, ping.id))).toMatchObject({ code: 'conflict' });
    expect(await refusal(service.retry(owner, webhook.id, 'dlv_nope'))).toMatchObject({ code: 'not_found' });
  });
});

describe('webhook helpers', () => {
  it('delivery ids are deterministic per (event, webhook), ULID-shaped, and sort by the event’s time', () => {
    const a = deliveryIdFor('evt_01KQ0000000000000000000001', '2026-01-01T00:00:00Z', 'whk_1');
    expect(a).toBe(deliveryIdFor('evt_01KQ0000000000000000000001', '2026-01-01T00:00:00Z', 'whk_1'));
    expect(a).not.toBe(deliveryIdFor('evt_01KQ0000000000000000000001', '2026-01-01T00:00:00Z', 'whk_2'));
    expect(isDeliveryId(a)).toBe(true);
    expect(deliveryIdFor('evt_01ARZ3NDEKTSV4RRFFQ69G5FAV', '', 'w') < deliveryIdFor('evt_01KQ0000000000000000000001', '', 'w')).toBe(true);
    // An event id that is not a ULID falls back to the event's timestamp.
    expect(deliveryIdFor('custom', '2026-01-01T00:00:00Z', 'w').slice(4, 14)).toBe(encodeTime(Date.parse('2026-01-01T00:00:00Z'), 10));
  });

  it('secrets: generated ones validate; whsec_ + 8–64 bytes of strict base64, or 8–256 characters of text', () => {
    expect(validWebhookSecret(generateWebhookSecret())).toBe(true);
    expect(validWebhookSecret(`whsec_${Buffer.alloc(24, 1).toString('base64')}`)).toBe(true);
    expect(validWebhookSecret(`whsec_${Buffer.alloc(65, 1).toString('base64')}`)).toBe(false);
    expect(validWebhookSecret('whsec_!!!!')).toBe(true);
    expect(validWebhookSecret('whsec_')).toBe(false);
    expect(validWebhookSecret('webhook_secret')).toBe(true);
  });

  it('url check: a literal IP is judged without resolving; a name by every address it resolves to', async () => {
    const resolved: string[] = [];
    const resolve: HostResolver = async (host) => {
      resolved.push(host);
      return [{ address: '93.184.216.34', family: 4 }, { address: '::1', family: 6 }];
    };
    expect(await checkWebhookUrl('https://93.184.216.34/x', { requireHttps: true, allowLoopback: false }, resolve)).toEqual({ ok: true, url: 'https://93.184.216.34/x' });
    expect(resolved).toEqual([]);
    expect(await checkWebhookUrl('https://dual.example.com/x', { requireHttps: true, allowLoopback: false }, resolve)).toMatchObject({ ok: false, message: expect.stringMatching(/::1.*loopback/) });
    // A resolver that throws counts as "does not resolve".
    expect((await checkWebhookUrl('https://x.example/', { requireHttps: true, allowLoopback: false }, async () => Promise.reject(new Error('SERVFAIL')))).ok).toBe(true);
  });

  it('queue messages: Stepwise’s own kinds and EventBridge events as SQS receives them; anything else is malformed', () => {
    const envelope = { id: 'evt_1', event: 'task.created', timestamp: '2026-01-01T00:00:00Z', account_id: A, data: { a: 1 } };
    expect(parseQueueMessage(JSON.stringify({ version: '0', id: 'x', 'detail-type': 'task.created', source: 'stepwise', detail: envelope }))).toEqual({ kind: 'event', event: envelope });
    expect(parseQueueMessage('{"kind":"sweep"}')).toEqual({ kind: 'sweep' });
    const attempt = { kind: 'attempt', account_id: A, webhook_id: 'whk_1', delivery_id: 'dlv_1', attempt: 2 };
    expect(parseQueueMessage(JSON.stringify(attempt))).toEqual(attempt);
    for (const bad of ['nope', '[]', '{"kind":"other"}', JSON.stringify({ ...attempt, attempt: 0 }), JSON.stringify({ kind: 'event', event: { ...envelope, event: 'execution.log' } })]) {
      expect(() => parseQueueMessage(bad), bad).toThrow(MalformedMessage);
    }
  });
});

describe('webhook change mapper', () => {
  const base: Webhook = {
    id: 'whk_1',
    accountId: A,
    url: 'https://example.com/hook',
    events: ['*'],
    description: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: '2025-12-27T00:00:00.000Z',
    secret: generateWebhookSecret(),
    previousSecret: null,
    createdAt: '2025-12-01T00:00:00.000Z',
    updatedAt: '2025-12-01T00:00:00.000Z',
    version: 3,
  };
  const change = (old: Webhook | undefined, next: Webhook | undefined) => webhookChanges.map({ entity: 'webhook', changeId: 'c', at: '2026-01-01T00:00:00.000Z', accountId: A, old, new: next });

  it('tells the owner when Stepwise disabled the endpoint (gone or failing), never the secret', () => {
    const off = { ...base, enabled: false, disabledReason: 'failing' as const, disabledAt: '2026-01-01T00:00:00.000Z', version: 4 };
    const events = change(base, off);
    expect(events).toEqual([
      {
        event: 'webhook.disabled',
        timestamp: '2026-01-01T00:00:00.000Z',
        data: { webhook_id: 'whk_1', url: base.url, events: ['*'], reason: 'failing', disabled_at: '2026-01-01T00:00:00.000Z', failing_since: '2025-12-27T00:00:00.000Z' },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(base.secret);
    expect(change(base, { ...off, disabledReason: 'gone' })[0]!.data.reason).toBe('gone');
  });

  it('says nothing for a manual disable, creation, deletion, or any other change', () => {
    expect(change(base, { ...base, enabled: false, disabledReason: 'manual' })).toEqual([]);
    expect(change(undefined, base)).toEqual([]);
    expect(change(base, undefined)).toEqual([]);
    expect(change(base, { ...base, failingSince: null })).toEqual([]);
    const off = { ...base, enabled: false, disabledReason: 'gone' as const };
    expect(change(off, { ...off, url: 'https://example.com/v2' })).toEqual([]);
  });
});
