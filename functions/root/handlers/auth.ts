import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { authOperations } from '../../auth/operations.ts';
import type { Stepwise } from '../stepwise.ts';

/** The auth function's handler over one Stepwise (its Lambda: functions/auth/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('auth', authOperations(() => stepwise.auth, () => stepwise.verifier), stepwise.pipeline);
}
