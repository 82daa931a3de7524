import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ROUTES, SCOPES, type Resource } from '../../lib/definitions/routes.ts';
import { MAX_IDEMPOTENCY_KEY } from '../core/idempotency/idempotency.ts';
import { authOperations } from '../auth/operations.ts';
import type { Operation } from '../http/operation.ts';
import { taskOperations } from '../tasks/operations.ts';
import { userOperations } from '../users/operations.ts';
import { accountResourceOperations } from '../accounts/operations.ts';
import { apiKeyOperations } from '../api-keys/operations.ts';
import { oauthOperations } from '../oauth/operations.ts';
import { workflowOperations } from '../workflows/operations.ts';
import { executionOperations } from '../executions/operations.ts';
import { chatOperations } from '../chat/operations.ts';
import { insightOperations } from '../insight/operations.ts';
import { triggerOperations } from '../triggers/operations.ts';
import { webhookOperations } from '../webhooks/operations.ts';
import { systemOperations } from './operations.ts';

const IdempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .max(MAX_IDEMPOTENCY_KEY)
    .optional()
    .describe('Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409.'),
});

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
    workflows: workflowOperations(unavailable),
    executions: executionOperations(unavailable),
    chat: chatOperations(unavailable),
    insight: insightOperations(unavailable),
    triggers: triggerOperations(unavailable),
    webhooks: webhookOperations(unavailable),
    system: systemOperations({ probes: [], version: '', document: unavailable, asset: unavailable }),
  };
}

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'invalid_request',
        'invalid_json',
        'validation_error',
        'unauthorized',
        'forbidden',
        'not_found',
        'conflict',
        'rate_limit_exceeded',
        'quota_exceeded',
        'payload_too_large',
        'internal_error',
      ]),
      message: z.string(),
      field: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
      retry_after: z.number().int().optional(),
      request_id: z.string(),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_RESPONSES = {
  400: 'Malformed JSON (invalid_json) or invalid input (validation_error, names the field)',
  401: 'Missing or invalid credentials',
  403: 'The credential lacks the scope this route requires',
  404: 'Not found (including other accounts’ resources)',
  409: 'Conflict: duplicate, or stale version (If-Match)',
  413: 'Body over 1 MB',
} as const;

/** The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate requests. */
export function buildOpenApiDocument(version: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `Access token from POST /api/v1/auth/login. Scopes: ${SCOPES.join(', ')}. The bare token (without "Bearer ") is also accepted.`,
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An API key from POST /api/v1/api-keys; it carries the scopes chosen at creation.',
  });
  const ops = operationsByResource();
  for (const route of ROUTES) {
    const op = ops[route.resource][route.operation]!;
    const { spec } = op;
    const success = spec.status ?? 200;
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      operationId: `${route.operation}${ROUTES.filter((r) => r.operation === route.operation).indexOf(route) || ''}`,
      summary: route.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [route.resource],
      ...(route.scope ? { security: [{ bearer: [route.scope] }, { apiKey: [route.scope] }] } : { security: [] }),
      ...(route.role ? { 'x-stepwise-role': route.role } : {}),
      request: {
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(route.idempotency ? { headers: IdempotencyHeader } : {}),
      },
      responses: {
        [success]: {
          description: success === 204 ? 'No content' : 'Success',
          ...(spec.response && success !== 204 ? { content: { 'application/json': { schema: spec.response } } } : {}),
        },
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES)
            .filter(([status]) => route.scope !== null || (status !== '401' && status !== '403'))
            .map(([status, description]) => [
              status,
              { description, content: { 'application/json': { schema: ErrorSchema } } },
            ]),
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Stepwise API',
      version,
      description: 'Serverless workflow automation and tasks. Every error uses one shape; every response carries X-Request-Id.',
    },
    servers: [{ url: '/' }],
  });
}
