import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { changeStreamOf } from '../events.ts';
import type { Stepwise } from '../stepwise.ts';

/**
 * The table's change stream (a Lambda event source mapping on AWS; local mode's stream poller calls
 * it with the same event). Committed changes become domain events on the bus; a failure reports
 * the first record to retry (ReportBatchItemFailures), so nothing committed is skipped.
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    changeStreamOf(stepwise).process(event.Records);
