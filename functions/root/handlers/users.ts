import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { userOperations } from '../../users/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf, pipelineOf } from '../identity.ts';

/** The users function's handler over one Stepwise (its Lambda: functions/users/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('users', userOperations(() => identityOf(stepwise).users), pipelineOf(stepwise));
}
