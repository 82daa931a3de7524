import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import type { CredentialVerifier } from '../core/auth/ports.ts';
import type { RequestRateLimiter } from '../core/rate-limit/rate-limiter.ts';
import { AppError } from '../core/errors.ts';
import { routeKey, routesOf, type Resource, type RouteDefinition } from '../../lib/definitions/routes.ts';
import type { IdempotencyStore } from '../core/idempotency/idempotency.ts';
import { idempotentRun } from './idempotency.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { authenticate } from './middleware/authenticate.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { jsonBody } from './middleware/json-body.ts';
import { pagePolicy } from './middleware/page-policy.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import type { Operation } from './operation.ts';
import { jsonResponse } from './responses.ts';
import type { HttpEvent, HttpResponse, PipelineState } from './types.ts';
import { parsePart } from './validation.ts';

export interface PipelineOptions {
  /** Lazy so public-only resources never build a verifier (and never read key material). */
  verifier: () => CredentialVerifier;
  logger?: Logger;
  corsOrigins?: string[];
  /** Per-principal rate limiting (docs/api.md#rate-limits); without one, nothing is counted and no rate-limit headers are sent. */
  rateLimiter?: RequestRateLimiter;
  /** Keeps the answers of `idempotency: 'pipeline'` routes for Idempotency-Key replays; without one the header is ignored. */
  idempotency?: IdempotencyStore;
}

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

/**
 * The one HTTP pipeline every resource's Lambda uses: request id → CORS and security headers →
 * body limits and JSON → authentication and scope → rate limit → validation → (Idempotency-Key) →
 * operation → error shape.
 * Construction checks the operations against the route table, so a missing or mis-scoped
 * operation fails at cold start rather than on a request.
 */
export function httpHandler(resource: Resource, operations: Record<string, Operation>, options: PipelineOptions): HttpHandler {
  const routes = routesOf(resource);
  assertOperationsMatchRoutes(resource, routes, operations);
  const byKey = new Map(routes.map((r) => [routeKey(r), r]));
  const routeOf = (event: HttpEvent) => byKey.get(`${event.httpMethod} ${event.resource}`);
  const states = new WeakMap<HttpEvent, PipelineState>();
  const logger = options.logger ?? silentLogger;

  const dispatch = async (event: HttpEvent): Promise<HttpResponse> => {
    const route = routeOf(event);
    const state = states.get(event);
    if (!route || !state) throw new AppError('not_found', `No route for ${event.httpMethod} ${event.path}`);
    const op = operations[route.operation]!;
    const { spec } = op;
    const input = {
      params: spec.params ? parsePart(spec.params, event.pathParameters ?? {}, 'path') : undefined,
      query: spec.query ? parsePart(spec.query, event.queryStringParameters ?? {}, 'query') : undefined,
      body: spec.body ? parsePart(spec.body, state.body ?? {}, 'body') : undefined,
      principal: state.principal,
      headers: state.headers,
      requestId: state.requestId,
      sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
    };
    // Invalid input is refused before a key is claimed, so a corrected retry may reuse the key.
    const run = () => op.run(input);
    const result = route.idempotency === 'pipeline' && options.idempotency ? await idempotentRun(options.idempotency, route, state, run, logger) : await run();
    if (result.text !== undefined) return { statusCode: result.status, headers: result.headers ?? {}, body: result.text };
    return jsonResponse(result.status, result.body, result.headers);
  };

  const handler = middy<HttpEvent, HttpResponse, Error, Context>()
    .use(requestContext())
    .use(httpCors({ origins: options.corsOrigins ?? ['*'], exposeHeaders: EXPOSED_HEADERS.join(','), maxAge: 600 }))
    .use(httpSecurityHeaders({ contentSecurityPolicy: false }))
    .use(pagePolicy())
    .use(errorHandler(logger))
    .use(jsonBody())
    .use(authenticate(routeOf, options.verifier))
    .use(options.rateLimiter ? rateLimit(routeOf, options.rateLimiter, logger) : [])
    .before((request) => {
      states.set(request.event, request.internal as PipelineState);
    })
    .handler(dispatch);
  return handler as unknown as HttpHandler;
}

const EXPOSED_HEADERS = [
  'X-Request-Id',
  'ETag',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit',
  'RateLimit-Policy',
];

function assertOperationsMatchRoutes(resource: Resource, routes: readonly RouteDefinition[], operations: Record<string, Operation>) {
  for (const route of routes) {
    const op = operations[route.operation];
    if (!op) throw new Error(`${resource}: no operation '${route.operation}' for ${routeKey(route)}`);
    if (op.authenticated !== (route.scope !== null)) {
      throw new Error(`${resource}: operation '${route.operation}' disagrees with the route table about authentication`);
    }
  }
}
