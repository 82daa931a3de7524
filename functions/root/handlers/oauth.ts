import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { oauthOperations } from '../../oauth/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf, pipelineOf } from '../identity.ts';

/** The oauth function's handler over one Stepwise (its Lambda: functions/oauth/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('oauth', oauthOperations(() => identityOf(stepwise).oauth), pipelineOf(stepwise));
}
