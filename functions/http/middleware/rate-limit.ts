import type { MiddlewareObj } from '@middy/core';
import { rateLimitExceeded, rateLimitHeaders } from '../../core/rate-limit/policy.ts';
import type { RequestRateLimiter } from '../../core/rate-limit/rate-limiter.ts';
import { routeKey, type RouteDefinition } from '../../../lib/definitions/routes.ts';
import type { Logger } from '../../core/logger.ts';
import type { HttpEvent, HttpResponse, PipelineState } from '../types.ts';

/**
 * Routes that are never counted and carry no rate-limit fields: health checks must not be starved
 * by a busy client behind the same address, and the API description is static.
 */
export const UNLIMITED_ROUTES: ReadonlySet<string> = new Set([
  'GET /health',
  'GET /api/v1/health',
  'GET /api/v1/openapi.json',
  'GET /api/v1/docs',
  'GET /openapi.json',
  'GET /docs',
  'GET /redoc',
  'GET /docs/assets/{file}',
]);

/** At most one "failing open" warning per this many milliseconds per container, with a count of the rest. */
const WARN_EVERY_MS = 10_000;

/**
 * Charges every request exactly once, after authentication:
 * - authenticated: to the verified credential, at its plan's limit (in `before`);
 * - anything that failed earlier — missing or bad credentials, malformed or oversized bodies —
 *   to the source address at the anonymous limit (in `onError`), and over that limit the answer
 *   becomes 429 instead of the original error, so a flood of bad tokens is cut off at the
 *   anonymous budget like any other anonymous traffic.
 * The decision's headers go to `PipelineState.rateLimitHeaders`, which request-context stamps on
 * every response, errors included. If the counter store is down the request is let through.
 */
export function rateLimit(
  routeOf: (event: HttpEvent) => RouteDefinition | undefined,
  limiter: RequestRateLimiter,
  logger: Logger,
): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  const charged = new WeakSet<object>();
  let lastWarning = -Infinity;
  let suppressed = 0;

  const charge = async (request: { event: HttpEvent; internal: Record<string, unknown> }) => {
    charged.add(request);
    const route = routeOf(request.event);
    if (route && UNLIMITED_ROUTES.has(routeKey(route))) return undefined;
    const state = request.internal as PipelineState;
    const sourceIp = request.event.requestContext?.identity?.sourceIp ?? 'unknown';
    let outcome;
    try {
      outcome = await limiter.consume(state.principal, sourceIp);
    } catch (error) {
      warn(state.requestId, error);
      return undefined;
    }
    if (outcome.unavailable !== undefined) warn(state.requestId, outcome.unavailable);
    state.rateLimitHeaders = { ...state.rateLimitHeaders, ...rateLimitHeaders(outcome.decision) };
    return outcome.decision.allowed ? undefined : rateLimitExceeded(outcome.decision);
  };

  const warn = (requestId: string | undefined, error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < WARN_EVERY_MS) {
      suppressed++;
      return;
    }
    const e = error as { name?: string; message?: string } | undefined;
    logger.warn('rate limiter unavailable; failing open', {
      request_id: requestId,
      error: e?.name,
      detail: e?.message,
      suppressed_since_last: suppressed,
    });
    lastWarning = now;
    suppressed = 0;
  };

  return {
    name: 'rateLimit',
    before: async (request) => {
      const refused = await charge(request);
      if (refused) throw refused;
    },
    onError: async (request) => {
      // Already charged: the error came from this middleware or from later (validation, the
      // operation itself), and the request's headers are set.
      if (charged.has(request)) return;
      const refused = await charge(request);
      if (refused) request.error = refused;
    },
  };
}
