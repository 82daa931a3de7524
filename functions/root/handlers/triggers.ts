import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { triggerOperations } from '../../triggers/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { triggersOf } from '../triggers.ts';
import { pipelineOf } from '../identity.ts';
/** The triggers function's handler over one Stepwise (its Lambda: functions/triggers/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('triggers', triggerOperations(() => triggersOf(stepwise)), pipelineOf(stepwise));
}
