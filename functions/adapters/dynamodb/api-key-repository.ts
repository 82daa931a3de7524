import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKey } from '../../core/api-keys/api-key.ts';
import type { ApiKeyRepository } from '../../core/api-keys/ports.ts';
import type { Page, PageRequest } from '../../core/pagination.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';

type Item = Record<string, unknown>;

export class DynamoApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(k: ApiKey): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.apiKey(k.accountId, k.id),
          entity: 'api_key',
          gsi1pk: keys.apiKeysOfUser(k.accountId, k.userId),
          gsi1sk: k.id,
          id: k.id,
          account_id: k.accountId,
          user_id: k.userId,
          role: k.role,
          name: k.name,
          scopes: [...k.scopes],
          secret_hash: k.secretHash,
          created_at: k.createdAt,
          expires_at: k.expiresAt,
          last_used_at: k.lastUsedAt,
          // An expired key disappears by itself a day after it stops working.
          ...(k.expiresAt ? { ttl: Math.floor(Date.parse(k.expiresAt) / 1000) + 86_400 } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(accountId: string, keyId: string): Promise<ApiKey | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(accountId, keyId) }));
    return out.Item?.entity === 'api_key' ? toKey(out.Item) : undefined;
  }

  async list(accountId: string, userId: string | undefined, page: PageRequest): Promise<Page<ApiKey>> {
    const plan: QueryPlan = userId
      ? {
          input: { IndexName: 'gsi1', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi1pk' }, ExpressionAttributeValues: { ':pk': keys.apiKeysOfUser(accountId, userId) }, ScanIndexForward: false },
          partition: { attr: 'gsi1pk', value: keys.apiKeysOfUser(accountId, userId) },
          keyAttrs: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
        }
      : {
          input: {
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':sk': keys.apiKeyPrefix },
            ScanIndexForward: false,
          },
          partition: { attr: 'pk', value: keys.accountPrefix(accountId) },
          keyAttrs: ['pk', 'sk'],
        };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(toKey), total: res.total, nextCursor: res.nextCursor };
  }

  async delete(accountId: string, keyId: string): Promise<boolean> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.apiKey(accountId, keyId), ConditionExpression: 'attribute_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async deleteAllForUser(accountId: string, userId: string): Promise<void> {
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.apiKeysOfUser(accountId, userId) },
        ProjectionExpression: 'id',
      },
      async (items) => void (await Promise.all(items.map((i) => this.delete(accountId, String(i.id))))),
    );
  }

  async touch(accountId: string, keyId: string, at: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(accountId, keyId),
          UpdateExpression: 'SET last_used_at = :at',
          // attribute_exists: a touch racing a revocation must not resurrect the key as a stub item.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

function toKey(i: Item): ApiKey {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    userId: String(i.user_id),
    role: i.role as ApiKey['role'],
    name: String(i.name),
    scopes: (i.scopes as ApiKey['scopes'] | undefined) ?? [],
    secretHash: String(i.secret_hash),
    createdAt: String(i.created_at),
    expiresAt: (i.expires_at as string | null | undefined) ?? null,
    lastUsedAt: (i.last_used_at as string | null | undefined) ?? null,
  };
}
