import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { apiKeyOperations } from '../../api-keys/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf, pipelineOf } from '../identity.ts';

/** The api-keys function's handler over one Stepwise (its Lambda: functions/api-keys/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('api-keys', apiKeyOperations(() => identityOf(stepwise).apiKeys), pipelineOf(stepwise));
}
