import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecretStore } from '../../../../functions/adapters/aws/secrets-manager-secret-store.ts';
import { DynamoSecretMetadataRepository } from '../../../../functions/adapters/dynamodb/secret-metadata-repository.ts';
import { AppError } from '../../../../functions/core/errors.ts';
import { fixedClock } from '../../../support/fakes.ts';

const sm = mockClient(SecretsManagerClient);
const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const NAME = `stepwise/test/${A}/API_KEY`;
const KMS = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const VALUE = 'sk_live_correct-horse-battery-staple';
const NOW = '2026-01-01T00:00:00.000Z';
const secret = { accountId: A, key: 'API_KEY', createdAt: NOW, updatedAt: NOW };
const stored = { key: 'API_KEY', account_id: A, created_at: NOW, updated_at: NOW, generation: 'gen-0' };
const KEY = { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY' };

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });
const conditionFailed = awsError('ConditionalCheckFailedException', 'The conditional request failed');
const purging = awsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");

let calls: string[];
let sleeps: number[];

function storeWith(options: { kmsKeyId?: string | undefined } = { kmsKeyId: KMS }) {
  const metadata = new DynamoSecretMetadataRepository(db, 'tbl', () => 'gen-1', async () => undefined);
  return new SecretsManagerSecretStore(async () => new SecretsManagerClient({ region: 'us-east-1' }), metadata, {
    stage: 'test',
    kmsKeyId: options.kmsKeyId,
    clock: fixedClock(NOW),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

/** Records the order of every SDK call, so tests can assert which store was written first. */
function recordOrder() {
  for (const [client, commands] of [
    [sm, [CreateSecretCommand, PutSecretValueCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand]],
    [ddb, [GetCommand, PutCommand, UpdateCommand, DeleteCommand, QueryCommand, BatchWriteCommand]],
  ] as const) {
    for (const command of commands) {
      (client as typeof sm).on(command as never).callsFake(() => {
        calls.push(command.name.replace('Command', ''));
        return {};
      });
    }
  }
}

const count = (command: string) => calls.filter((c) => c === command).length;

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('SecretsManagerSecretStore', () => {
  beforeEach(() => {
    sm.reset();
    ddb.reset();
    calls = [];
    sleeps = [];
    recordOrder();
  });

  describe('create', () => {
    it('creates the secret under the KMS key with tenant tags, then the metadata item only if absent', async () => {
      expect(await storeWith().create(secret, VALUE)).toBe(true);
      expect(calls).toEqual(['Get', 'CreateSecret', 'Put']);
      expect(sm.commandCalls(CreateSecretCommand)[0]!.args[0].input).toEqual({
        Name: NAME,
        Description: `Stepwise test: secret API_KEY of account ${A}`,
        KmsKeyId: KMS,
        SecretString: VALUE,
        Tags: [
          { Key: 'stepwise:account', Value: A },
          { Key: 'stepwise:stage', Value: 'test' },
        ],
      });
      const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
      expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(put.Item).toEqual({ ...KEY, entity: 'secret', account_id: A, key: 'API_KEY', created_at: NOW, updated_at: NOW, generation: 'gen-1' });
      expect(JSON.stringify(put)).not.toContain(VALUE);
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });

    it('answers an existing key from the table without calling Secrets Manager', async () => {
      ddb.on(GetCommand).resolves({ Item: stored });
      expect(await storeWith().create(secret, VALUE)).toBe(false);
      expect(sm.calls()).toHaveLength(0);
    });

    it('refuses to create anything without a KMS key configured', async () => {
      await expect(storeWith({ kmsKeyId: undefined }).create(secret, VALUE)).rejects.toThrow(/SECRETS_KMS_KEY_ID/);
      expect(calls).toEqual([]);
    });

    it('deletes the new secret again when the metadata write fails, and surfaces that failure', async () => {
      ddb.on(PutCommand).callsFake(() => {
        calls.push('Put');
        throw awsError('ProvisionedThroughputExceededException', 'Rate exceeded');
      });
      await expect(storeWith().create(secret, VALUE)).rejects.toThrow('Rate exceeded');
      expect(calls).toEqual(['Get', 'CreateSecret', 'Put', 'DeleteSecret']);
      expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: NAME, ForceDeleteWithoutRecovery: true });
    });

    it('keeps the original error when the rollback fails too (the orphan is adopted later)', async () => {
      ddb.on(PutCommand).rejects(awsError('InternalServerError', 'ddb down'));
      sm.on(DeleteSecretCommand).rejects(awsError('InternalServiceError', 'sm down'));
      await expect(storeWith().create(secret, VALUE)).rejects.toThrow('ddb down');
    });

    it('deletes the new secret and reports a conflict when the metadata item appeared meanwhile', async () => {
      ddb.on(PutCommand).callsFake(() => {
        calls.push('Put');
        throw conditionFailed;
      });
      expect(await storeWith().create(secret, VALUE)).toBe(false);
      expect(calls).toEqual(['Get', 'CreateSecret', 'Put', 'DeleteSecret']);
    });

    it('retries while Secrets Manager still purges a just-deleted name', async () => {
      sm.on(CreateSecretCommand).rejectsOnce(purging).rejectsOnce(purging).resolves({});
      expect(await storeWith().create(secret, VALUE)).toBe(true);
      expect(sleeps).toEqual([250, 500]);
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(3);
    });

    it('gives up with 409 when the purge takes too long, writing no metadata', async () => {
      sm.on(CreateSecretCommand).rejects(purging);
      const error = await appError(storeWith().create(secret, VALUE));
      expect(error).toMatchObject({ code: 'conflict', status: 409, field: 'key' });
      expect(error.message).not.toContain(VALUE);
      expect(sleeps).toEqual([250, 500, 1000, 2000]);
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    });

    describe('when the name exists in Secrets Manager but not in the table', () => {
      const describeAs = (createdAgoMs: number, account = A) =>
        sm.on(DescribeSecretCommand).resolves({
          Name: NAME,
          CreatedDate: new Date(Date.parse(NOW) - createdAgoMs),
          Tags: [
            { Key: 'stepwise:account', Value: account },
            { Key: 'stepwise:stage', Value: 'test' },
          ],
        });

      beforeEach(() => {
        sm.on(CreateSecretCommand).callsFake(() => {
          calls.push('CreateSecret');
          throw awsError('ResourceExistsException', 'already exists');
        });
      });

      it('treats a young secret as another create in flight: 409, nothing touched', async () => {
        describeAs(5_000);
        expect(await storeWith().create(secret, VALUE)).toBe(false);
        expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
        expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(0);
        expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
      });

      it('adopts an old orphan: claims the metadata item first, then writes the value', async () => {
        sm.on(DescribeSecretCommand).callsFake(() => {
          calls.push('DescribeSecret');
          return { Name: NAME, CreatedDate: new Date(Date.parse(NOW) - 16 * 60 * 1000), Tags: [{ Key: 'stepwise:account', Value: A }, { Key: 'stepwise:stage', Value: 'test' }] };
        });
        expect(await storeWith().create(secret, VALUE)).toBe(true);
        expect(calls).toEqual(['Get', 'CreateSecret', 'DescribeSecret', 'Put', 'PutSecretValue']);
        expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: NAME, SecretString: VALUE });
        expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.ConditionExpression).toBe('attribute_not_exists(pk)');
      });

      it('releases its claim when writing the adopted value fails', async () => {
        describeAs(16 * 60 * 1000);
        sm.on(PutSecretValueCommand).rejects(awsError('InternalServiceError', 'sm down'));
        await expect(storeWith().create(secret, VALUE)).rejects.toThrow('sm down');
        expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({
          TableName: 'tbl',
          Key: KEY,
          ConditionExpression: 'generation = :generation',
          ExpressionAttributeValues: { ':generation': 'gen-1' },
        });
      });

      it('loses to another adopter without writing a value', async () => {
        describeAs(16 * 60 * 1000);
        ddb.on(PutCommand).rejects(conditionFailed);
        expect(await storeWith().create(secret, VALUE)).toBe(false);
        expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
      });

      it('never writes a tenant’s value into a secret not tagged for that account and stage', async () => {
        describeAs(16 * 60 * 1000, 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ');
        await expect(storeWith().create(secret, VALUE)).rejects.toThrow(/without Stepwise tags/);
        expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
        expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
      });
    });
  });

  describe('replace', () => {
    beforeEach(() => {
      ddb.on(GetCommand).callsFake(() => {
        calls.push('Get');
        return { Item: stored };
      });
      ddb.on(UpdateCommand).callsFake(() => {
        calls.push('Update');
        return { Attributes: { ...stored, updated_at: 'later' } };
      });
    });

    it('writes the new value, then the timestamp on the generation it read', async () => {
      expect(await storeWith().replace(A, 'API_KEY', VALUE, 'later')).toEqual({ accountId: A, key: 'API_KEY', createdAt: NOW, updatedAt: 'later' });
      expect(calls).toEqual(['Get', 'PutSecretValue', 'Update']);
      expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: NAME, SecretString: VALUE });
      const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
      expect(update).toMatchObject({ Key: KEY, ConditionExpression: 'generation = :generation', ExpressionAttributeValues: { ':generation': 'gen-0', ':updated_at': 'later' } });
      expect(JSON.stringify(update)).not.toContain(VALUE);
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });

    it('does nothing for a missing key', async () => {
      ddb.on(GetCommand).resolves({});
      expect(await storeWith().replace(A, 'API_KEY', VALUE, 'later')).toBeUndefined();
      expect(sm.calls()).toHaveLength(0);
    });

    it('writes the value back for a listed key whose value is gone (an interrupted delete)', async () => {
      sm.on(PutSecretValueCommand).callsFake(() => {
        calls.push('PutSecretValue');
        throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      });
      expect(await storeWith().replace(A, 'API_KEY', VALUE, 'later')).toMatchObject({ updatedAt: 'later' });
      expect(calls).toEqual(['Get', 'PutSecretValue', 'CreateSecret', 'Update']);
      expect(sm.commandCalls(CreateSecretCommand)[0]!.args[0].input).toMatchObject({ Name: NAME, KmsKeyId: KMS, SecretString: VALUE });
    });

    it('removes a value it wrote back when the key was deleted meanwhile', async () => {
      sm.on(PutSecretValueCommand).rejects(awsError('ResourceNotFoundException'));
      ddb.on(UpdateCommand).rejects(conditionFailed);
      expect(await storeWith().replace(A, 'API_KEY', VALUE, 'later')).toBeUndefined();
      expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: NAME, ForceDeleteWithoutRecovery: true });
    });

    it('reports a key deleted meanwhile as missing', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed);
      expect(await storeWith().replace(A, 'API_KEY', VALUE, 'later')).toBeUndefined();
      expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(0);
    });
  });

  describe('delete', () => {
    beforeEach(() => {
      ddb.on(GetCommand).callsFake(() => {
        calls.push('Get');
        return { Item: stored };
      });
    });

    it('force-deletes the secret, then the metadata item of the generation it read', async () => {
      expect(await storeWith().delete(A, 'API_KEY')).toBe(true);
      expect(calls).toEqual(['Get', 'DeleteSecret', 'Delete']);
      expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: NAME, ForceDeleteWithoutRecovery: true });
      expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({
        TableName: 'tbl',
        Key: KEY,
        ConditionExpression: 'generation = :generation',
        ExpressionAttributeValues: { ':generation': 'gen-0' },
      });
    });

    it('reports a missing key without calling Secrets Manager', async () => {
      ddb.on(GetCommand).resolves({});
      expect(await storeWith().delete(A, 'API_KEY')).toBe(false);
      expect(sm.calls()).toHaveLength(0);
    });

    it('keeps the metadata (still listed, retryable) when Secrets Manager fails', async () => {
      sm.on(DeleteSecretCommand).rejects(awsError('InternalServiceError', 'sm down'));
      await expect(storeWith().delete(A, 'API_KEY')).rejects.toThrow('sm down');
      expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
    });

    it('completes an interrupted delete whose secret is already gone', async () => {
      sm.on(DeleteSecretCommand).rejects(awsError('ResourceNotFoundException'));
      expect(await storeWith().delete(A, 'API_KEY')).toBe(true);
      expect(ddb.commandCalls(DeleteCommand)).toHaveLength(1);
    });

    it('succeeds when a concurrent delete removed the item first', async () => {
      ddb.on(DeleteCommand).rejects(conditionFailed);
      expect(await storeWith().delete(A, 'API_KEY')).toBe(true);
    });
  });

  describe('read', () => {
    it('reads the value only for a key the table lists', async () => {
      ddb.on(GetCommand).resolves({ Item: stored });
      sm.on(GetSecretValueCommand).resolves({ SecretString: VALUE });
      expect(await storeWith().read(A, 'API_KEY')).toBe(VALUE);
      expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: NAME });
    });

    it('never serves an orphan value', async () => {
      ddb.on(GetCommand).resolves({});
      expect(await storeWith().read(A, 'API_KEY')).toBeUndefined();
      expect(sm.calls()).toHaveLength(0);
    });

    it.each([
      ['missing', awsError('ResourceNotFoundException')],
      ['being deleted', awsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.")],
    ])('treats a %s secret as absent', async (_name, error) => {
      ddb.on(GetCommand).resolves({ Item: stored });
      sm.on(GetSecretValueCommand).rejects(error);
      expect(await storeWith().read(A, 'API_KEY')).toBeUndefined();
    });

    it('passes other failures through', async () => {
      ddb.on(GetCommand).resolves({ Item: stored });
      sm.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
      await expect(storeWith().read(A, 'API_KEY')).rejects.toThrow('not allowed');
    });
  });

  describe('deleteAll', () => {
    it('deletes every listed key and every orphan under the account prefix, then the items', async () => {
      ddb.on(QueryCommand).callsFake(() => {
        calls.push('Query');
        return { Items: [stored] };
      });
      const orphan = `stepwise/test/${A}/ORPHAN`;
      sm.on(ListSecretsCommand)
        .resolvesOnce({ SecretList: [{ Name: NAME }], NextToken: 't1' })
        .resolvesOnce({ SecretList: [{ Name: orphan }, { Name: `stepwise/test/${A}x/NOT_OURS` }] });
      await storeWith().deleteAll(A);

      expect(sm.commandCalls(ListSecretsCommand).map((c) => c.args[0].input)).toEqual([
        { Filters: [{ Key: 'name', Values: [`stepwise/test/${A}/`] }], MaxResults: 100, NextToken: undefined },
        { Filters: [{ Key: 'name', Values: [`stepwise/test/${A}/`] }], MaxResults: 100, NextToken: 't1' },
      ]);
      const deleted = sm.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input);
      expect(deleted).toEqual([
        { SecretId: NAME, ForceDeleteWithoutRecovery: true },
        { SecretId: orphan, ForceDeleteWithoutRecovery: true },
      ]);
      expect(ddb.commandCalls(BatchWriteCommand)[0]!.args[0].input.RequestItems).toEqual({ tbl: [{ DeleteRequest: { Key: KEY } }] });
      expect(calls.indexOf('BatchWrite')).toBeGreaterThan(calls.lastIndexOf('DeleteSecret'));
      expect(count('BatchWrite')).toBe(1);
    });

    it('leaves the items (and so the listing) when a secret cannot be deleted', async () => {
      ddb.on(QueryCommand).resolves({ Items: [stored] });
      sm.on(ListSecretsCommand).resolves({ SecretList: [] });
      sm.on(DeleteSecretCommand).rejects(awsError('InternalServiceError', 'sm down'));
      await expect(storeWith().deleteAll(A)).rejects.toThrow('sm down');
      expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    });
  });
});
