import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SessionStore } from '../../core/auth/ports.ts';
import { REMEMBERED_REFRESH_TOKENS, type Session } from '../../core/auth/session.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

/** Sessions live in the account's partition and expire through TTL a day after their absolute end. */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(s: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.session(s.accountId, s.id),
          entity: 'session',
          gsi1pk: keys.sessionsOfUser(s.accountId, s.userId),
          gsi1sk: s.id,
          id: s.id,
          account_id: s.accountId,
          user_id: s.userId,
          status: s.status,
          refresh_hash: s.refreshHash,
          used_hashes: [...s.usedHashes],
          created_at: s.createdAt,
          expires_at: s.expiresAt,
          client_id: s.clientId,
          scopes: s.scopes ? [...s.scopes] : undefined,
          ttl: Math.floor(Date.parse(s.expiresAt) / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(accountId: string, sessionId: string): Promise<Session | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.session(accountId, sessionId) }));
    return out.Item ? toSession(out.Item) : undefined;
  }

  async rotate(session: Session, nextHash: string): Promise<boolean> {
    const used = [session.refreshHash, ...session.usedHashes].slice(0, REMEMBERED_REFRESH_TOKENS);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(session.accountId, session.id),
          UpdateExpression: 'SET refresh_hash = :next, used_hashes = :used',
          ConditionExpression: 'refresh_hash = :current AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':next': nextHash, ':used': used, ':current': session.refreshHash, ':active': 'active' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async revoke(accountId: string, sessionId: string, reason: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(accountId, sessionId),
          UpdateExpression: 'SET #status = :revoked, revoked_reason = :reason',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':reason': reason },
        }),
      );
    } catch (error) {
      // Revoking a session that expired away is already done.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async revokeAllForUser(accountId: string, userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.sessionsOfUser(accountId, userId) },
        ProjectionExpression: 'id',
      },
      async (items) => void (await Promise.all(items.filter((i) => String(i.id) !== exceptSessionId).map((i) => this.revoke(accountId, String(i.id), reason)))),
    );
  }
}

function toSession(i: Item): Session {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    userId: String(i.user_id),
    status: i.status === 'active' ? 'active' : 'revoked',
    refreshHash: String(i.refresh_hash),
    usedHashes: (i.used_hashes as string[] | undefined) ?? [],
    createdAt: String(i.created_at),
    expiresAt: String(i.expires_at),
    revokedReason: i.revoked_reason as string | undefined,
    clientId: i.client_id as string | undefined,
    scopes: i.scopes as Session['scopes'],
  };
}
