import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { newId } from '../../core/ids.ts';
import { anonymousLimitedHeaders, anonymousLimitedMessage, REFUSAL_CONTEXT_HEADERS } from '../../../lib/definitions/gateway-refusals.ts';
import { ROUTES, type Resource, type RouteDefinition } from '../../../lib/definitions/routes.ts';
import type { ConsoleAssets } from './console-assets.ts';

/** Security headers on answers the gateway gives itself, matching the pipeline's (middy http-security-headers). */
export const GATEWAY_RESPONSE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains; preload',
} as const;

/** API Gateway's own payload limit; the pipeline enforces the API's 1 MB rule itself. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  params: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
}

/** A resource's Lambda proxy handler (what functions/http/pipeline.ts builds), seen from the gateway. */
export type LocalHttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult & { headers: Record<string, string> }>;

/** The REQUEST authorizer's handler (functions/authorizer/handler.ts). */
export type LocalAuthorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

export interface LocalApiOptions {
  handlers: Record<Resource, LocalHttpHandler>;
  /** Runs before every route with a scope, as the API's Lambda authorizer does in AWS. */
  authorizer?: LocalAuthorizer;
  corsOrigin?: string;
  /** The stage's anonymous limit, for the gateway's own 429 (lib/definitions/gateway-refusals.ts); without it a refusal is a plain 401. */
  anonymousLimit?: { anonymous: number; windowSeconds: number };
  /** The web console at `/` (functions/adapters/local/console-assets.ts); it claims no API route. */
  console?: ConsoleAssets;
  onRequest?: (info: { method: string; path: string; status: number; ms: number }) => void;
}

/**
 * Emulates API Gateway's REST proxy integration: matches the route table, builds the same proxy
 * event Lambda receives and calls the same handler. CORS preflight is answered here, as API
 * Gateway's preflight mock integration does in AWS.
 */
export function createLocalApi(options: LocalApiOptions): Server {
  const compiled = ROUTES.map(compile);
  return createServer((req, res) => {
    const started = performance.now();
    handle(req, res, compiled, options)
      .catch((error: unknown) => {
        console.error('local api: unhandled', error);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal_error', message: 'Local gateway error', request_id: 'local' } });
      })
      .finally(() => options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode, ms: performance.now() - started }));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: CompiledRoute[], options: LocalApiOptions) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const requestId = newId('request');
  if (options.console?.serve(req, res, url.pathname)) return;
  const pathMatches = routes.filter((r) => r.pattern.test(url.pathname));
  if (method === 'OPTIONS' && pathMatches.length > 0) {
    res.writeHead(204, {
      'X-Request-Id': requestId,
      'Access-Control-Allow-Origin': options.corsOrigin ?? '*',
      'Access-Control-Allow-Methods': [...new Set(pathMatches.map((r) => r.route.method))].join(','),
      'Access-Control-Allow-Headers': 'Authorization,Content-Type,Idempotency-Key,If-Match,X-API-Key,X-Request-Id',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  const match = pathMatches.find((r) => r.route.method === method);
  if (!match) {
    const allowed = pathMatches.map((r) => r.route.method);
    const message = allowed.length ? `Method ${method} is not allowed here; use ${allowed.join(', ')}` : `No route for ${method} ${url.pathname}`;
    send(res, allowed.length ? 405 : 404, { error: { code: 'not_found', message, request_id: requestId } }, requestId);
    return;
  }
  const body = await readBody(req);
  if (body === 'too_large') {
    send(res, 413, { error: { code: 'payload_too_large', message: 'Request entity too large', request_id: requestId } }, requestId);
    return;
  }
  const values = match.pattern.exec(url.pathname)!.slice(1);
  const pathParameters = Object.fromEntries(match.params.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
  const event = proxyEvent(req, url, match.route, pathParameters, body, requestId);
  if (match.route.scope !== null && options.authorizer) {
    const verdict = await authorize(options.authorizer, event);
    const denied = verdict !== 'unauthorized' && verdict.policyDocument.Statement.some((s) => s.Effect === 'Deny');
    if (verdict === 'unauthorized' || denied) {
      res.setHeader('Access-Control-Allow-Origin', options.corsOrigin ?? '*');
      for (const [name, value] of Object.entries(GATEWAY_RESPONSE_HEADERS)) res.setHeader(name, value);
      if (verdict === 'unauthorized' && options.anonymousLimit) {
        // The UNAUTHORIZED gateway response: the address is over its anonymous budget.
        const { windowSeconds } = options.anonymousLimit;
        for (const [name, value] of Object.entries(anonymousLimitedHeaders(options.anonymousLimit))) res.setHeader(name, value);
        const message = anonymousLimitedMessage(options.anonymousLimit);
        send(res, 429, { error: { code: 'rate_limit_exceeded', message, details: { retry_after: windowSeconds }, retry_after: windowSeconds, request_id: requestId } }, requestId);
        return;
      }
      // The ACCESS_DENIED gateway response: 401 with the rate-limit fields mapped from the authorizer's context.
      res.setHeader('WWW-Authenticate', 'Bearer realm="stepwise"');
      const context = verdict === 'unauthorized' ? {} : (verdict.context ?? {});
      for (const [name, key] of Object.entries(REFUSAL_CONTEXT_HEADERS)) if (context[key] !== undefined && context[key] !== '') res.setHeader(name, String(context[key]));
      send(res, 401, { error: { code: 'unauthorized', message: 'Unauthorized', request_id: requestId } }, requestId);
      return;
    }
    event.requestContext.authorizer = { ...verdict.context, principalId: verdict.principalId };
  }
  const result = await options.handlers[match.route.resource](event, lambdaContext(match.route.resource, requestId));
  res.writeHead(result.statusCode, result.headers);
  res.end(result.body);
}

function proxyEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEvent {
  // Null-prototype maps: a client's names (`constructor`, `__proto__`, `toString`…) are data, never Object.prototype members.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiValueHeaders: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiQuery: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body.length ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: route.method,
      identity: { sourceIp, userAgent: req.headers['user-agent'] ?? null } as APIGatewayProxyEvent['requestContext']['identity'],
      path: url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
    },
  };
}

/**
 * The authorizer sees what API Gateway hands a REQUEST authorizer: the request's headers, path
 * and query, and a methodArn for this stage. Only `Error('Unauthorized')` means 401; any other
 * failure is a 500, as in AWS.
 */
async function authorize(authorizer: LocalAuthorizer, event: APIGatewayProxyEvent): Promise<APIGatewayAuthorizerResult | 'unauthorized'> {
  try {
    return await authorizer({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:local:000000000000:local/local/${event.httpMethod}${event.path}`,
      resource: event.resource,
      path: event.path,
      httpMethod: event.httpMethod,
      headers: event.headers,
      multiValueHeaders: event.multiValueHeaders,
      pathParameters: event.pathParameters,
      queryStringParameters: event.queryStringParameters,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters,
      stageVariables: event.stageVariables,
      requestContext: { ...event.requestContext, authorizer: undefined },
    });
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized') return 'unauthorized';
    throw error;
  }
}

function lambdaContext(resource: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `stepwise-local-${resource}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:stepwise-local-${resource}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/stepwise-local-${resource}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, requestId?: string) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(requestId ? { 'X-Request-Id': requestId } : {}) });
  res.end(JSON.stringify(body));
}
