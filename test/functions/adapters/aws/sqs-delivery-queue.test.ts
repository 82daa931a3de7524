import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatchBatch } from '../../../../functions/adapters/aws/sqs-batch.ts';
import { SqsDeliveryQueue } from '../../../../functions/adapters/aws/sqs-delivery-queue.ts';
import type { QueueMessage } from '../../../../functions/core/webhooks/ports.ts';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/stepwise-dev-webhook-deliveries';
const attempt = (n: number): QueueMessage => ({ kind: 'attempt', account_id: 'acct_1', webhook_id: 'whk_1', delivery_id: `dlv_${n}`, attempt: n });
const queue = () => new SqsDeliveryQueue(async () => new SQSClient({ region: 'us-east-1' }), URL);

beforeEach(() => sqs.reset());

describe('SqsDeliveryQueue', () => {
  it('sends each message as JSON with its delay rounded up to whole seconds and capped at SQS’s 900', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await queue().send([
      { message: attempt(1), delayMs: 0 },
      { message: attempt(2), delayMs: 4_501 },
      { message: attempt(3), delayMs: 900_000 },
      { message: { kind: 'sweep' }, delayMs: 36_000_000 },
    ]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      QueueUrl: URL,
      Entries: [
        { Id: '0', MessageBody: JSON.stringify(attempt(1)), DelaySeconds: 0 },
        { Id: '1', MessageBody: JSON.stringify(attempt(2)), DelaySeconds: 5 },
        { Id: '2', MessageBody: JSON.stringify(attempt(3)), DelaySeconds: 900 },
        { Id: '3', MessageBody: '{"kind":"sweep"}', DelaySeconds: 900 },
      ],
    });
  });

  it('batches in tens (the SendMessageBatch maximum) and sends nothing for nothing', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    await queue().send([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    await queue().send(Array.from({ length: 23 }, (_, i) => ({ message: attempt(i + 1), delayMs: 1_000 })));
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
  });

  it('fails the call when SQS refuses an entry, so the message that scheduled it is redelivered', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: 'x' }], Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
    await expect(queue().send([{ message: attempt(1), delayMs: 0 }, { message: attempt(2), delayMs: 0 }])).rejects.toThrow(/refused 1 of 2 .*InternalError try again/);
  });
});

describe('dispatchBatch (SQS event source, ReportBatchItemFailures)', () => {
  const record = (id: string, body: string): SQSRecord =>
    ({ messageId: id, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;
  const errors: unknown[] = [];
  const logger = { error: (...args: unknown[]) => void errors.push(args) };

  it('reports only the messages that threw (and malformed ones) for redelivery', async () => {
    const handled: QueueMessage[] = [];
    const result = await dispatchBatch(
      [record('a', '{"kind":"sweep"}'), record('b', JSON.stringify(attempt(2))), record('c', 'not json'), record('d', JSON.stringify(attempt(4)))],
      async (message) => {
        handled.push(message);
        if (message.kind === 'attempt' && message.attempt === 2) throw new Error('DynamoDB throttled');
      },
      logger,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }] });
    expect(handled.map((m) => m.kind)).toEqual(['sweep', 'attempt', 'attempt']);
    expect(errors).toHaveLength(2);
  });

  it('passes an EventBridge event (as the bus rule delivers it) as a domain event', async () => {
    const detail = { id: 'evt_1', event: 'workflow.completed', timestamp: '2026-01-01T00:00:00Z', account_id: 'acct_1', data: { workflow_id: 'wf_1' } };
    const seen: QueueMessage[] = [];
    const result = await dispatchBatch([record('e', JSON.stringify({ version: '0', id: 'eb-1', 'detail-type': 'workflow.completed', source: 'stepwise', detail }))], async (m) => void seen.push(m), logger);
    expect(result.batchItemFailures).toEqual([]);
    expect(seen).toEqual([{ kind: 'event', event: detail }]);
  });
});
