import { GetCommand, PutCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LiveConnection, LiveConnectionStore, LiveSubscription } from '../../core/live/ports.ts';
import { batchDelete } from './batch.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

/** DynamoDB's TTL attribute: epoch seconds. Expiry is also checked on read (TTL deletes lazily). */
const ttlOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * WebSocket connections and their subscriptions in the single table: `LIVE#<connection>` holds the
 * connection row `CONN` and one `SUB#<execution>` row per watched execution, each on gsi1
 * `<account>#EXEC#<execution>#LIVE` (the notifier's lookup). Every row carries a TTL, so a
 * connection whose `$disconnect` never ran still goes away.
 */
export class DynamoLiveConnectionStore implements LiveConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(c: LiveConnection): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.liveConnection(c.id),
          entity: 'live_connection',
          connection_id: c.id,
          account_id: c.accountId,
          credential_id: c.credentialId,
          connected_at: c.connectedAt,
          expires_at: c.expiresAt,
          ttl: ttlOf(c.expiresAt),
        },
      }),
    );
  }

  async connection(connectionId: string): Promise<LiveConnection | undefined> {
    // Consistent: a subscribe right after $connect must see the connection it recorded.
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.liveConnection(connectionId), ConsistentRead: true }));
    const i = out.Item;
    if (!i) return undefined;
    return { id: String(i.connection_id), accountId: String(i.account_id), credentialId: String(i.credential_id), connectedAt: String(i.connected_at), expiresAt: String(i.expires_at) };
  }

  async subscribe(s: LiveSubscription): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.liveSubscription(s.connectionId, s.executionId),
          entity: 'live_subscription',
          gsi1pk: keys.liveSubscribers(s.accountId, s.executionId),
          gsi1sk: s.connectionId,
          connection_id: s.connectionId,
          account_id: s.accountId,
          execution_id: s.executionId,
          bound: s.bound,
          expires_at: s.expiresAt,
          ttl: ttlOf(s.expiresAt),
        },
      }),
    );
  }

  async subscriptions(connectionId: string): Promise<string[]> {
    const ids: string[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
        ExpressionAttributeValues: { ':pk': keys.liveConnection(connectionId).pk, ':sub': keys.liveSubscriptionPrefix },
        ProjectionExpression: 'execution_id',
        ConsistentRead: true,
      },
      async (items) => {
        for (const i of items) ids.push(String(i.execution_id));
      },
    );
    return ids;
  }

  async subscribers(accountId: string, executionId: string): Promise<LiveSubscription[]> {
    const out: LiveSubscription[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.liveSubscribers(accountId, executionId) },
      },
      async (items) => {
        for (const i of items) out.push(toSubscription(i));
      },
    );
    return out;
  }

  async unsubscribe(connectionId: string, executionId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.liveSubscription(connectionId, executionId) }));
  }

  async close(connectionId: string): Promise<void> {
    const rows: { pk: string; sk: string }[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.liveConnection(connectionId).pk },
        ProjectionExpression: 'pk, sk',
      },
      async (items) => {
        for (const i of items) rows.push({ pk: String(i.pk), sk: String(i.sk) });
      },
    );
    if (rows.length > 0) await batchDelete(this.db, this.tableName, rows);
  }
}

function toSubscription(i: Item): LiveSubscription {
  return {
    connectionId: String(i.connection_id),
    accountId: String(i.account_id),
    executionId: String(i.execution_id),
    bound: i.bound === true,
    expiresAt: String(i.expires_at),
  };
}
