/**
 * What API Gateway answers itself when the REQUEST authorizer turns a request away (missing or
 * failed credentials), so those requests count against their address's anonymous rate limit and
 * carry its fields like every other answer (docs/api.md#rate-limits). CDK's gateway responses
 * (lib/api-stack.ts) and the local gateway (functions/adapters/local/api-gateway-server.ts) both
 * read this file. Pure data: no CDK or function imports.
 *
 * A Lambda authorizer can only answer Allow, Deny or `Error('Unauthorized')`, and a gateway
 * response's status is fixed per type, but only Deny carries the authorizer's `context` into the
 * response. So:
 * - within the anonymous budget the authorizer answers **Deny**, with the rate-limit fields in its
 *   context; the ACCESS_DENIED response is a 401 whose headers are mapped from that context;
 * - over it the authorizer throws `Unauthorized`; the UNAUTHORIZED response is a 429 with the
 *   stage's anonymous policy, which is fixed (`Retry-After` is the window: an upper bound).
 */

/** Response header → the authorizer-context key that carries its value (letters only: API Gateway allows no other characters but `_`). */
export const REFUSAL_CONTEXT_HEADERS = {
  'X-RateLimit-Limit': 'rateLimitLimit',
  'X-RateLimit-Remaining': 'rateLimitRemaining',
  'X-RateLimit-Reset': 'rateLimitReset',
  'RateLimit-Policy': 'rateLimitPolicy',
  RateLimit: 'rateLimitState',
} as const;

export const REFUSAL_MESSAGE = 'Unauthorized';

/** The fixed fields of the 429 an address over its anonymous budget gets from the gateway. */
export function anonymousLimitedHeaders(limits: { readonly anonymous: number; readonly windowSeconds: number }): Record<string, string> {
  return {
    'Retry-After': String(limits.windowSeconds),
    'X-RateLimit-Limit': String(limits.anonymous),
    'X-RateLimit-Remaining': '0',
    'RateLimit-Policy': `"anonymous";q=${limits.anonymous};w=${limits.windowSeconds}`,
    RateLimit: `"anonymous";r=0;t=${limits.windowSeconds}`,
  };
}

export function anonymousLimitedMessage(limits: { readonly windowSeconds: number }): string {
  return `Rate limit exceeded. Please retry after ${limits.windowSeconds} seconds.`;
}
