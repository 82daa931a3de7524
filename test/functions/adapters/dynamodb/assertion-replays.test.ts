import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAssertionReplays } from '../../../../functions/adapters/dynamodb/oauth-repository.ts';

const db = mockClient(DynamoDBDocumentClient);
const replays = new DynamoAssertionReplays(db as unknown as DynamoDBDocumentClient, 'stepwise-test');
const digest = createHash('sha256').update('acct_1.cli_1\njti-1').digest('base64url');
const expiresAt = new Date(1_800_000_000_000);
const failed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

describe('DynamoAssertionReplays', () => {
  beforeEach(() => db.reset());

  it('claims a grant’s jti only if it was never seen, until a minute past exp', async () => {
    db.on(PutCommand).resolvesOnce({}).rejectsOnce(failed());
    expect(await replays.claim('acct_1.cli_1', 'jti-1', expiresAt)).toBe(true);
    expect(db.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'stepwise-test',
      Item: { pk: `OAUTHJTI#${digest}`, sk: 'JTI', client_id: 'acct_1.cli_1', ttl: 1_800_000_060 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(await replays.claim('acct_1.cli_1', 'jti-1', expiresAt)).toBe(false);
  });

  it('lets a Bearer use repeat as the same token only, on the same item a grant would claim', async () => {
    db.on(PutCommand).resolvesOnce({}).rejectsOnce(failed());
    expect(await replays.claimBearer('acct_1.cli_1', 'jti-1', 'h1', expiresAt)).toBe(true);
    expect(db.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'stepwise-test',
      Item: { pk: `OAUTHJTI#${digest}`, sk: 'JTI', client_id: 'acct_1.cli_1', ttl: 1_800_000_060, use: 'bearer', token_hash: 'h1' },
      ConditionExpression: 'attribute_not_exists(pk) OR (#use = :bearer AND token_hash = :hash)',
      ExpressionAttributeNames: { '#use': 'use' },
      ExpressionAttributeValues: { ':bearer': 'bearer', ':hash': 'h1' },
    });
    expect(await replays.claimBearer('acct_1.cli_1', 'jti-1', 'h2', expiresAt)).toBe(false);
  });
});
