import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { GatewayAuthorizer } from '../core/auth/gateway-authorizer.ts';
import { isAppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { allowResponse, credentialsOf, refusalResponse } from './response.ts';

export interface AuthorizerDeps {
  /** Built on first use (functions/root/stepwise.ts): the authorizer's read-only verifier. */
  readonly authorizer: () => Pick<GatewayAuthorizer, 'authorize' | 'refuse'>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * REQUEST authorizer for every non-public route. A missing or failed credential is charged to the
 * source address's anonymous budget (lib/definitions/gateway-refusals.ts): within it the answer is
 * Deny with the rate-limit fields (API Gateway's 401), over it `Error('Unauthorized')` (the
 * stage's 429). Anything else (the table unreachable, say) becomes a 500, so an outage is never
 * mistaken for a bad credential.
 */
export function createAuthorizer({ authorizer, logger }: AuthorizerDeps): (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult> {
  return async (event) => {
    let caller;
    try {
      caller = await authorizer().authorize(credentialsOf(event));
    } catch (error) {
      if (isAppError(error) && error.code === 'unauthorized') {
        logger.info('authorizer: rejected', { path: event.path, method: event.httpMethod, reason: error.message });
        const refusal = await authorizer().refuse(event.requestContext?.identity?.sourceIp ?? 'unknown');
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
  };
}
