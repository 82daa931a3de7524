import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { RESOURCES, ROUTES, SCOPES, routeKey, type Resource, type RouteDefinition } from '../../lib/definitions/routes.ts';
import { MAX_IDEMPOTENCY_KEY } from '../core/idempotency/idempotency.ts';
import { authOperations } from '../auth/operations.ts';
import type { Operation, OperationHeader } from '../http/operation.ts';
import { UNLIMITED_ROUTES } from '../http/middleware/rate-limit.ts';
import { taskOperations } from '../tasks/operations.ts';
import { userOperations } from '../users/operations.ts';
import { accountResourceOperations } from '../accounts/operations.ts';
import { apiKeyOperations } from '../api-keys/operations.ts';
import { oauthOperations } from '../oauth/operations.ts';
import { workflowResourceOperations } from '../workflows/operations.ts';
import { executionOperations } from '../executions/operations.ts';
import { chatOperations } from '../chat/operations.ts';
import { insightOperations } from '../insight/operations.ts';
import { triggerOperations } from '../triggers/operations.ts';
import { webhookOperations } from '../webhooks/operations.ts';
import { systemOperations } from './operations.ts';


/**
 * The OpenAPI 3.1 document: generated from the route table and the same zod schemas that validate
 * requests, plus what the pipeline adds to every answer (docs/api.md#conventions). The e2e suite
 * checks every response it receives against this document (test/support/contract.ts), so it
 * says exactly what the server does.
 */

const unavailable = () => {
  throw new Error('operations were built for documentation only');
};

/** Operations per resource, built without services: only their schemas are read here. */
function operationsByResource(): Record<Resource, Record<string, Operation>> {
  return {
    auth: authOperations(unavailable),
    tasks: taskOperations(unavailable),
    users: userOperations(unavailable),
    accounts: accountResourceOperations(unavailable, unavailable),
    'api-keys': apiKeyOperations(unavailable),
    oauth: oauthOperations(unavailable),
    workflows: workflowResourceOperations(unavailable, unavailable, unavailable),
    executions: executionOperations(unavailable),
    chat: chatOperations(unavailable),
    insight: insightOperations(unavailable),
    triggers: triggerOperations(unavailable),
    webhooks: webhookOperations(unavailable),
    system: systemOperations({ probes: [], version: '', document: unavailable, asset: unavailable }),
  };
}

type HeaderName =
  | 'X-Request-Id'
  | 'X-RateLimit-Limit'
  | 'X-RateLimit-Remaining'
  | 'X-RateLimit-Reset'
  | 'RateLimit-Policy'
  | 'RateLimit'
  | 'Retry-After'
  | 'WWW-Authenticate'
  | 'Idempotent-Replayed'
  | OperationHeader;

