import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { container } from '../adapters/container.ts';
import { dispatchBatch } from '../adapters/aws/sqs-batch.ts';
import { webhookDeps } from '../adapters/webhooks-wiring.ts';
import { createLogger } from '../http/logger.ts';

const logger = createLogger(container().config.LOG_LEVEL);

/**
 * The webhook delivery queue's consumer: domain events (from the bus rule) are fanned out to the
 * account's webhooks, attempt messages make one signed attempt, sweep messages re-enqueue lost ones.
 * Every step is idempotent, so SQS redelivery is harmless.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return dispatchBatch(event.Records, (message) => webhookDeps().dispatcher.handle(message), logger);
}
