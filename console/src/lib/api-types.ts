/**
 * The API's shapes, read from the zod schemas that also generate the OpenAPI document (the
 * contract). Type-only imports: nothing from functions/ or statemachines/ reaches the bundle, and
 * `npm run check:layers` refuses a runtime import (the console talks to the public API only).
 */
import type * as z from 'zod';
import type { CreatedApiKeySchema, ApiKeySchema } from '../../../functions/api-keys/schemas.ts';
import type { LoginResponse, UserSchema } from '../../../functions/auth/schemas.ts';
import type { SecretSchema } from '../../../functions/accounts/secret-schemas.ts';
import type { ApprovalSchema, ExecutionSchema, LogLineSchema, RunStartedSchema, RunTaskSchema } from '../../../functions/executions/schemas.ts';
import type { WorkflowAnalyticsSchema } from '../../../functions/insight/schemas.ts';
import type { ClientSchema, CreatedClientSchema } from '../../../functions/oauth/schemas.ts';
import type { PaginationSchema } from '../../../functions/shared/schemas.ts';
import type { TaskSchema } from '../../../functions/tasks/schemas.ts';
import type { DeliverySchema, WebhookSchema } from '../../../functions/webhooks/schemas.ts';
import type { ValidationResultSchema, WorkflowSchema } from '../../../functions/workflows/schemas.ts';
import type { LiveMessage } from '../../../functions/core/live/messages.ts';
import type { IrEdge, IrGraph, IrNode, WorkflowIr } from '../../../statemachines/ir.ts';
import type { ValidationIssue } from '../../../statemachines/issues.ts';
import type { EventType } from '../../../functions/core/events/catalog.ts';
import type { Scope } from '../../../lib/definitions/routes.ts';

export type Session = z.output<typeof LoginResponse>;
export type User = z.output<typeof UserSchema>;
export type Task = z.output<typeof TaskSchema>;
export type Workflow = z.output<typeof WorkflowSchema>;
export type Validation = Omit<z.output<typeof ValidationResultSchema>, 'ir'> & { ir: WorkflowIr };
export type Execution = z.output<typeof ExecutionSchema>;
export type RunTask = z.output<typeof RunTaskSchema>;
export type Approval = z.output<typeof ApprovalSchema>;
export type RunStarted = z.output<typeof RunStartedSchema>;
export type LogLine = z.output<typeof LogLineSchema>;
export type Analytics = z.output<typeof WorkflowAnalyticsSchema>;
export type Webhook = z.output<typeof WebhookSchema>;
export type Delivery = z.output<typeof DeliverySchema>;
export type Secret = z.output<typeof SecretSchema>;
export type ApiKey = z.output<typeof ApiKeySchema>;
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;
export type OAuthClient = z.output<typeof ClientSchema>;
export type CreatedOAuthClient = z.output<typeof CreatedClientSchema>;
export type Pagination = z.output<typeof PaginationSchema>;
export type { IrEdge, IrGraph, IrNode, LiveMessage, ValidationIssue, WorkflowIr };

/** Every list answers `{data, pagination}` (plus seed-specific aliases the console ignores). */
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

/** A validation issue as the API reports it in `error.details.issues` (`field` is the request path). */
export interface ApiIssue {
  field?: string;
  node?: string;
  code: string;
  message: string;
}


// Lists the console shows as choices. Each is checked against the API's own type in both
// directions, so a value added to the API fails `npm run typecheck` here until it is listed.

type Exactly<List extends readonly string[], Union extends string> = [Exclude<Union, List[number]>] extends [never] ? List : never;

const events = [
  'task.created', 'task.updated', 'task.deleted',
  'workflow.created', 'workflow.updated', 'workflow.deleted', 'workflow.started', 'workflow.completed', 'workflow.failed', 'workflow.cancelled',
  'task.started', 'task.completed', 'task.failed', 'task.retrying',
  'pipeline.completed', 'pipeline.failed', 'approval.requested', 'approval.decided', 'webhook.disabled',
] as const satisfies readonly EventType[];
export const EVENT_TYPES: Exactly<typeof events, EventType> = events;

const scopes = ['tasks:read', 'tasks:write', 'workflows:read', 'workflows:write', 'pipelines:read', 'pipelines:write', 'analytics:read', 'admin:full'] as const satisfies readonly Scope[];
export const SCOPES: Exactly<typeof scopes, Scope> = scopes;

const executionStatuses = ['pending', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const satisfies readonly Execution['status'][];
export const EXECUTION_STATUSES: Exactly<typeof executionStatuses, Execution['status']> = executionStatuses;

const taskStatuses = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const satisfies readonly Task['status'][];
export const TASK_STATUSES: Exactly<typeof taskStatuses, Task['status']> = taskStatuses;

const priorities = ['low', 'medium', 'high', 'urgent'] as const satisfies readonly Task['priority'][];
export const TASK_PRIORITIES: Exactly<typeof priorities, Task['priority']> = priorities;

const levels = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLine['level'][];
export const LOG_LEVELS: Exactly<typeof levels, LogLine['level']> = levels;

const periods = ['1h', '24h', '7d', '30d'] as const satisfies readonly Analytics['period'][];
export const PERIODS: Exactly<typeof periods, Analytics['period']> = periods;

const workflowStatuses = ['active', 'paused', 'archived'] as const satisfies readonly Workflow['status'][];
export const WORKFLOW_STATUSES: Exactly<typeof workflowStatuses, Workflow['status']> = workflowStatuses;
