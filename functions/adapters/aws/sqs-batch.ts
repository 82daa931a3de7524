import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { parseQueueMessage } from '../../core/webhooks/messages.ts';
import type { QueueMessage } from '../../core/webhooks/ports.ts';
import type { ErrorLogger } from '../../core/logger.ts';


/**
 * One SQS batch, every message handled concurrently; the ones that threw are reported back
 * (ReportBatchItemFailures), so only they return to the queue — and after maxReceiveCount, to the
 * dead-letter queue — while the rest are deleted.
 */
export async function dispatchBatch(records: readonly SQSRecord[], handle: (message: QueueMessage) => Promise<unknown>, logger: ErrorLogger): Promise<SQSBatchResponse> {
  const results = await Promise.allSettled(records.map(async (record) => handle(parseQueueMessage(record.body))));
  const batchItemFailures = records.flatMap((record, i) => {
    const result = results[i];
    if (result?.status !== 'rejected') return [];
    logger.error('webhook dispatcher: message failed', {
      message_id: record.messageId,
      receive_count: Number(record.attributes?.ApproximateReceiveCount ?? 0),
      error: result.reason instanceof Error ? `${result.reason.name}: ${result.reason.message}` : String(result.reason),
    });
    return [{ itemIdentifier: record.messageId }];
  });
  return { batchItemFailures };
}
