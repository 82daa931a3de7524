import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { chatOperations } from '../../chat/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { chatOf } from '../chat.ts';
import { pipelineOf } from '../identity.ts';
/** The chat function's handler over one Stepwise (its Lambda: functions/chat/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('chat', chatOperations(() => chatOf(stepwise)), pipelineOf(stepwise));
}
