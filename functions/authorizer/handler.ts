import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/authorizer.ts';

/**
 * REQUEST authorizer for every non-public route. A missing or failed credential is charged to the
 * source address's anonymous budget (lib/definitions/gateway-refusals.ts): within it the answer is
 * Deny with the rate-limit fields (API Gateway's 401), over it `Error('Unauthorized')` (the
 * stage's 429). Anything else (the table unreachable, say) becomes a 500, so an outage is never
 * mistaken for a bad credential.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/AuthorizerFunction'));
