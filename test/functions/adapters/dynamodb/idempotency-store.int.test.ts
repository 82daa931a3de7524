import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoIdempotencyStore } from '../../../../functions/adapters/dynamodb/idempotency-store.ts';
import { keys } from '../../../../functions/adapters/dynamodb/keys.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS } from '../../../../functions/core/idempotency/idempotency.ts';
import { newId } from '../../../../functions/core/ids.ts';

const TABLE = 'idempotency-int';

/** The adapter against the real DynamoDB Local: the one conditional Put, ALL_OLD on refusal, leases and TTL. */
describe('DynamoIdempotencyStore (DynamoDB Local)', () => {
  const endpoint = inject('dynamoEndpoint');
  const db = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoIdempotencyStore(db, TABLE);
  const now = new Date('2026-11-24T12:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const scope = () => ({ accountId: newId('account'), operation: 'createTask', key: `key-${Math.random()}` });
  const result = { status: 201, body: { id: 'tsk_1', tags: [], meta: {} }, headers: { Location: '/api/v1/tasks/tsk_1' } };

  beforeAll(async () => {
    const raw = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(raw, TABLE);
    raw.destroy();
  });
  afterAll(() => db.destroy());

  it('claims once; the same key is then in progress, then replays exactly what was kept', async () => {
    const s = scope();
    expect(await store.claim(s, 'fp', now)).toEqual({ state: 'claimed' });
    expect(await store.claim(s, 'fp', now)).toEqual({ state: 'in_progress' });
    await store.complete(s, result);
    expect(await store.claim(s, 'fp', later(5))).toEqual({ state: 'replay', result });
    expect(await store.claim(s, 'another body', later(5))).toEqual({ state: 'mismatch' });
  });

  it('keeps only a hash of the client key, under the account, with a 24-hour TTL', async () => {
    const s = scope();
    await store.claim(s, 'fp', now);
    const out = await db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :idem)', ExpressionAttributeValues: { ':pk': keys.accountPrefix(s.accountId), ':idem': 'IDEMP#' } }));
    expect(out.Items).toHaveLength(1);
    expect(JSON.stringify(out.Items)).not.toContain(s.key);
    expect(out.Items![0]).toMatchObject({ entity: 'idempotency', state: 'in_progress', ttl: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS });
  });

  it('a release frees the key; a claim abandoned past its lease, or expired, is taken over', async () => {
    const released = scope();
    await store.claim(released, 'fp', now);
    await store.release(released);
    expect(await store.claim(released, 'other body now', now)).toEqual({ state: 'claimed' });

    const abandoned = scope();
    await store.claim(abandoned, 'fp', now);
    expect(await store.claim(abandoned, 'fp', later(IDEMPOTENCY_LEASE_SECONDS - 1))).toEqual({ state: 'in_progress' });
    expect(await store.claim(abandoned, 'fp', later(IDEMPOTENCY_LEASE_SECONDS + 1))).toEqual({ state: 'claimed' });

    // A completed claim is never taken over by the lease, only once its TTL has passed (DynamoDB deletes expired items lazily).
    const done = scope();
    await store.claim(done, 'fp', now);
    await store.complete(done, result);
    expect(await store.claim(done, 'fp', later(IDEMPOTENCY_LEASE_SECONDS + 1))).toMatchObject({ state: 'replay' });
    expect(await store.claim(done, 'fp', later(IDEMPOTENCY_TTL_SECONDS + 1))).toEqual({ state: 'claimed' });
  });

  it('an answer that was too large to keep says so on a retry', async () => {
    const s = scope();
    await store.claim(s, 'fp', now);
    await store.complete(s, undefined);
    expect(await store.claim(s, 'fp', now)).toEqual({ state: 'not_stored' });
  });

  it('complete on a claim that is gone (released meanwhile) fails instead of writing a stray item', async () => {
    const s = scope();
    await expect(store.complete(s, result)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const out = await db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.accountPrefix(s.accountId) } }));
    expect(out.Items).toEqual([]);
  });
});
