import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../core/errors.ts';
import type { IdentityRepository, UserFilter } from '../../core/auth/ports.ts';
import type { Account, User } from '../../core/auth/identity.ts';
import type { Page, PageRequest } from '../../core/pagination.ts';
import { failedConditionIndexes, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { keys } from './keys.ts';
import { batchDelete } from './batch.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';

type Item = Record<string, unknown>;

export class DynamoIdentityRepository implements IdentityRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccountWithOwner(account: Account, owner: User): Promise<void> {
    const claims = loginClaims(owner).map((c) => c.login);
    const claimFields = loginClaims(owner).map((c) => c.field);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...claims.map((login) => ({
              Put: {
                TableName: this.tableName,
                Item: { ...keys.login(login), entity: 'login', account_id: account.id, user_id: owner.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            { Put: { TableName: this.tableName, Item: accountItem(account), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: userItem(owner), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditionIndexes(error);
      const field = failed?.map((i) => claimFields[i]).find((f) => f !== undefined);
      if (field) throw conflict(`That ${field} is already registered`, field);
      throw error;
    }
  }

  async createUser(user: User): Promise<void> {
    const claims = loginClaims(user);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...claims.map(({ login }) => ({
              Put: {
                TableName: this.tableName,
                Item: { ...keys.login(login), entity: 'login', account_id: user.accountId, user_id: user.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            { Put: { TableName: this.tableName, Item: userItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      const field = failedConditionIndexes(error)?.map((i) => claims[i]?.field).find((f) => f !== undefined);
      if (field) throw conflict(`That ${field} is already registered`, field);
      throw error;
    }
  }

  async updateUser(previous: User, next: User): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: userItem(next),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async deleteUser(user: User): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: keys.user(user.accountId, user.id) } },
          ...loginClaims(user).map(({ login }) => ({
            Delete: {
              TableName: this.tableName,
              Key: keys.login(login),
              // Only this user's claim: never free a name someone else holds.
              ConditionExpression: 'attribute_not_exists(pk) OR user_id = :user',
              ExpressionAttributeValues: { ':user': user.id },
            },
          })),
        ],
      }),
    );
  }

  async listUsers(accountId: string, filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
    const values: Record<string, unknown> = { ':pk': keys.accountPrefix(accountId), ':sk': keys.userPrefix };
    const filters: string[] = [];
    if (filter.role !== undefined) {
      names['#role'] = 'role';
      values[':role'] = filter.role;
      filters.push('#role = :role');
    }
    if (filter.active !== undefined) {
      names['#active'] = 'active';
      values[':active'] = filter.active;
      filters.push('#active = :active');
    }
    const plan: QueryPlan = {
      input: {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ScanIndexForward: true,
      },
      partition: { attr: 'pk', value: keys.accountPrefix(accountId) },
      keyAttrs: ['pk', 'sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(toUser), total: res.total, nextCursor: res.nextCursor };
  }

  async listAccounts(page: PageRequest): Promise<Page<Account>> {
    const plan: QueryPlan = {
      input: { IndexName: 'gsi1', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi1pk' }, ExpressionAttributeValues: { ':pk': keys.allAccounts }, ScanIndexForward: true },
      partition: { attr: 'gsi1pk', value: keys.allAccounts },
      keyAttrs: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(toAccount), total: res.total, nextCursor: res.nextCursor };
  }

  async updateAccount(previous: Account, next: Account): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: accountItem(next),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  async deleteAccount(accountId: string): Promise<void> {
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId) },
        ProjectionExpression: 'pk, sk, entity, username, email, id',
      },
      async (items) => {
        const claims = items
          .filter((i) => i.entity === 'user')
          .flatMap((u) => [...new Set([u.username, u.email].filter((v): v is string => typeof v === 'string'))].map((login) => keys.login(login)));
        await batchDelete(this.db, this.tableName, [...claims, ...items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) }))]);
      },
    );
  }

  async findUserByLogin(login: string): Promise<User | undefined> {
    const claim = await this.get(keys.login(login));
    if (!claim) return undefined;
    return this.getUser(String(claim.account_id), String(claim.user_id));
  }

  async getUser(accountId: string, userId: string): Promise<User | undefined> {
    const item = await this.get(keys.user(accountId, userId));
    return item ? toUser(item) : undefined;
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const item = await this.get(keys.account(accountId));
    return item ? toAccount(item) : undefined;
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return out.Item;
  }
}

/** The global login names a user holds; username and email share one namespace. */
function loginClaims(u: User): { login: string; field: 'username' | 'email' }[] {
  const out: { login: string; field: 'username' | 'email' }[] = [{ login: u.username, field: 'username' }];
  if (u.email && u.email !== u.username) out.push({ login: u.email, field: 'email' });
  return out;
}

function accountItem(a: Account): Item {
  return {
    ...keys.account(a.id),
    entity: 'account',
    gsi1pk: keys.allAccounts,
    gsi1sk: a.id,
    id: a.id,
    name: a.name,
    plan: a.plan,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
    ...(a.gatewayKeyId ? { gateway_key_id: a.gatewayKeyId, gateway_key_value: a.gatewayKeyValue } : {}),
  };
}

function userItem(u: User): Item {
  return {
    ...keys.user(u.accountId, u.id),
    entity: 'user',
    id: u.id,
    account_id: u.accountId,
    username: u.username,
    email: u.email,
    name: u.name,
    lastname: u.lastname,
    role: u.role,
    active: u.active,
    password_hash: u.passwordHash,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    version: u.version,
  };
}

function toAccount(i: Item): Account {
  return {
    id: String(i.id),
    name: String(i.name),
    plan: i.plan === 'enterprise' ? 'enterprise' : 'free',
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    version: Number(i.version),
    ...(typeof i.gateway_key_id === 'string' && typeof i.gateway_key_value === 'string'
      ? { gatewayKeyId: i.gateway_key_id, gatewayKeyValue: i.gateway_key_value }
      : {}),
  };
}

function toUser(i: Item): User {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    username: String(i.username),
    email: (i.email as string | null | undefined) ?? null,
    name: (i.name as string | null | undefined) ?? null,
    lastname: (i.lastname as string | null | undefined) ?? null,
    role: i.role as User['role'],
    active: i.active !== false,
    passwordHash: String(i.password_hash),
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    version: Number(i.version),
  };
}
