import type { EventBridgeEvent } from 'aws-lambda';
import type { StatusChangeDetail } from '../../core/executions/execution-status.ts';
import { executionsOf } from '../executions.ts';
import type { Stepwise } from '../stepwise.ts';

/**
 * "Step Functions Execution Status Change" events of this stage's machines (an EventBridge rule in
 * AWS; the local engine's thread applies them directly). Applying is idempotent, so EventBridge's
 * retries and duplicate deliveries are harmless; a throw makes EventBridge retry.
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: Pick<EventBridgeEvent<'Step Functions Execution Status Change', StatusChangeDetail>, 'detail'>): Promise<{ outcome: string }> => ({
    outcome: await executionsOf(stepwise).status.apply(event.detail),
  });
