import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../../../../functions/adapters/dynamodb/session-store.ts';
import type { Session } from '../../../../functions/core/auth/session.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoSessionStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const s: Session = {
  id: 'ses_1', accountId: 'acct_1', userId: 'usr_1', status: 'active', refreshHash: 'h1', usedHashes: ['h0'],
  createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-31T00:00:00.000Z',
};

describe('DynamoSessionStore', () => {
  beforeEach(() => ddb.reset());

  it('stores the session under its account with a user index and TTL a day past expiry', async () => {
    ddb.on(PutCommand).resolves({});
    await store.create(s);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'tbl',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'ACCT#acct_1', sk: 'SESSION#ses_1', gsi1pk: 'ACCT#acct_1#USER#usr_1#SESSIONS', gsi1sk: 'ses_1', refresh_hash: 'h1', ttl: Date.parse(s.expiresAt) / 1000 + 86_400 },
    });
  });

  it('rotates only from the current hash of an active session, remembering the old one', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await store.rotate(s, 'h2')).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Key: { pk: 'ACCT#acct_1', sk: 'SESSION#ses_1' },
      UpdateExpression: 'SET refresh_hash = :next, used_hashes = :used',
      ConditionExpression: 'refresh_hash = :current AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':next': 'h2', ':used': ['h1', 'h0'], ':current': 'h1', ':active': 'active' },
    });
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('c'), { name: 'ConditionalCheckFailedException' }));
    expect(await store.rotate(s, 'h3')).toBe(false);
  });

  it('revokes every session of a user through the index', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ id: 'ses_1' }, { id: 'ses_2' }] });
    ddb.on(UpdateCommand).resolves({});
    await store.revokeAllForUser('acct_1', 'usr_1', 'deactivated');
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': 'ACCT#acct_1#USER#usr_1#SESSIONS' } });
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: 'ACCT#acct_1', sk: 'SESSION#ses_1' },
      { pk: 'ACCT#acct_1', sk: 'SESSION#ses_2' },
    ]);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toEqual({ ':revoked': 'revoked', ':reason': 'deactivated' });
  });
});
