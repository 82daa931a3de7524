import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, QueueMessage } from '../../core/webhooks/ports.ts';

/** SQS's ceiling for DelaySeconds; the dispatcher never asks for more (longer waits hop). */
export const MAX_DELAY_SECONDS = 900;
const BATCH = 10;

/**
 * The webhook delivery queue on SQS. Delays are rounded up to whole seconds, so a message is never
 * received before its attempt is due (the dispatcher re-hops anything that arrives early anyway).
 * SendMessageBatch in tens; any entry SQS refuses fails the call, so the caller's message is
 * redelivered rather than a retry silently dropped.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: () => Promise<SQSClient>,
    private readonly queueUrl: string,
  ) {}

  async send(messages: ReadonlyArray<{ message: QueueMessage; delayMs: number }>): Promise<void> {
    if (messages.length === 0) return;
    const sqs = await this.client();
    for (let start = 0; start < messages.length; start += BATCH) {
      const chunk = messages.slice(start, start + BATCH);
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map(({ message, delayMs }, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(message),
            DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))),
          })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length > 0) {
        throw new Error(`SQS refused ${failed.length} of ${chunk.length} delivery messages: ${failed.map((f) => `${f.Code ?? 'error'} ${f.Message ?? ''}`.trim()).join('; ')}`);
      }
    }
  }
}
