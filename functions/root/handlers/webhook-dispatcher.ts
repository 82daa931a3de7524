import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dispatchBatch } from '../../adapters/aws/sqs-batch.ts';
import type { Stepwise } from '../stepwise.ts';
import { webhooksOf } from '../webhooks.ts';

/**
 * The webhook delivery queue's consumer: domain events (from the bus rule) are fanned out to the
 * account's webhooks, attempt messages make one signed attempt, sweep messages re-enqueue lost ones.
 * Every step is idempotent, so SQS redelivery is harmless.
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> =>
    dispatchBatch(event.Records, (message) => webhooksOf(stepwise).dispatcher.handle(message), stepwise.logger);
