import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { requireCredentialKeys } from '../adapters/config.ts';
import { container } from '../adapters/container.ts';
import { isAppError } from '../core/errors.ts';
import { createLogger } from '../http/logger.ts';
import { allowResponse, credentialsOf, refusalResponse } from './response.ts';

requireCredentialKeys(container().config);
const logger = createLogger(container().config.LOG_LEVEL);

/**
 * REQUEST authorizer for every non-public route. A missing or failed credential is charged to the
 * source address's anonymous budget (lib/definitions/gateway-refusals.ts): within it the answer is
 * Deny with the rate-limit fields (API Gateway's 401), over it `Error('Unauthorized')` (the
 * stage's 429). Anything else (the table unreachable, say) becomes a 500, so an outage is never
 * mistaken for a bad credential.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  let caller;
  try {
    caller = await container().gatewayAuthorizer.authorize(credentialsOf(event));
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthorized') {
      logger.info('authorizer: rejected', { path: event.path, method: event.httpMethod, reason: error.message });
      const refusal = await container().gatewayAuthorizer.refuse(event.requestContext?.identity?.sourceIp ?? 'unknown');
      if (refusal.limited) throw new Error('Unauthorized', { cause: error });
      return refusalResponse(event.methodArn, refusal);
    }
    logger.error('authorizer: failed', { path: event.path, method: event.httpMethod, error: String(error) });
    throw error;
  }
  if (!caller.usageKey) {
    // API Gateway refuses the call (403): the account predates per-account keys; any account update provisions one.
    logger.warn('authorizer: account has no gateway key', { accountId: caller.principal.accountId });
  }
  return allowResponse(event.methodArn, caller);
}
