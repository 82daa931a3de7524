import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { executionOperations } from '../../executions/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { executionsOf } from '../executions.ts';
import { pipelineOf } from '../identity.ts';
/** The executions function's handler over one Stepwise (its Lambda: functions/executions/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('executions', executionOperations(() => executionsOf(stepwise)), pipelineOf(stepwise));
}
