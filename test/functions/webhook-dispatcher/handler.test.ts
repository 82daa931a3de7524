import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111122223333/stepwise-prod-webhook-deliveries';

const event = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSEvent['Records'][number]),
});

/**
 * The Lambda entry as deployed: AWS mode with only what the construct gives it (no JWKS: a worker
 * verifies no credential), the table and the queue behind the SDK mocks.
 */
describe('webhook-dispatcher handler (aws mode)', () => {
  let handler: (e: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

  beforeAll(async () => {
    vi.stubEnv('STEPWISE_MODE', 'aws');
    vi.stubEnv('STEPWISE_STAGE', 'prod');
    vi.stubEnv('TABLE_NAME', 'stepwise-prod-table');
    vi.stubEnv('WEBHOOK_QUEUE_URL', QUEUE);
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('LOG_LEVEL', 'error');
    vi.stubEnv('JWKS_SECRET_ARN', undefined);
    ({ handler } = await import('../../../functions/webhook-dispatcher/handler.ts'));
  });
  afterAll(() => vi.unstubAllEnvs());

  it('sweeps: reads the due index of every shard and re-enqueues what is overdue on its queue', async () => {
    const overdue = {
      pk: 'ACCT#acct_1',
      sk: 'WHDLV#whk_1#dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      entity: 'webhook_delivery',
      id: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      account_id: 'acct_1',
      webhook_id: 'whk_1',
      status: 'pending',
      attempts: 3,
      cycle_start: 0,
      max_attempts: 8,
      next_attempt_at: '2000-01-01T00:00:00.000Z',
      attempt_log: [],
      lease: null,
      revision: 4,
      body: '{}',
      created_at: '2000-01-01T00:00:00.000Z',
      updated_at: '2000-01-01T00:00:00.000Z',
    };
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({ Items: input.ExpressionAttributeValues[':pk'] === 'WHDUE#0' ? [overdue] : [] }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    expect(await handler(event(['{"kind":"sweep"}']))).toEqual({ batchItemFailures: [] });
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => [q.TableName, q.IndexName, q.ExpressionAttributeValues?.[':pk']]).toSorted()).toEqual(
      Array.from({ length: 8 }, (_, i) => ['stepwise-prod-table', 'gsi1', `WHDUE#${i}`]),
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      Entries: [{ Id: '0', MessageBody: JSON.stringify({ kind: 'attempt', account_id: 'acct_1', webhook_id: 'whk_1', delivery_id: overdue.id, attempt: 4 }), DelaySeconds: 0 }],
    });
  });

  it('reports a malformed message and a failing one, and acknowledges the rest', async () => {
    ddb.reset();
    ddb.on(GetCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const attempt = JSON.stringify({ kind: 'attempt', account_id: 'acct_1', webhook_id: 'whk_1', delivery_id: 'dlv_1', attempt: 2 });
    const result = await handler(event(['{"kind":"nope"}', attempt]));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m0', 'm1']);
  });
});
