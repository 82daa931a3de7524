import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/event-stream.ts';

/**
 * The table's change stream (a Lambda event source mapping on AWS; local mode's stream poller calls
 * it with the same event). Committed changes become domain events on the bus; a failure reports
 * the first record to retry (ReportBatchItemFailures), so nothing committed is skipped.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/ChangeEvents/EventStream'));
