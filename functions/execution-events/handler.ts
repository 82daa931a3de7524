import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/execution-events.ts';

/**
 * "Step Functions Execution Status Change" events of this stage's machines (an EventBridge rule in
 * AWS; the local engine calls it directly). Applying is idempotent, so EventBridge's retries and
 * duplicate deliveries are harmless; a throw makes EventBridge retry.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Workflow/ExecutionEvents'));
