import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../../../functions/adapters/dynamodb/keys.ts';
import { DynamoDeliveryRepository } from '../../../../functions/adapters/dynamodb/delivery-repository.ts';
import { DynamoWebhookRepository } from '../../../../functions/adapters/dynamodb/webhook-repository.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { newDelivery } from '../../../../functions/core/webhooks/dispatcher.ts';
import { generateWebhookSecret } from '../../../../functions/core/webhooks/secrets.ts';
import type { Delivery, Webhook } from '../../../../functions/core/webhooks/webhook.ts';

const AT = '2026-03-01T10:00:00.000Z';
const page = (limit = 20, cursor?: string) => ({ limit, offset: 0, cursor });

function webhookOf(accountId: string, overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: newId('webhook'),
    accountId,
    url: 'https://example.com/hook',
    events: ['task.created'],
    description: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    secret: generateWebhookSecret(),
    previousSecret: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...overrides,
  };
}

/** Webhook and delivery repositories against DynamoDB Local: conditions, counters, ordering and the sparse due index. */
describe('webhook repositories (DynamoDB Local)', () => {
  const tableName = `webhooks-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const webhooks = new DynamoWebhookRepository(db, tableName);
  const deliveries = new DynamoDeliveryRepository(db, tableName);
  const raw = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: tableName, Key: key }))).Item;

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  it('creates up to the limit, counts exactly, lists newest first, and frees a slot on delete', async () => {
    const A = newId('account');
    const made: Webhook[] = [];
    for (let i = 0; i < 3; i++) {
      const w = webhookOf(A, { url: `https://example.com/${i}` });
      expect(await webhooks.create(w, 3)).toBe(true);
      made.push(w);
    }
    expect(await webhooks.create(webhookOf(A), 3)).toBe(false);
    const listed = await webhooks.list(A, page());
    expect(listed.total).toBe(3);
    expect(listed.items.map((w) => w.id)).toEqual(made.map((w) => w.id).toReversed());
    expect(listed.items[0]).toEqual(made[2]);
    expect((await webhooks.all(A)).length).toBe(3);
    expect(await webhooks.delete({ ...made[0]!, version: 9 })).toBe(false);
    expect(await webhooks.delete(made[0]!)).toBe(true);
    expect((await webhooks.list(A, page())).total).toBe(2);
    expect(await webhooks.create(webhookOf(A), 3)).toBe(true);
  });

  it('updates only from the current version; the dispatcher’s targeted writes bump it', async () => {
    const A = newId('account');
    const w = webhookOf(A);
    await webhooks.create(w, 50);
    const v2 = { ...w, url: 'https://example.com/v2', version: 2 };
    expect(await webhooks.update(w, v2)).toBe(true);
    expect(await webhooks.update(w, { ...w, version: 2 })).toBe(false);

    await webhooks.startFailureClock(A, w.id, '2026-03-01T11:00:00.000Z', '2026-03-01T11:00:00.000Z');
    await webhooks.startFailureClock(A, w.id, '2026-03-02T11:00:00.000Z', '2026-03-02T11:00:00.000Z');
    expect(await webhooks.get(A, w.id)).toMatchObject({ failingSince: '2026-03-01T11:00:00.000Z', version: 3 });
    // A client holding v2 can no longer overwrite the clock.
    expect(await webhooks.update(v2, { ...v2, description: 'stale', version: 3 })).toBe(false);

    await webhooks.clearFailureClock(A, w.id, '2026-03-03T00:00:00.000Z');
    await webhooks.clearFailureClock(A, w.id, '2026-03-03T00:00:00.000Z');
    expect(await webhooks.get(A, w.id)).toMatchObject({ failingSince: null, version: 4 });
    expect(await raw(keys.webhook(A, w.id))).not.toHaveProperty('failing_since');

    expect(await webhooks.disable(A, w.id, 'gone', '2026-03-04T00:00:00.000Z')).toBe(true);
    expect(await webhooks.disable(A, w.id, 'failing', '2026-03-04T00:00:01.000Z')).toBe(false);
    expect(await webhooks.get(A, w.id)).toMatchObject({ enabled: false, disabledReason: 'gone', disabledAt: '2026-03-04T00:00:00.000Z', version: 5 });
    // Nothing is created by a targeted write on a deleted webhook.
    await webhooks.startFailureClock(A, newId('webhook'), AT, AT);
    expect(await webhooks.disable(A, newId('webhook'), 'gone', AT)).toBe(false);
  });

  it('stores the secret with the item and reads it back, with the rotation’s previous secret', async () => {
    const A = newId('account');
    const w = webhookOf(A, { previousSecret: { secret: generateWebhookSecret(), expiresAt: '2026-03-02T10:00:00.000Z' }, events: ['*'], description: 'ops' });
    await webhooks.create(w, 50);
    expect(await webhooks.get(A, w.id)).toEqual(w);
    expect(await webhooks.get(newId('account'), w.id)).toBeUndefined();
  });

  it('deliveries: created once per id, replaced only from the current revision, listed newest first with a status filter', async () => {
    const A = newId('account');
    const w = webhookOf(A);
    const make = (n: number) =>
      newDelivery({ id: newId('event', Date.parse(AT) + n * 1000), event: 'task.created', timestamp: AT, account_id: A, data: { n } }, w, new Date(AT));
    const [d1, d2, d3] = [make(1), make(2), make(3)];
    for (const d of [d1, d2, d3]) expect(await deliveries.createIfAbsent(d)).toBe(true);
    expect(await deliveries.createIfAbsent(d1)).toBe(false);
    expect(await deliveries.get(A, w.id, d1.id)).toEqual(d1);

    const delivered: Delivery = {
      ...d2,
      status: 'delivered',
      attempts: 1,
      nextAttemptAt: null,
      lastStatusCode: 204,
      attemptLog: [{ attempt: 1, attemptedAt: AT, statusCode: 204, latencyMs: 12, responseExcerpt: '', responseTruncated: false, error: null, outcome: 'succeeded', nextAttemptAt: null }],
      revision: 2,
    };
    expect(await deliveries.replace(d2, delivered)).toBe(true);
    expect(await deliveries.replace(d2, { ...delivered, revision: 2 })).toBe(false);
    expect(await deliveries.get(A, w.id, d2.id)).toEqual(delivered);

    const all = await deliveries.list(A, w.id, {}, page(2));
    expect(all.total).toBe(3);
    expect(all.items.map((d) => d.id)).toEqual([d3.id, d2.id]);
    const rest = await deliveries.list(A, w.id, {}, page(2, all.nextCursor));
    expect(rest.items.map((d) => d.id)).toEqual([d1.id]);
    expect((await deliveries.list(A, w.id, { status: 'delivered' }, page())).items.map((d) => d.id)).toEqual([d2.id]);
    expect((await deliveries.list(A, newId('webhook'), {}, page())).total).toBe(0);
    // Kept 30 days after the last change.
    expect((await raw(keys.webhookDelivery(A, w.id, d2.id)))!.ttl).toBe(Date.parse(AT) / 1000 + 30 * 86_400);
  });

  it('the due index holds pending deliveries only, across accounts, oldest due first', async () => {
    const before = new Date('2000-01-02T00:00:00.000Z');
    const mine = await Promise.all(
      [0, 1, 2, 3, 4].map(async (n) => {
        const A = newId('account');
        const w = webhookOf(A);
        // Due in the year 2000, so no other test's deliveries get in the way.
        const d = { ...newDelivery({ id: newId('event'), event: 'task.created', timestamp: AT, account_id: A, data: {} }, w, new Date(AT)), nextAttemptAt: `2000-01-01T0${n}:00:00.000Z` };
        await deliveries.createIfAbsent(d);
        return d;
      }),
    );
    expect((await deliveries.due(before, 100)).map((d) => d.id)).toEqual(mine.map((d) => d.id));
    expect((await deliveries.due(new Date('2000-01-01T02:30:00.000Z'), 100)).map((d) => d.id)).toEqual(mine.slice(0, 3).map((d) => d.id));
    const done = { ...mine[0]!, status: 'dead_lettered' as const, nextAttemptAt: null, revision: 2 };
    await deliveries.replace(mine[0]!, done);
    expect(await raw(keys.webhookDelivery(done.accountId, done.webhookId, done.id))).not.toHaveProperty('gsi1pk');
    expect((await deliveries.due(before, 100)).map((d) => d.id)).toEqual(mine.slice(1).map((d) => d.id));
    expect(await deliveries.due(before, 2)).toHaveLength(2);
  });
});
