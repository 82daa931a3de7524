import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuthorizationCode, OAuthClient } from '../../core/oauth/client.ts';
import type { AssertionReplays, AuthorizationCodeStore, OAuthClientRepository } from '../../core/oauth/ports.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

export class DynamoOAuthClientRepository implements OAuthClientRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(c: OAuthClient): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.oauthClient(c.accountId, c.id),
          entity: 'oauth_client',
          id: c.id,
          account_id: c.accountId,
          name: c.name,
          secret_hash: c.secretHash,
          redirect_uris: [...c.redirectUris],
          scopes: [...c.scopes],
          grant_types: [...c.grantTypes],
          public_jwk: c.publicJwk,
          role: c.role,
          created_by: c.createdBy,
          created_at: c.createdAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(accountId: string, clientId: string): Promise<OAuthClient | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.oauthClient(accountId, clientId) }));
    return out.Item ? toClient(out.Item) : undefined;
  }

  /** An account registers a handful of clients; one query page is plenty, but follow pages anyway. */
  async list(accountId: string): Promise<OAuthClient[]> {
    const out: OAuthClient[] = [];
    let start: Item | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':sk': keys.oauthClientPrefix },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map(toClient));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async delete(accountId: string, clientId: string): Promise<boolean> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.oauthClient(accountId, clientId), ConditionExpression: 'attribute_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

export class DynamoAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(c: AuthorizationCode): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.authorizationCode(c.codeHash),
          entity: 'oauth_code',
          account_id: c.accountId,
          user_id: c.userId,
          client_id: c.clientId,
          redirect_uri: c.redirectUri,
          scopes: [...c.scopes],
          code_challenge: c.codeChallenge,
          expires_at: c.expiresAt,
          ttl: Math.floor(Date.parse(c.expiresAt) / 1000) + 300,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** DeleteItem returning the old item is atomic: of two concurrent redemptions, one gets the code. */
  async consume(codeHash: string): Promise<AuthorizationCode | undefined> {
    const out = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.authorizationCode(codeHash), ReturnValues: 'ALL_OLD' }));
    const i = out.Attributes;
    if (!i) return undefined;
    return {
      codeHash,
      accountId: String(i.account_id),
      userId: String(i.user_id),
      clientId: String(i.client_id),
      redirectUri: String(i.redirect_uri),
      scopes: (i.scopes as AuthorizationCode['scopes'] | undefined) ?? [],
      codeChallenge: typeof i.code_challenge === 'string' ? i.code_challenge : null,
      expiresAt: String(i.expires_at),
    };
  }
}

/**
 * One conditional put per assertion: the first use creates the item, a replay fails the
 * condition. The key is a digest, so neither the id nor the client's name bounds its length.
 */
export class DynamoAssertionReplays implements AssertionReplays {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claim(clientId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
    return this.put(clientId, assertionId, expiresAt, {}, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  /** The same item: a Bearer use may repeat only as the token that first used the id as a Bearer. */
  claimBearer(clientId: string, assertionId: string, tokenHash: string, expiresAt: Date): Promise<boolean> {
    return this.put(clientId, assertionId, expiresAt, { use: 'bearer', token_hash: tokenHash }, {
      ConditionExpression: 'attribute_not_exists(pk) OR (#use = :bearer AND token_hash = :hash)',
      ExpressionAttributeNames: { '#use': 'use' },
      ExpressionAttributeValues: { ':bearer': 'bearer', ':hash': tokenHash },
    });
  }

  private async put(clientId: string, assertionId: string, expiresAt: Date, extra: Item, condition: Record<string, unknown>): Promise<boolean> {
    const digest = createHash('sha256').update(`${clientId}\n${assertionId}`).digest('base64url');
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          // A minute past expiry: the verifier tolerates 60 s of clock skew.
          Item: { ...keys.assertionUse(digest), client_id: clientId, ttl: Math.floor(expiresAt.getTime() / 1000) + 60, ...extra },
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function toClient(i: Item): OAuthClient {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    name: String(i.name),
    secretHash: String(i.secret_hash),
    redirectUris: (i.redirect_uris as string[] | undefined) ?? [],
    scopes: (i.scopes as OAuthClient['scopes'] | undefined) ?? [],
    grantTypes: (i.grant_types as OAuthClient['grantTypes'] | undefined) ?? [],
    publicJwk: (i.public_jwk as Record<string, unknown> | null | undefined) ?? null,
    role: i.role as OAuthClient['role'],
    createdBy: String(i.created_by),
    createdAt: String(i.created_at),
  };
}
