import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { authOperations } from '../../auth/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf, pipelineOf } from '../identity.ts';

/** The auth function's handler over one Stepwise (its Lambda: functions/auth/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('auth', authOperations(() => identityOf(stepwise).auth, () => identityOf(stepwise).verifier), pipelineOf(stepwise));
}
