import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../../functions/adapters/dynamodb/idempotency-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoIdempotencyStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const scope = { accountId: 'acct_1', operation: 'createTask', key: 'order-42' };
// sha256('order-42'), base64url: the client's key itself is never stored.
const KEY = { pk: 'ACCT#acct_1', sk: 'IDEMP#op:createTask#O_ixV8Qjju_lrkpm7Kgca4h9Tc7bWN1nQnGFn03C7f0' };
const now = new Date('2026-11-24T12:00:00Z');
const NOW = 1_795_521_600;
const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item ? { Item: item } : {}) });

describe('DynamoIdempotencyStore', () => {
  beforeEach(() => ddb.reset());

  it('claims with one conditional Put that also takes over expired claims and abandoned leases', async () => {
    ddb.on(PutCommand).resolves({});
    await expect(store.claim(scope, 'fp', now)).resolves.toEqual({ state: 'claimed' });
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Item: { ...KEY, entity: 'idempotency', state: 'in_progress', fingerprint: 'fp', claimed_at: NOW, ttl: NOW + 86_400 },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now OR (#state = :in_progress AND claimed_at < :stale)',
      ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state' },
      ExpressionAttributeValues: { ':now': NOW, ':in_progress': 'in_progress', ':stale': NOW - 60 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reads a refusal from the returned item, in wire form or not, without a second call', async () => {
    const kept = { status: 201, body: { id: 't1' }, headers: {} };
    ddb
      .on(PutCommand)
      .rejectsOnce(conditionFailed({ pk: { S: KEY.pk }, fingerprint: { S: 'fp' }, state: { S: 'completed' }, response: { S: JSON.stringify(kept) } }))
      .rejectsOnce(conditionFailed({ pk: KEY.pk, fingerprint: 'fp', state: 'in_progress' }))
      .rejectsOnce(conditionFailed({ pk: KEY.pk, fingerprint: 'other', state: 'completed' }));
    await expect(store.claim(scope, 'fp', now)).resolves.toEqual({ state: 'replay', result: kept });
    await expect(store.claim(scope, 'fp', now)).resolves.toEqual({ state: 'in_progress' });
    await expect(store.claim(scope, 'fp', now)).resolves.toEqual({ state: 'mismatch' });
    expect(ddb.calls()).toHaveLength(3);
  });

  it('passes other errors on', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store.claim(scope, 'fp', now)).rejects.toThrow('slow down');
  });

  it('completes with a conditional Update carrying the answer as JSON, and releases with a Delete', async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    await store.complete(scope, { status: 201, body: { id: 't1' }, headers: { Location: '/x' } });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Key: KEY,
      UpdateExpression: 'SET #state = :done, #response = :response',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'completed', ':response': '{"status":201,"body":{"id":"t1"},"headers":{"Location":"/x"}}' },
    });
    await store.release(scope);
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({ TableName: 'tbl', Key: KEY });
  });
});
