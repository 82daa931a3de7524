import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoSecretMetadataRepository } from '../../../../functions/adapters/dynamodb/secret-metadata-repository.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const at = '2026-01-01T00:00:00.000Z';
const conditionFailed = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
const repo = new DynamoSecretMetadataRepository(db, 'tbl', () => 'gen-1', async () => undefined);

const item = (key: string) => ({ key, account_id: A, created_at: at, updated_at: at, generation: 'gen-1' });

describe('DynamoSecretMetadataRepository', () => {
  beforeEach(() => ddb.reset());

  it('lists with one Query per page of the account partition, metadata attributes only, in key order', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [item('API_KEY')], LastEvaluatedKey: { pk: 'x', sk: 'y' } }).resolvesOnce({ Items: [item('DATABASE_URL')] });
    const listed = await repo.list(A);
    expect(listed.map((s) => s.key)).toEqual(['API_KEY', 'DATABASE_URL']);
    expect(listed[0]).toEqual({ accountId: A, key: 'API_KEY', createdAt: at, updatedAt: at });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      TableName: 'tbl',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: { ':pk': `ACCT#${A}`, ':prefix': 'SECRET#' },
      ProjectionExpression: '#key, account_id, created_at, updated_at, generation',
      ScanIndexForward: true,
      ExclusiveStartKey: undefined,
    });
    expect(calls[1]?.ExclusiveStartKey).toEqual({ pk: 'x', sk: 'y' });
  });

  it('gets with a consistent read, and the sealed attributes only when asked', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repo.get(A, 'API_KEY')).toBeUndefined();
    await repo.get(A, 'API_KEY', { withValue: true });
    const [plain, withValue] = ddb.commandCalls(GetCommand).map((c) => c.args[0].input);
    expect(plain).toMatchObject({ TableName: 'tbl', Key: { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY' }, ConsistentRead: true });
    expect(plain?.ProjectionExpression).not.toContain('sealed');
    expect(withValue?.ProjectionExpression).toContain('sealed_ct');
  });

  it('creates only if absent, with a fresh generation', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed);
    const secret = { accountId: A, key: 'API_KEY', createdAt: at, updatedAt: at };
    expect(await repo.create(secret)).toEqual({ ...secret, generation: 'gen-1' });
    expect(await repo.create(secret)).toBeUndefined();
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Item: { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY', entity: 'secret', account_id: A, key: 'API_KEY', created_at: at, updated_at: at, generation: 'gen-1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('updates on the generation it read, or on existence', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: { ...item('API_KEY'), updated_at: 'later' } }).rejectsOnce(conditionFailed);
    expect(await repo.update(A, 'API_KEY', 'later', { generation: 'gen-1' })).toMatchObject({ updatedAt: 'later', createdAt: at });
    expect(await repo.update(A, 'API_KEY', 'later')).toBeUndefined();
    const [byGeneration, byExistence] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(byGeneration).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY' },
      UpdateExpression: 'SET updated_at = :updated_at',
      ConditionExpression: 'generation = :generation',
      ExpressionAttributeValues: { ':updated_at': 'later', ':generation': 'gen-1' },
      ReturnValues: 'ALL_NEW',
    });
    expect(byExistence?.ConditionExpression).toBe('attribute_exists(pk)');
  });

  it('deletes conditionally and reports a missing key as false', async () => {
    ddb.on(DeleteCommand).resolvesOnce({}).rejectsOnce(conditionFailed);
    expect(await repo.delete(A, 'API_KEY', 'gen-1')).toBe(true);
    expect(await repo.delete(A, 'API_KEY')).toBe(false);
    const [first, second] = ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input);
    expect(first).toEqual({
      TableName: 'tbl',
      Key: { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY' },
      ConditionExpression: 'generation = :generation',
      ExpressionAttributeValues: { ':generation': 'gen-1' },
    });
    expect(second?.ConditionExpression).toBe('attribute_exists(pk)');
  });

  it('passes other errors through', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(repo.create({ accountId: A, key: 'K', createdAt: at, updatedAt: at })).rejects.toThrow('slow down');
  });

  it('deletes all of an account’s items in batches of 25, retrying unprocessed ones', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `K${String(i).padStart(2, '0')}`);
    ddb.on(QueryCommand).resolves({ Items: keys.map(item) });
    const unprocessed = { DeleteRequest: { Key: { pk: `ACCT#${A}`, sk: 'SECRET#K00' } } };
    ddb.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: { tbl: [unprocessed] } }).resolves({});
    expect(await repo.deleteAll(A)).toEqual(keys);
    const batches = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.tbl!);
    expect(batches.map((b) => b.length)).toEqual([25, 1, 5]);
    expect(batches[1]).toEqual([unprocessed]);
  });

  it('gives up on items DynamoDB keeps refusing', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item('K')] });
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { tbl: [{ DeleteRequest: { Key: { pk: `ACCT#${A}`, sk: 'SECRET#K' } } }] } });
    await expect(repo.deleteAll(A)).rejects.toThrow(/retry/);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(5);
  });
});
