import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../core/errors.ts';
import type { IdentityRepository } from '../../core/auth/ports.ts';
import type { Account, User } from '../../core/auth/identity.ts';
import { failedConditionIndexes } from './errors.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

export class DynamoIdentityRepository implements IdentityRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccountWithOwner(account: Account, owner: User): Promise<void> {
    const claims = [...new Set([owner.username, owner.email].filter((v): v is string => v !== null))];
    const claimFields = claims.map((c) => (c === owner.username ? 'username' : 'email'));
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

function accountItem(a: Account): Item {
  return {
    ...keys.account(a.id),
    entity: 'account',
    id: a.id,
    name: a.name,
    plan: a.plan,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    version: a.version,
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
