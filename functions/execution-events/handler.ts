import type { EventBridgeEvent } from 'aws-lambda';
import { executionDeps } from '../adapters/executions-wiring.ts';
import type { StatusChangeDetail } from '../core/executions/execution-status.ts';

/**
 * "Step Functions Execution Status Change" events of this stage's machines (an EventBridge rule in
 * AWS; the local engine calls it directly). Applying is idempotent, so EventBridge's retries and
 * duplicate deliveries are harmless; a throw makes EventBridge retry.
 */
export async function handler(event: Pick<EventBridgeEvent<'Step Functions Execution Status Change', StatusChangeDetail>, 'detail'>): Promise<{ outcome: string }> {
  return { outcome: await executionDeps().status.apply(event.detail) };
}