const HEADERS: Record<HeaderName, { component: string; description: string; schema: Record<string, unknown>; required?: boolean }> = {
  'X-Request-Id': { component: 'RequestId', description: 'This request’s id; also `request_id` in errors and in the function’s log line', schema: { type: 'string' }, required: true },
  'X-RateLimit-Limit': { component: 'RateLimitLimit', description: 'Requests allowed in the current window', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { component: 'RateLimitRemaining', description: 'Requests left in the current window (absent while the limiter is degraded)', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { component: 'RateLimitReset', description: 'UTC epoch seconds when the window ends', schema: { type: 'integer' } },
  'RateLimit-Policy': { component: 'RateLimitPolicy', description: 'IETF draft-ietf-httpapi-ratelimit-headers: `"free";q=100;w=60`', schema: { type: 'string' } },
  RateLimit: { component: 'RateLimit', description: 'IETF draft-ietf-httpapi-ratelimit-headers: `"free";r=87;t=42`', schema: { type: 'string' } },
  'Retry-After': { component: 'RetryAfter', description: 'Seconds until the window ends', schema: { type: 'integer', minimum: 1 }, required: true },
  'WWW-Authenticate': { component: 'WwwAuthenticate', description: 'The expected credential scheme', schema: { type: 'string' } },
  'Idempotent-Replayed': { component: 'IdempotentReplayed', description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
  ETag: { component: 'ETag', description: 'The version, quoted: send it back in If-Match', schema: { type: 'string' } },
  Location: { component: 'Location', description: 'Where the resource (or the redirect) is', schema: { type: 'string' } },
  'Cache-Control': { component: 'CacheControl', description: 'How long the answer may be cached', schema: { type: 'string' } },
};
const RATE_LIMIT_HEADERS: HeaderName[] = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit-Policy', 'RateLimit'];
const headerRefs = (names: readonly HeaderName[]) => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${HEADERS[n].component}` }]));

const ERROR_RESPONSES: Record<number, { component: string; description: string; headers?: HeaderName[] }> = {
  400: { component: 'BadRequest', description: 'Malformed JSON (invalid_json) or invalid input (validation_error, names the field)' },
  401: { component: 'Unauthorized', description: 'Missing or invalid credentials', headers: ['WWW-Authenticate'] },
  403: { component: 'Forbidden', description: 'The credential lacks the scope or role this route requires' },
  404: { component: 'NotFound', description: 'Not found (including other accounts’ resources)' },
  409: { component: 'Conflict', description: 'Conflict: a duplicate, a stale version (If-Match), a reused Idempotency-Key, or a state that forbids it' },
  413: { component: 'PayloadTooLarge', description: 'The body is over 1 MB (or a run input over 256 KB)' },
  429: { component: 'TooManyRequests', description: 'Over the rate limit, or too many failed logins', headers: ['Retry-After'] },
  500: { component: 'InternalError', description: 'A bug: logged with its stack, answered without one' },
};

const IdempotencyKey = z
  .string()
  .max(MAX_IDEMPOTENCY_KEY)
  .optional()
  .meta({ description: 'Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409.' });
const IfMatch = z.string().max(32).optional().meta({ description: 'The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since' });

const TAG_DESCRIPTIONS: Record<Resource, string> = {
  auth: 'Registration, login, refresh, logout and the current user (Behflow, FlowRunner)',
  tasks: 'Tasks (AstraFlow, Behflow) and workflow tasks of runs (FlowCtl)',
  system: 'Health, the OpenAPI document and the API docs',
  users: 'Users of an account (AstraFlow)',
  accounts: 'Accounts (tenants) and their secrets (FlowRunner)',
  'api-keys': 'API keys for X-API-Key (CloudFlow)',
  oauth: 'OAuth 2.0: token endpoint, authorization, clients, JWKS (AstraFlow, CloudFlow)',
  workflows: 'Workflow definitions in the FlowRunner, FlowCtl and CloudFlow dialects',
  executions: 'Runs, their tasks and logs (FlowRunner, FlowCtl, CloudFlow pipelines, Behflow processes)',
  chat: 'The task assistant (Behflow)',
  insight: 'Metrics and analytics (FlowCtl, CloudFlow)',
  triggers: 'Webhook triggers and processes (Behflow, CloudFlow)',
  webhooks: 'Outgoing webhooks with signed deliveries (AstraFlow, FlowCtl, CloudFlow)',
};

/** What a path parameter names, for its description. */
const PATH_NOUNS: [RegExp, string][] = [
  [/\/oauth\/clients\/\{id\}/, 'The OAuth client’s id'],
  [/\/chat\/sessions\/\{id\}/, 'The chat session’s id'],
  [/\/analytics\/workflows\/\{id\}/, 'The workflow’s id (wf_…)'],
  [/\/pipelines\/\{id\}/, 'The pipeline’s id: a workflow id (wf_…)'],
  [/\/processes\/\{id\}/, 'The process’s id: a workflow id (wf_…)'],
  [/\/(workflows|flows)\/\{id\}/, 'The workflow’s id (wf_…)'],
  [/\/executions\/\{id\}/, 'The execution’s id (exec_…)'],
  [/\/tasks\/\{id\}/, 'The task’s id (task_…, or a run task’s id)'],
  [/\/webhooks\/\{id\}/, 'The webhook’s id (whk_…)'],
  [/\/users\/\{id\}/, 'The user’s id (usr_…)'],
  [/\/accounts\/\{id\}/, 'The account’s id (acct_…)'],
  [/\/api-keys\/\{id\}/, 'The API key’s id (key_…)'],
];

/** Error statuses a route can answer, from its shape (docs/api.md#errors), then the operation's own additions and exceptions. */
function errorStatuses(route: RouteDefinition, op: Operation): number[] {
  const { spec } = op;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const statuses = new Set<number>([500]);
  if (hasBody || spec.params || spec.query || route.idempotency || spec.ifMatch) statuses.add(400);
  if (route.scope !== null) [401, 403, 404].forEach((s) => statuses.add(s));
  if (spec.params) statuses.add(404);
  if (route.scope !== null && route.method !== 'GET') statuses.add(409);
  if (hasBody) statuses.add(413);
  if (!UNLIMITED_ROUTES.has(routeKey(route))) statuses.add(429);
  for (const s of spec.errors ?? []) statuses.add(s);
  for (const s of spec.noErrors ?? []) statuses.delete(s);
  return [...statuses].toSorted((a, b) => a - b);
}

const security = (scope: string): Record<string, string[]>[] => [{ bearer: [scope] }, { bareToken: [scope] }, { apiKey: [scope] }, { oauth2: [scope] }];

/** Unique, meaningful operation ids: an alias route (Behflow's root paths, the root token endpoint) is named after where it lives. */
function operationIds(): Map<RouteDefinition, string> {
  const ids = new Map<RouteDefinition, string>();
  for (const route of ROUTES) {
    const shared = ROUTES.filter((r) => r.operation === route.operation);
    const primary = shared.find((r) => r.path.startsWith('/api/v1/')) ?? shared[0];
    ids.set(route, shared.length === 1 || route === primary ? route.operation : `${route.operation}AtRoot`);
  }
  return ids;
}

/** The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate requests. */
export function buildOpenApiDocument(version: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const scopes = Object.fromEntries(SCOPES.map((s) => [s, s === 'admin:full' ? 'Everything, every other scope included' : `${s.split(':')[1] === 'read' ? 'Read' : 'Write'} ${s.split(':')[0]}`]));
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An access token (POST /api/v1/auth/login, POST /oauth/token), or a client-signed RS256 JWT of an OAuth client with a registered key. Scopes: ${SCOPES.join(', ')}.`,
  });
  registry.registerComponent('securitySchemes', 'bareToken', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'The same access token without "Bearer " (Behflow’s clients send `Authorization: <token>`).',
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An API key from POST /api/v1/api-keys; it carries the scopes chosen at creation.',
  });
  registry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description: 'OAuth 2.0 clients (POST /api/v1/oauth/clients); the jwt-bearer grant (RFC 7523) uses the same token endpoint.',
    flows: {
      clientCredentials: { tokenUrl: '/oauth/token', scopes },
      authorizationCode: { authorizationUrl: '/oauth/authorize', tokenUrl: '/oauth/token', refreshUrl: '/oauth/token', scopes },
    },
  });
  for (const h of Object.values(HEADERS)) {
    registry.registerComponent('headers', h.component, { description: h.description, schema: h.schema as { type: 'string' }, ...(h.required ? { required: true } : {}) });
  }
  for (const [status, r] of Object.entries(ERROR_RESPONSES)) {
    registry.registerComponent('responses', r.component, {
      description: r.description,
      headers: headerRefs(['X-Request-Id', ...RATE_LIMIT_HEADERS, ...(r.headers ?? [])]),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    void status;
  }

  const ops = operationsByResource();
  const ids = operationIds();
  for (const route of ROUTES) {
    const op = ops[route.resource][route.operation]!;
    const { spec } = op;
    const success = spec.status ?? 200;
    const limited = !UNLIMITED_ROUTES.has(routeKey(route));
    const baseHeaders: HeaderName[] = ['X-Request-Id', ...(limited ? RATE_LIMIT_HEADERS : [])];
    const mediaTypes = spec.responseMediaTypes ?? ['application/json'];
    const content = (schema: z.ZodType | undefined, types: readonly string[]) => (schema ? { content: Object.fromEntries(types.map((t) => [t, { schema }])) } : {});
    const responses: Record<string, unknown> = {
      [success]: {
        description: success === 204 ? 'No content' : success === 202 ? 'Accepted' : success === 201 ? 'Created' : 'Success',
        headers: headerRefs([...baseHeaders, ...(spec.headers ?? []), ...(route.idempotency ? (['Idempotent-Replayed'] as const) : [])]),
        ...(success === 204 ? {} : content(spec.response, mediaTypes)),
      },
    };
    for (const [status, alt] of Object.entries(spec.responses ?? {})) {
      responses[status] = { description: alt.description, headers: headerRefs([...baseHeaders, ...(alt.headers ?? [])]), ...content(alt.schema, [alt.mediaType ?? 'application/json']) };
    }
    for (const status of errorStatuses(route, op)) {
      if (responses[status]) continue;
      responses[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.component}` };
    }
    const headerParams: Record<string, z.ZodType> = {
      ...(route.idempotency ? { 'Idempotency-Key': IdempotencyKey } : {}),
      ...(spec.ifMatch ? { 'If-Match': IfMatch } : {}),
    };
    const bodySchema = spec.documentedBody?.() ?? spec.body;
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      operationId: ids.get(route)!,
      summary: route.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [route.resource],
      security: route.scope ? security(route.scope) : [],
      ...(route.role ? { 'x-stepwise-role': route.role } : {}),
      request: {
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(bodySchema
          ? {
              body: {
                required: !spec.bodyOptional,
                content: Object.fromEntries(['application/json', ...(spec.bodyMediaTypes ?? [])].map((t) => [t, { schema: bodySchema }])),
              },
            }
          : {}),
        ...(Object.keys(headerParams).length ? { headers: z.object(headerParams) } : {}),
      },
      responses: responses as Parameters<OpenAPIRegistry['registerPath']>[0]['responses'],
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Stepwise API',
      version,
      description: 'Serverless workflow automation and tasks. Every error uses one shape; every response carries X-Request-Id.',
    },
    servers: [{ url: '/' }],
    tags: RESOURCES.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
  });
  describeParameters(document as { paths?: Record<string, Record<string, { parameters?: { in: string; name: string; description?: string }[] }>> });
  return document;
}

/** Path ids share one schema; their descriptions name what the path's id is. */
function describeParameters(document: { paths?: Record<string, Record<string, { parameters?: { in: string; name: string; description?: string }[] }>> }) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const p of op.parameters ?? []) {
        if (p.in !== 'path' || p.name !== 'id') continue;
        const noun = PATH_NOUNS.find(([re]) => re.test(path))?.[1];
        if (noun) p.description = noun;
      }
    }
  }
}
