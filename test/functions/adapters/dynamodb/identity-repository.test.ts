import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoIdentityRepository } from '../../../../functions/adapters/dynamodb/identity-repository.ts';
import type { Account, User } from '../../../../functions/core/auth/identity.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = new DynamoIdentityRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const account: Account = { id: 'acct_1', name: 'A', plan: 'free', createdAt: 't', updatedAt: 't', version: 1 };
const user: User = {
  id: 'usr_1', accountId: 'acct_1', username: 'amy', email: 'amy@x.io', name: null, lastname: null, role: 'admin',
  active: true, passwordHash: 'scrypt$…', createdAt: 't', updatedAt: 't', version: 1,
};
const cancelled = (codes: string[]) =>
  Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoIdentityRepository', () => {
  beforeEach(() => ddb.reset());

  it('claims username and email, and writes account and user, all conditionally in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.createAccountWithOwner(account, user);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => [i.Put!.Item!.pk, i.Put!.Item!.sk, i.Put!.ConditionExpression])).toEqual([
      ['LOGIN#amy', 'LOGIN', 'attribute_not_exists(pk)'],
      ['LOGIN#amy@x.io', 'LOGIN', 'attribute_not_exists(pk)'],
      ['ACCT#acct_1', 'ACCOUNT', 'attribute_not_exists(pk)'],
      ['ACCT#acct_1', 'USER#usr_1', 'attribute_not_exists(pk)'],
    ]);
    expect(items[3]!.Put!.Item).toMatchObject({ password_hash: 'scrypt$…', role: 'admin' });
  });

  it.each([
    [['ConditionalCheckFailed', 'None', 'None', 'None'], 'username'],
    [['None', 'ConditionalCheckFailed', 'None', 'None'], 'email'],
  ])('maps a failed claim %j to a 409 on %s', async (codes, field) => {
    ddb.on(TransactWriteCommand).rejects(cancelled(codes));
    await expect(repo.createAccountWithOwner(account, user)).rejects.toMatchObject({ code: 'conflict', status: 409, field });
  });

  it('does not disguise transaction conflicts as duplicates', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None', 'None']));
    await expect(repo.createAccountWithOwner(account, user)).rejects.toThrow('cancelled');
  });

  it('finds a user through the login claim', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'LOGIN#amy', sk: 'LOGIN' } }).resolves({ Item: { account_id: 'acct_1', user_id: 'usr_1' } });
    ddb.on(GetCommand, { Key: { pk: 'ACCT#acct_1', sk: 'USER#usr_1' } }).resolves({
      Item: { id: 'usr_1', account_id: 'acct_1', username: 'amy', role: 'admin', active: true, password_hash: 'h', created_at: 't', updated_at: 't', version: 1 },
    });
    expect(await repo.findUserByLogin('amy')).toMatchObject({ id: 'usr_1', accountId: 'acct_1', passwordHash: 'h', email: null });
    expect(await repo.findUserByLogin('nobody')).toBeUndefined();
  });
});

describe('DynamoIdentityRepository: the account’s gateway key', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('stores the usage-plan key with the account and reads it back', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.createAccountWithOwner({ ...account, gatewayKeyId: 'k1', gatewayKeyValue: 'usage-value' }, user);
    const item = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![2]!.Put!.Item!;
    expect(item).toMatchObject({ entity: 'account', gateway_key_id: 'k1', gateway_key_value: 'usage-value' });
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repo.getAccount('acct_1')).toEqual({ ...account, gatewayKeyId: 'k1', gatewayKeyValue: 'usage-value' });
  });

  it('writes no key attributes for an account without a key, and reads one as keyless', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.createAccountWithOwner(account, user);
    const item = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![2]!.Put!.Item!;
    expect(Object.keys(item).filter((k) => k.startsWith('gateway_'))).toEqual([]);
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repo.getAccount('acct_1')).toEqual(account);
  });
});
