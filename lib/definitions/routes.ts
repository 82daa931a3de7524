/**
 * The route table: one row per HTTP route. API Gateway resources (lib/api-stack.ts), the local
 * server's router, scope enforcement in the HTTP pipeline, the OpenAPI document and docs/api.md all
 * read this list. Pure data: no CDK or function imports. Scopes and roles are their own module
 * (lib/definitions/scopes.ts), which core reads without the route table.
 */
import { ROLES, SCOPES, roleAtLeast, type Role, type Scope } from './scopes.ts';

export { ROLES, SCOPES, roleAtLeast, type Role, type Scope };

/** One Lambda per resource; its entry is `functions/<resource>/handler.ts`. */
export const RESOURCES = ['auth', 'tasks', 'system', 'users', 'accounts', 'api-keys', 'oauth', 'workflows', 'executions', 'chat', 'insight', 'triggers', 'webhooks'] as const;
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
  /**
   * The weakest role that may call the route (`null` for public routes). Defaults from the scope:
   * read scopes → viewer, write scopes → member, `admin:full` → admin. Finer rules (a member
   * editing their own profile) live in the service.
   */
  readonly role: Role | null;
  /**
   * The route writes the caller's own identity or credentials (profile, password, API keys): the
   * credential must carry every scope its role allows — a password session, or a key or token
   * not narrowed below its role — so a narrowed credential can never mint, revoke or re-role
   * anything. Acting on someone else's also needs `admin:full` (docs/api.md#scopes-and-narrowed-credentials).
   */
  readonly unrestrictedCredential?: boolean;
  readonly summary: string;
  /**
   * `Idempotency-Key` support (docs/api.md#idempotent-creates): `pipeline` creates store their response for 24 hours
   * and replay it (functions/http/idempotency.ts); `operation` routes handle the key themselves
   * (a run's key also names its Step Functions execution). Creates that answer with a one-time
   * secret (API keys, OAuth clients, webhooks) have none: replaying would mean storing the secret.
   */
  readonly idempotency?: 'pipeline' | 'operation';
}

type RouteRow = Omit<RouteDefinition, 'role'> & { role?: Role };

function defaultRole(scope: Scope | null): Role | null {
  if (scope === null) return null;
  if (scope === 'admin:full') return 'admin';
  return scope.endsWith(':read') ? 'viewer' : 'member';
}

const API = '/api/v1';

