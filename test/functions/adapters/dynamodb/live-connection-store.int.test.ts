import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../../../functions/adapters/dynamodb/keys.ts';
import { DynamoLiveConnectionStore } from '../../../../functions/adapters/dynamodb/live-connection-store.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';

const EXPIRES = '2026-03-01T12:00:00.000Z';

/** Connections and subscriptions of the AWS WebSocket API against DynamoDB Local. */
describe('DynamoLiveConnectionStore (DynamoDB Local)', () => {
  const tableName = `live-connections-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoLiveConnectionStore(db, tableName);
  const A = newId('account');
  const B = newId('account');
  const E = newId('execution');

  const open = (id: string, accountId = A) => store.open({ id, accountId, credentialId: 'ses_1', connectedAt: '2026-03-01T10:00:00.000Z', expiresAt: EXPIRES });
  const sub = (connectionId: string, executionId = E, accountId = A, bound = false) => store.subscribe({ connectionId, accountId, executionId, bound, expiresAt: EXPIRES });

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  it('records a connection with a TTL, and reads it back', async () => {
    await open('conn-1');
    expect(await store.connection('conn-1')).toEqual({ id: 'conn-1', accountId: A, credentialId: 'ses_1', connectedAt: '2026-03-01T10:00:00.000Z', expiresAt: EXPIRES });
    const raw = await db.send(new GetCommand({ TableName: tableName, Key: keys.liveConnection('conn-1') }));
    expect(raw.Item).toMatchObject({ entity: 'live_connection', ttl: Date.parse(EXPIRES) / 1000 });
    expect(await store.connection('nope')).toBeUndefined();
  });

  it('finds an execution’s subscribers by index, per account', async () => {
    await open('conn-2');
    await open('conn-3');
    await open('conn-b', B);
    await sub('conn-2', E, A, true);
    await sub('conn-3');
    // Same execution id under another account: a different index key, never mixed up.
    await sub('conn-b', E, B);
    const found = await store.subscribers(A, E);
    expect(found.toSorted((x, y) => x.connectionId.localeCompare(y.connectionId))).toEqual([
      { connectionId: 'conn-2', accountId: A, executionId: E, bound: true, expiresAt: EXPIRES },
      { connectionId: 'conn-3', accountId: A, executionId: E, bound: false, expiresAt: EXPIRES },
    ]);
    expect((await store.subscribers(B, E)).map((s) => s.connectionId)).toEqual(['conn-b']);
    expect(await store.subscriptions('conn-3')).toEqual([E]);
  });

  it('unsubscribe removes one subscription; close removes the connection and all of its subscriptions', async () => {
    const other = newId('execution');
    await open('conn-4');
    await sub('conn-4');
    await sub('conn-4', other);
    await store.unsubscribe('conn-4', E);
    expect(await store.subscriptions('conn-4')).toEqual([other]);
    await store.close('conn-4');
    expect(await store.connection('conn-4')).toBeUndefined();
    expect(await store.subscribers(A, other)).toEqual([]);
    await expect(store.close('conn-4')).resolves.toBeUndefined();
  });
});
