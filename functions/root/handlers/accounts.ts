import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { accountResourceOperations } from '../../accounts/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf, pipelineOf } from '../identity.ts';

/** The accounts function's handler over one Stepwise (its Lambda: functions/accounts/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('accounts', accountResourceOperations(() => identityOf(stepwise).accounts, () => stepwise.secrets), pipelineOf(stepwise));
}