const ROWS: readonly RouteRow[] = [
  { method: 'POST', path: `${API}/auth/register`, resource: 'auth', operation: 'register', scope: null, summary: 'Register an account and its first (admin) user' },
  { method: 'POST', path: `${API}/auth/login`, resource: 'auth', operation: 'login', scope: null, summary: 'Exchange username (or email) and password for an access token' },
  { method: 'POST', path: `${API}/auth/refresh`, resource: 'auth', operation: 'refresh', scope: null, summary: 'Rotate a refresh token for a new access token' },
  { method: 'POST', path: `${API}/auth/logout`, resource: 'auth', operation: 'logout', scope: 'tasks:read', summary: 'End the current session (its access and refresh tokens stop working)' },
  { method: 'GET', path: `${API}/me`, resource: 'auth', operation: 'me', scope: 'tasks:read', summary: 'The authenticated user' },
  { method: 'POST', path: '/register', resource: 'auth', operation: 'register', scope: null, summary: 'Behflow alias of POST /api/v1/auth/register' },
  { method: 'POST', path: '/login', resource: 'auth', operation: 'login', scope: null, summary: 'Behflow alias of POST /api/v1/auth/login' },
  { method: 'GET', path: '/me', resource: 'auth', operation: 'me', scope: 'tasks:read', summary: 'Behflow alias of GET /api/v1/me' },

  { method: 'GET', path: `${API}/tasks`, resource: 'tasks', operation: 'listTasks', scope: 'tasks:read', summary: 'List tasks (filters, pagination)' },
  { method: 'POST', path: `${API}/tasks`, resource: 'tasks', operation: 'createTask', scope: 'tasks:write', summary: 'Create a task', idempotency: 'pipeline' },
  { method: 'GET', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'getTask', scope: 'tasks:read', summary: 'Get a task' },
  { method: 'PUT', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'replaceTask', scope: 'tasks:write', summary: 'Update a task (AstraFlow/Behflow PUT: partial fields allowed)' },
  { method: 'PATCH', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'patchTask', scope: 'tasks:write', summary: 'Partially update a task' },
  { method: 'DELETE', path: `${API}/tasks/{id}`, resource: 'tasks', operation: 'deleteTask', scope: 'tasks:write', summary: 'Delete a task' },

  ...['workflows', 'flows'].flatMap((base): RouteRow[] => {
    const alias = base === 'flows' ? ' (FlowRunner alias)' : '';
    const op = (name: string) => (base === 'flows' ? `${name}Flow` : name);
    return [
      { method: 'GET', path: `${API}/${base}`, resource: 'workflows', operation: op('listWorkflows'), scope: 'workflows:read', summary: `List workflows${alias}` },
      { method: 'POST', path: `${API}/${base}`, resource: 'workflows', operation: op('createWorkflow'), scope: 'workflows:write', summary: `Create a workflow in any dialect${alias}`, idempotency: 'pipeline' },
      { method: 'GET', path: `${API}/${base}/{id}`, resource: 'workflows', operation: op('getWorkflow'), scope: 'workflows:read', summary: `Get a workflow${alias}` },
      { method: 'PUT', path: `${API}/${base}/{id}`, resource: 'workflows', operation: op('publishWorkflow'), scope: 'workflows:write', summary: `Publish a new definition version${alias}` },
      { method: 'PATCH', path: `${API}/${base}/{id}`, resource: 'workflows', operation: op('patchWorkflow'), scope: 'workflows:write', summary: `Change status, name, description or tags${alias}` },
      { method: 'DELETE', path: `${API}/${base}/{id}`, resource: 'workflows', operation: op('deleteWorkflow'), scope: 'workflows:write', summary: `Delete a workflow and its state machine${alias}` },
    ];
  }),
  { method: 'GET', path: `${API}/workflows/{id}/versions`, resource: 'workflows', operation: 'listWorkflowVersions', scope: 'workflows:read', summary: 'Published versions with their ASL' },
  { method: 'GET', path: `${API}/workflows/{id}/tasks`, resource: 'workflows', operation: 'listWorkflowTasks', scope: 'workflows:read', summary: 'The workflow’s task definitions (FlowCtl)' },
  { method: 'POST', path: `${API}/workflows/validate`, resource: 'workflows', operation: 'validateWorkflow', scope: 'workflows:read', summary: 'Dry run: parse, validate and compile without saving' },

  { method: 'POST', path: `${API}/workflows/{id}/run`, resource: 'executions', operation: 'runWorkflow', scope: 'workflows:write', summary: 'Start a run of the live version (202)', idempotency: 'operation' },
  { method: 'POST', path: `${API}/flows/{id}/run`, resource: 'executions', operation: 'runFlow', scope: 'workflows:write', summary: 'Start a run (FlowRunner alias)', idempotency: 'operation' },
  { method: 'POST', path: `${API}/processes/{id}/execute`, resource: 'executions', operation: 'executeProcess', scope: 'workflows:write', summary: 'Start a run (Behflow alias)', idempotency: 'operation' },
  { method: 'PUT', path: `${API}/workflows/{id}/cancel`, resource: 'executions', operation: 'cancelWorkflowRuns', scope: 'workflows:write', summary: 'Cancel every running execution of the workflow (FlowCtl)' },
  { method: 'GET', path: `${API}/executions`, resource: 'executions', operation: 'listExecutions', scope: 'workflows:read', summary: 'List executions, newest first (filters workflow_id/flow_id, status, start_date, end_date)' },
  { method: 'GET', path: `${API}/executions/{id}`, resource: 'executions', operation: 'getExecution', scope: 'workflows:read', summary: 'Get an execution with its task summary' },
  { method: 'DELETE', path: `${API}/executions/{id}`, resource: 'executions', operation: 'cancelExecution', scope: 'workflows:write', summary: 'Cancel a running execution' },
  { method: 'POST', path: `${API}/executions/{id}/retry`, resource: 'executions', operation: 'retryExecution', scope: 'workflows:write', summary: 'Redrive a failed, timed-out or cancelled execution from where it stopped' },
  { method: 'GET', path: `${API}/executions/{id}/tasks`, resource: 'executions', operation: 'listExecutionTasks', scope: 'workflows:read', summary: 'The execution’s tasks with status, attempts, result and error (FlowCtl)' },
  { method: 'GET', path: `${API}/models`, resource: 'executions', operation: 'listModels', scope: 'workflows:read', summary: 'Trained models (ml_training): the latest training of each model name' },
  { method: 'GET', path: `${API}/approvals`, resource: 'executions', operation: 'listApprovals', scope: 'workflows:read', summary: 'The account’s approvals waiting for a decision (filter execution_id)' },
  // Read scope on purpose: a named approver need not write workflows; the service requires workflows:write when no approvers are named.
  { method: 'POST', path: `${API}/executions/{id}/approvals/{node_id}`, resource: 'executions', operation: 'decideApproval', scope: 'workflows:read', summary: 'Approve or reject a waiting approval node (named approvers, else workflows:write)' },
  { method: 'GET', path: `${API}/executions/{id}/logs`, resource: 'executions', operation: 'listExecutionLogs', scope: 'workflows:read', summary: 'Execution log lines, oldest first (filter level)' },
  { method: 'GET', path: `${API}/pipelines/{id}/executions`, resource: 'executions', operation: 'listPipelineExecutions', scope: 'pipelines:read', summary: 'A pipeline’s (workflow’s) executions with record counts (CloudFlow)' },

  // Triggers (docs/api.md#triggers). The hook is public: its token is the credential, compared against a stored hash.
  { method: 'POST', path: `${API}/hooks/{workflow_id}/{token}`, resource: 'triggers', operation: 'runWebhook', scope: null, summary: 'Webhook trigger: start a run with the JSON body as input (202; the token is the credential)', idempotency: 'operation' },
  { method: 'POST', path: `${API}/workflows/{id}/webhook-token`, resource: 'triggers', operation: 'rotateWebhookToken', scope: 'workflows:write', summary: 'Rotate a webhook trigger’s token; the new URL is shown once' },
  { method: 'GET', path: `${API}/processes`, resource: 'triggers', operation: 'listProcesses', scope: 'workflows:read', summary: 'Automated processes: workflows with trigger type, schedule, state and last execution (Behflow)' },

  // analytics:read is CloudFlow's scope for "analytics and metrics"; every role has it, viewers included.
  { method: 'GET', path: `${API}/metrics`, resource: 'insight', operation: 'getMetrics', scope: 'analytics:read', summary: 'Account metrics: workflows, workflow tasks, workers, executions (FlowCtl)' },
  { method: 'GET', path: `${API}/analytics/workflows/{id}`, resource: 'insight', operation: 'getWorkflowAnalytics', scope: 'analytics:read', summary: 'A workflow’s metrics and timeseries over 1h, 24h, 7d or 30d (CloudFlow)' },

  { method: 'POST', path: `${API}/chat`, resource: 'chat', operation: 'chat', scope: 'tasks:write', summary: 'Manage tasks in plain language (Behflow assistant)' },
  { method: 'GET', path: `${API}/chat/sessions/{id}`, resource: 'chat', operation: 'getChatSession', scope: 'tasks:read', summary: 'A chat session with its history' },

  // Webhooks send workflow and task events to outside URLs: managing them is workflows:write (member),
  // the way CloudFlow keys manage theirs; reading them and their delivery log is workflows:read.
  { method: 'GET', path: `${API}/webhooks`, resource: 'webhooks', operation: 'listWebhooks', scope: 'workflows:read', summary: 'List webhooks (never their secrets)' },
  { method: 'POST', path: `${API}/webhooks`, resource: 'webhooks', operation: 'createWebhook', scope: 'workflows:write', summary: 'Subscribe a URL to events ({url, event} or {url, events[], secret}); the secret is shown once' },
  { method: 'GET', path: `${API}/webhooks/{id}`, resource: 'webhooks', operation: 'getWebhook', scope: 'workflows:read', summary: 'Get a webhook' },
  { method: 'PATCH', path: `${API}/webhooks/{id}`, resource: 'webhooks', operation: 'patchWebhook', scope: 'workflows:write', summary: 'Change url, events or enabled (re-enabling resets the failure clock); rotate the secret' },
  { method: 'DELETE', path: `${API}/webhooks/{id}`, resource: 'webhooks', operation: 'deleteWebhook', scope: 'workflows:write', summary: 'Delete a webhook' },
  { method: 'GET', path: `${API}/webhooks/{id}/deliveries`, resource: 'webhooks', operation: 'listWebhookDeliveries', scope: 'workflows:read', summary: 'Deliveries newest first, with every attempt (status, latency, response excerpt, next retry)' },
  { method: 'POST', path: `${API}/webhooks/{id}/deliveries/{delivery_id}/retry`, resource: 'webhooks', operation: 'retryWebhookDelivery', scope: 'workflows:write', summary: 'Replay a delivery now (also a dead-lettered one)' },
  { method: 'POST', path: `${API}/webhooks/{id}/test`, resource: 'webhooks', operation: 'testWebhook', scope: 'workflows:write', summary: 'Send a signed webhook.test ping' },

  // send_email's templates, and local mode's outbox of what it sent (docs/api.md#email-templates).
  { method: 'GET', path: `${API}/email-templates`, resource: 'workflows', operation: 'listEmailTemplates', scope: 'workflows:read', summary: 'List email templates' },
  { method: 'POST', path: `${API}/email-templates`, resource: 'workflows', operation: 'createEmailTemplate', scope: 'workflows:write', summary: 'Create an email template {id, subject, text, html} with {{var}} placeholders', idempotency: 'pipeline' },
  { method: 'GET', path: `${API}/email-templates/{id}`, resource: 'workflows', operation: 'getEmailTemplate', scope: 'workflows:read', summary: 'Get an email template' },
  { method: 'PUT', path: `${API}/email-templates/{id}`, resource: 'workflows', operation: 'putEmailTemplate', scope: 'workflows:write', summary: 'Replace an email template, or create it under that id' },
  { method: 'DELETE', path: `${API}/email-templates/{id}`, resource: 'workflows', operation: 'deleteEmailTemplate', scope: 'workflows:write', summary: 'Delete an email template' },
  { method: 'GET', path: `${API}/outbox`, resource: 'workflows', operation: 'listOutbox', scope: 'workflows:read', summary: 'Emails send_email would have sent, newest first (local mode without SMTP_URL)' },

  // What fetch_data reads (docs/api.md#data-sources).
  { method: 'GET', path: `${API}/data-sources`, resource: 'workflows', operation: 'listDataSources', scope: 'workflows:read', summary: 'List data sources (credentials only as {{secrets.KEY}} references)' },
  { method: 'POST', path: `${API}/data-sources`, resource: 'workflows', operation: 'createDataSource', scope: 'workflows:write', summary: 'Create a data source {name, type: postgres|http|s3|dynamodb, …}', idempotency: 'pipeline' },
  { method: 'GET', path: `${API}/data-sources/{name}`, resource: 'workflows', operation: 'getDataSource', scope: 'workflows:read', summary: 'Get a data source' },
  { method: 'PATCH', path: `${API}/data-sources/{name}`, resource: 'workflows', operation: 'patchDataSource', scope: 'workflows:write', summary: 'Change a data source' },
  { method: 'DELETE', path: `${API}/data-sources/{name}`, resource: 'workflows', operation: 'deleteDataSource', scope: 'workflows:write', summary: 'Delete a data source' },

  { method: 'GET', path: '/health', resource: 'system', operation: 'health', scope: null, summary: 'Health check' },
  { method: 'GET', path: `${API}/health`, resource: 'system', operation: 'health', scope: null, summary: 'Health check' },
  { method: 'GET', path: `${API}/openapi.json`, resource: 'system', operation: 'openapi', scope: null, summary: 'The OpenAPI 3.1 document' },
  { method: 'GET', path: `${API}/docs`, resource: 'system', operation: 'docs', scope: null, summary: 'Human-readable API reference' },
  // Behflow's documentation URLs: Swagger UI, ReDoc and the document, at the root.
  { method: 'GET', path: '/openapi.json', resource: 'system', operation: 'openapiRoot', scope: null, summary: 'The OpenAPI 3.1 document (Behflow path)' },
  { method: 'GET', path: '/docs', resource: 'system', operation: 'swaggerUi', scope: null, summary: 'Interactive API docs (Swagger UI)' },
  { method: 'GET', path: '/redoc', resource: 'system', operation: 'redoc', scope: null, summary: 'API reference (ReDoc)' },
  { method: 'GET', path: '/docs/assets/{file}', resource: 'system', operation: 'docsAsset', scope: null, summary: 'Swagger UI and ReDoc scripts and styles, served from their npm packages' },

  { method: 'GET', path: `${API}/users`, resource: 'users', operation: 'listUsers', scope: 'admin:full', summary: 'List the account’s users (filters role, active)' },
  { method: 'POST', path: `${API}/users`, resource: 'users', operation: 'createUser', scope: 'admin:full', summary: 'Add a user to the account', idempotency: 'pipeline' },
  { method: 'GET', path: `${API}/users/{id}`, resource: 'users', operation: 'getUser', scope: 'tasks:read', summary: 'Get a user (admins with admin:full: anyone in the account; others: themselves)' },
  { method: 'PUT', path: `${API}/users/{id}`, resource: 'users', operation: 'replaceUser', scope: 'tasks:read', unrestrictedCredential: true, summary: 'Update a user (yourself; anyone, and role and active: admins with admin:full)' },
  { method: 'PATCH', path: `${API}/users/{id}`, resource: 'users', operation: 'patchUser', scope: 'tasks:read', unrestrictedCredential: true, summary: 'Partially update a user (yourself; anyone, and role and active: admins with admin:full)' },
  { method: 'DELETE', path: `${API}/users/{id}`, resource: 'users', operation: 'deleteUser', scope: 'admin:full', summary: 'Remove a user, their sessions and API keys' },

  { method: 'GET', path: `${API}/accounts`, resource: 'accounts', operation: 'listAccounts', scope: 'tasks:read', summary: 'Accounts: all for a platform admin, your own otherwise' },
  // Creates another tenant, never touching the caller's, exactly as public registration would: any signed-in caller.
  { method: 'POST', path: `${API}/accounts`, resource: 'accounts', operation: 'createAccount', scope: 'tasks:read', summary: 'Create an account and its first admin (plan: platform admins only)', idempotency: 'pipeline' },
  { method: 'GET', path: `${API}/accounts/{id}`, resource: 'accounts', operation: 'getAccount', scope: 'tasks:read', summary: 'Get an account (your own, or any for a platform admin)' },
  { method: 'PUT', path: `${API}/accounts/{id}`, resource: 'accounts', operation: 'updateAccount', scope: 'admin:full', summary: 'Update an account (plan: platform admins only)' },
  { method: 'DELETE', path: `${API}/accounts/{id}`, resource: 'accounts', operation: 'deleteAccount', scope: 'admin:full', summary: 'Delete an account with all its data and secrets' },
  { method: 'GET', path: `${API}/accounts/{id}/secrets`, resource: 'accounts', operation: 'listSecrets', scope: 'workflows:read', summary: 'List the account’s secrets: keys and timestamps, never values' },
  { method: 'POST', path: `${API}/accounts/{id}/secrets`, resource: 'accounts', operation: 'createSecret', scope: 'admin:full', summary: 'Create a secret (admins; the value is write-only)' },
  { method: 'PUT', path: `${API}/accounts/{id}/secrets/{key}`, resource: 'accounts', operation: 'replaceSecret', scope: 'admin:full', summary: 'Replace a secret’s value (admins)' },
  { method: 'DELETE', path: `${API}/accounts/{id}/secrets/{key}`, resource: 'accounts', operation: 'deleteSecret', scope: 'admin:full', summary: 'Delete a secret (admins)' },

  { method: 'GET', path: `${API}/api-keys`, resource: 'api-keys', operation: 'listApiKeys', scope: 'tasks:read', summary: 'API keys (admins with admin:full: the account’s; others: their own); never the secret' },
  { method: 'POST', path: `${API}/api-keys`, resource: 'api-keys', operation: 'createApiKey', scope: 'tasks:read', unrestrictedCredential: true, summary: 'Create an API key; the secret is shown once' },
  { method: 'DELETE', path: `${API}/api-keys/{id}`, resource: 'api-keys', operation: 'deleteApiKey', scope: 'tasks:read', unrestrictedCredential: true, summary: 'Revoke an API key (your own; any of the account’s: admins with admin:full)' },

  { method: 'POST', path: '/oauth/token', resource: 'oauth', operation: 'token', scope: null, summary: 'OAuth 2.0 token endpoint (client_credentials, authorization_code + PKCE, refresh_token, jwt-bearer)' },
  { method: 'POST', path: `${API}/oauth/token`, resource: 'oauth', operation: 'token', scope: null, summary: 'OAuth 2.0 token endpoint (alias)' },
  { method: 'GET', path: '/oauth/authorize', resource: 'oauth', operation: 'authorizeRedirect', scope: 'tasks:read', summary: 'Approve a client as the signed-in user; redirects to redirect_uri with a code' },
  { method: 'POST', path: `${API}/oauth/authorize`, resource: 'oauth', operation: 'authorize', scope: 'tasks:read', summary: 'Approve a client as the signed-in user; returns the code and the redirect URL' },
  { method: 'GET', path: `${API}/oauth/clients`, resource: 'oauth', operation: 'listClients', scope: 'admin:full', summary: 'The account’s OAuth clients (never their secrets)' },
  { method: 'POST', path: `${API}/oauth/clients`, resource: 'oauth', operation: 'createClient', scope: 'admin:full', summary: 'Register an OAuth client; client_secret is shown once' },
  { method: 'DELETE', path: `${API}/oauth/clients/{id}`, resource: 'oauth', operation: 'deleteClient', scope: 'admin:full', summary: 'Delete an OAuth client; its tokens stop working' },
  { method: 'GET', path: '/.well-known/jwks.json', resource: 'oauth', operation: 'jwks', scope: null, summary: 'Public keys that verify Stepwise access tokens' },
];

export const ROUTES: readonly RouteDefinition[] = ROWS.map((r) => ({ ...r, role: r.role ?? defaultRole(r.scope) }));

export function routesOf(resource: Resource): readonly RouteDefinition[] {
  return ROUTES.filter((r) => r.resource === resource);
}

/** The route key API Gateway and the local server both produce: `${httpMethod} ${resource}`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
