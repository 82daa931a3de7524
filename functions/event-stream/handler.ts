import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventStreamProcessor } from '../adapters/events-wiring.ts';

/**
 * The table's change stream (a Lambda event source mapping on AWS; local mode's stream poller calls
 * it with the same event). Committed changes become domain events on the bus; a failure reports
 * the first record to retry (ReportBatchItemFailures), so nothing committed is skipped.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return eventStreamProcessor().process(event.Records);
}
