/**
 * The route table: one row per HTTP route. API Gateway resources (lib/api-stack.ts), the local
 * server's router, scope enforcement in the HTTP pipeline, the OpenAPI document and docs/api.md all
 * read this list. Pure data: no CDK or function imports.
 */
export const SCOPES = [
  'tasks:read',
  'tasks:write',
  'workflows:read',
  'workflows:write',
  'pipelines:read',
  'pipelines:write',
  'analytics:read',
  'admin:full',
] as const;
export type Scope = (typeof SCOPES)[number];

/** One Lambda per resource; its entry is `functions/<resource>/handler.ts`. */
export const RESOURCES = ['auth', 'tasks', 'system'] as const;
export type Resource = (typeof RESOURCES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. `/api/v1/tasks/{id}`. */
  readonly path: string;
  readonly resource: Resource;
  /** Stable name used for the OpenAPI operationId and the handler's dispatch table. */
  readonly operation: string;
  /** `null` means the route is public (no credential required). */
  readonly scope: Scope | null;
  readonly summary: string;
}

const API = '/api/v1';

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: `${API}/auth/register`, resource: 'auth', operation: 'register', scope: null, summary: 'Register an account and its first (admin) user' },
  { method: 'POST', path: `${API}/auth/login`, resource: 'auth', operation: 'login', scope: null, summary: 'Exchange username (or email) and password for an access token' },
  { method: 'POST', path: `${API}/auth/refresh`, resource: 'auth', operation: 'refresh', scope: null, summary: 'Rotate a refresh token for a new access token' },
  { method: 'POST', path: `${API}/auth/logout`, resource: 'auth', operation: 'logout', scope: 'tasks:read', summary: 'End the current session (its access and refresh tokens stop working)' },
  { method: 'GET', path: `${API}/me`, resource: 'auth', operation: 'me', scope: 'tasks:read', summary: 'The authenticated user' },
  { method: 'POST', path: '/register', resource: 'auth', operation: 'register', scope: null, summary: 'Behflow alias of POST /api/v1/auth/register' },
  { method: 'POST', path: '/login', resource: 'auth', operation: 'login', scope: null, summary: 'Behflow alias of POST /api/v1/auth/login' },
  { method: 'GET', path: '/me', resource: 'auth', operation: 'me', scope: 'tasks:read', summary: 'Behflow alias of GET /api/v1/me' },

  { method: 'GET', path: `${API}/tasks`, resource: 'tasks', operation: 'listTasks', scope: 'tasks:read', summary: 'List tasks (filters, pagination)' },
  { method: 'POST', path: `${API}/tasks`, resource: 'tasks', operation: 'createTask', scope: 'tasks:write', summary: 'Create a task' },
  { method: 'GET', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'getTask', scope: 'tasks:read', summary: 'Get a task' },
  { method: 'PUT', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'replaceTask', scope: 'tasks:write', summary: 'Update a task (AstraFlow/Behflow PUT: partial fields allowed)' },
  { method: 'PATCH', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'patchTask', scope: 'tasks:write', summary: 'Partially update a task' },
  { method: 'DELETE', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'deleteTask', scope: 'tasks:write', summary: 'Delete a task' },

  { method: 'GET', path: '/health', resource: 'system', operation: 'health', scope: null, summary: 'Health check' },
  { method: 'GET', path: `${API}/health`, resource: 'system', operation: 'health', scope: null, summary: 'Health check' },
  { method: 'GET', path: `${API}/openapi.json`, resource: 'system', operation: 'openapi', scope: null, summary: 'The OpenAPI 3.1 document' },
  { method: 'GET', path: `${API}/docs`, resource: 'system', operation: 'docs', scope: null, summary: 'Human-readable API reference' },
];

export function routesOf(resource: Resource): readonly RouteDefinition[] {
  return ROUTES.filter((r) => r.resource === resource);
}

/** The route key API Gateway and the local server both produce: `${httpMethod} ${resource}`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
