import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../../functions/adapters/dynamodb/rate-limiter.ts';
import { RateLimitStoreUnavailable } from '../../../../functions/core/rate-limit/ports.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const counter = new DynamoRateLimiter(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const request = { key: 'cred#ses_1', limit: 100, windowStart: 1_767_225_600, windowEnd: 1_767_225_660 };
const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item ? { Item: item } : {}) });

describe('DynamoRateLimiter', () => {
  beforeEach(() => ddb.reset());

  it('counts with one conditional UpdateItem on the window’s item', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { n: 13, ttl: 1_767_225_720 } });
    await expect(counter.increment(request)).resolves.toEqual({ count: 13, allowed: true });
    const calls = ddb.calls();
    expect(calls).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'tbl',
      Key: { pk: 'RATELIMIT#cred#ses_1', sk: 'W60#1767225600' },
      UpdateExpression: 'ADD n :one SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':limit': 100, ':ttl': 1_767_225_720 },
      ReturnValues: 'UPDATED_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reads the count from the refused item (wire form, as the document client leaves it)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'RATELIMIT#cred#ses_1' }, n: { N: '100' } }));
    await expect(counter.increment(request)).resolves.toEqual({ count: 100, allowed: false });
  });

  it('also accepts an unmarshalled refused item, or none (then the count is the limit)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed({ n: 120 }));
    await expect(counter.increment(request)).resolves.toEqual({ count: 120, allowed: false });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(counter.increment(request)).resolves.toEqual({ count: 100, allowed: false });
  });

  it.each([
    ['throttled', Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' })],
    ['denied', Object.assign(new Error('not authorized to perform: dynamodb:UpdateItem'), { name: 'AccessDeniedException' })],
    ['timed out', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })],
  ])('translates a %s store into RateLimitStoreUnavailable', async (_name, error) => {
    ddb.on(UpdateCommand).rejects(error);
    const failure = await counter.increment(request).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitStoreUnavailable);
    expect((failure as Error).message).toContain(error.name);
    expect((failure as Error).cause).toBe(error);
  });

  it('bounds the call with an abort signal (fail open quickly rather than hold the request)', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { n: 1 } });
    await counter.increment(request);
    const options = (ddb.commandCalls(UpdateCommand)[0]!.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
    expect(options!.abortSignal!.aborted).toBe(false);
  });
});
