import * as z from 'zod';
import { APPROVAL_STATUSES, DECISIONS, type Approval } from '../core/approvals/approval.ts';
import { MAX_COMMENT } from '../core/approvals/approval-service.ts';
import { EXECUTION_STATUSES, LOG_LEVELS, RUN_TASK_STATUSES, type Execution, type LogLine, type RunTask } from '../core/executions/execution.ts';
import { IsoInstant, PaginationSchema, PagingQuery } from '../shared/schemas.ts';

/** FlowRunner's `{input}`; Behflow's execute sends no body at all. */
export const RunBody = z
  .strictObject({ input: z.record(z.string(), z.unknown()).optional().meta({ description: 'The execution input, a JSON object of at most 256 KB' }) })
  .optional()
  .meta({ id: 'RunWorkflow' });

export const RunStartedSchema = z
  .object({
    execution_id: z.string(),
    id: z.string(),
    workflow_id: z.string(),
    flow_id: z.string(),
    process_id: z.string(),
    version: z.number().int(),
    status: z.enum(EXECUTION_STATUSES).meta({ description: 'The start’s answer: running once the run started, even if it has ended since (GET /executions/{id} tells where it is now); failed for a replay of a start that never reached the engine' }),
    message: z.string(),
    created_at: z.string(),
    started_at: z.string().nullable(),
  })
  .meta({ id: 'RunStarted' });

export const ListExecutionsQuery = PagingQuery.extend({
  workflow_id: z.string().min(1).max(64).optional().meta({ description: 'Only executions of this workflow' }),
  flow_id: z.string().min(1).max(64).optional().meta({ description: 'FlowRunner alias of workflow_id' }),
  parent_execution_id: z
    .string()
    .regex(/^exec_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an execution id (exec_…)')
    .optional()
    .meta({ description: 'Only the child executions this execution’s subworkflow nodes started' }),
  status: z.enum(EXECUTION_STATUSES).optional().meta({ description: 'Only executions in this status' }),
  start_date: IsoInstant.optional().meta({ description: 'Created at or after' }),
  end_date: IsoInstant.optional().meta({ description: 'Created at or before' }),
}).refine((q) => !(q.workflow_id && q.flow_id && q.workflow_id !== q.flow_id), { message: 'workflow_id and flow_id differ', path: ['flow_id'] })
  .refine((q) => !(q.start_date && q.end_date && q.start_date > q.end_date), { message: 'start_date is after end_date', path: ['start_date'] });

export const PipelineExecutionsQuery = PagingQuery.extend({
  status: z.enum(EXECUTION_STATUSES).optional().meta({ description: 'Only executions in this status' }),
  start_date: IsoInstant.optional(),
  end_date: IsoInstant.optional(),
}).refine((q) => !(q.start_date && q.end_date && q.start_date > q.end_date), { message: 'start_date is after end_date', path: ['start_date'] });

export const LogsQuery = PagingQuery.extend({ level: z.enum(LOG_LEVELS).optional().meta({ description: 'Only lines of this level' }) });

const TaskSummarySchema = z.object({ total: z.number().int(), ...Object.fromEntries(RUN_TASK_STATUSES.map((s) => [s, z.number().int()])) }).meta({ id: 'TaskSummary' });

export const RunTaskSchema = z
  .object({
    id: z.string(),
    task_id: z.string(),
    workflow_id: z.string(),
    execution_id: z.string(),
    node_id: z.string(),
    name: z.string(),
    type: z.string(),
    status: z.enum(RUN_TASK_STATUSES),
    payload: z.record(z.string(), z.unknown()),
    result: z.unknown(),
    result_truncated: z.boolean(),
    error: z.string().nullable(),
    retry_count: z.number().int(),
    max_retries: z.number().int(),
    priority: z.number().int().nullable(),
    dependencies: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'WorkflowRunTask' });

/** `GET /executions/{id}/tasks`: the run's tasks (FlowCtl). */
export const ExecutionTasksSchema = z.object({ data: z.array(RunTaskSchema), tasks: z.array(RunTaskSchema) }).meta({ id: 'WorkflowRunTaskList' });

export const ExecutionSchema = z
  .object({
    id: z.string(),
    execution_id: z.string(),
    workflow_id: z.string(),
    flow_id: z.string(),
    pipeline_id: z.string(),
    workflow_name: z.string(),
    version: z.number().int(),
    status: z.enum(EXECUTION_STATUSES),
    input: z.unknown().optional(),
    result: z.unknown(),
    error: z.string().nullable(),
    failed_node: z.string().nullable(),
    trigger: z.string(),
    parent_execution_id: z.string().nullable().meta({ description: 'The execution whose subworkflow node started this one; null for a top-level run' }),
    parent_node_id: z.string().nullable().meta({ description: 'That subworkflow node' }),
    depth: z.number().int().meta({ description: 'Subworkflow nesting: 0 for a top-level run, at most 10' }),
    redrive_count: z.number().int(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    duration: z.number().int().nullable().meta({ description: 'Milliseconds (FlowRunner)' }),
    duration_ms: z.number().int().nullable().meta({ description: 'Milliseconds (CloudFlow)' }),
    records_processed: z.number().int().nullable(),
    records_failed: z.number().int().nullable(),
    error_rate: z.number().nullable().meta({ description: 'records_failed as a percentage of records_processed' }),
    task_summary: TaskSummarySchema.optional(),
    waiting_nodes: z.array(z.string()).optional().meta({ description: 'Nodes waiting for a decision (approvals); with the execution’s tasks' }),
    tasks: z.array(RunTaskSchema).optional(),
  })
  .meta({ id: 'Execution' });

export const ExecutionListSchema = z
  .object({ data: z.array(ExecutionSchema), executions: z.array(ExecutionSchema), pagination: PaginationSchema, total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'ExecutionList' });

export const LogLineSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    level: z.enum(LOG_LEVELS),
    message: z.string(),
    node_id: z.string().nullable(),
    node_type: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'ExecutionLogLine' });

export const LogListSchema = z
  .object({ data: z.array(LogLineSchema), logs: z.array(LogLineSchema), pagination: PaginationSchema, total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'ExecutionLogs' });

export function runTaskView(t: RunTask): z.output<typeof RunTaskSchema> {
  return {
    id: t.id,
    task_id: t.id,
    workflow_id: t.workflowId,
    execution_id: t.executionId,
    node_id: t.nodeId,
    name: t.name,
    type: t.type,
    status: t.status,
    payload: t.payload,
    result: t.result,
    result_truncated: t.resultTruncated,
    error: t.error,
    retry_count: t.retryCount,
    max_retries: t.maxRetries,
    priority: t.priority,
    dependencies: [...t.dependencies],
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    started_at: t.startedAt,
    completed_at: t.completedAt,
  };
}

/** FlowRunner's execution, with CloudFlow's pipeline fields beside it. */
export function executionView(e: Execution, options: { tasks?: readonly RunTask[]; withInput?: boolean; withTasks?: boolean } = {}): z.output<typeof ExecutionSchema> {
  const records = e.records;
  return {
    id: e.id,
    execution_id: e.id,
    workflow_id: e.workflowId,
    flow_id: e.workflowId,
    pipeline_id: e.workflowId,
    workflow_name: e.workflowName,
    version: e.version,
    status: e.status,
    ...(options.withInput ? { input: e.input } : {}),
    result: e.result,
    error: e.error,
    failed_node: e.failedNode,
    trigger: e.trigger,
    parent_execution_id: e.parent?.executionId ?? null,
    parent_node_id: e.parent?.nodeId ?? null,
    depth: e.parent?.depth ?? 0,
    redrive_count: e.redriveCount,
    created_at: e.createdAt,
    started_at: e.startedAt,
    completed_at: e.completedAt,
    duration: e.durationMs,
    duration_ms: e.durationMs,
    records_processed: records ? records.processed : null,
    records_failed: records ? records.failed : null,
    // CloudFlow: failed as a percentage of records processed (15420 processed, 3 failed → 0.02).
    error_rate: records ? (records.processed === 0 ? 0 : Math.round((records.failed / records.processed) * 10_000) / 100) : null,
    ...(options.tasks ? { task_summary: summaryOf(options.tasks), waiting_nodes: options.tasks.filter((t) => t.status === 'waiting').map((t) => t.nodeId) } : {}),
    ...(options.tasks && options.withTasks ? { tasks: options.tasks.map(runTaskView) } : {}),
  };
}

export function summaryOf(tasks: readonly RunTask[]): z.output<typeof TaskSummarySchema> {
  const counts = Object.fromEntries(RUN_TASK_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return { total: tasks.length, ...counts } as z.output<typeof TaskSummarySchema>;
}

export function logView(l: LogLine): z.output<typeof LogLineSchema> {
  return { id: l.id, timestamp: l.timestamp, level: l.level, message: l.message, node_id: l.nodeId, node_type: l.nodeType, data: l.data };
}

// ---------------------------------------------------------------- approvals (docs/api.md#approvals)

export const ApprovalsQuery = z.object({
  execution_id: z.string().regex(/^exec_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an execution id (exec_…)').optional().meta({ description: 'Only this execution’s pending approvals' }),
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'At most this many, oldest request first (default 50, at most 100)' }),
});

export const ApprovalPath = z.object({
  id: z.string().min(1).max(64).meta({ description: 'The execution’s id' }),
  node_id: z.string().min(1).max(64).meta({ description: 'The approval node’s id' }),
});

export const DecisionBody = z
  .strictObject({
    decision: z.enum(DECISIONS).meta({ description: 'approve or reject' }),
    comment: z.string().max(MAX_COMMENT).nullable().optional().meta({ description: `Why, at most ${MAX_COMMENT} characters` }),
  })
  .meta({ id: 'ApprovalDecisionRequest' });

export const ApprovalSchema = z
  .object({
    execution_id: z.string(),
    workflow_id: z.string(),
    node_id: z.string(),
    message: z.string().nullable(),
    approvers: z.array(z.string()),
    on_reject: z.enum(['fail', 'continue']),
    status: z.enum(APPROVAL_STATUSES),
    requested_at: z.string(),
    expires_at: z.string().nullable(),
    decision: z.enum(DECISIONS).nullable(),
    comment: z.string().nullable(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
  })
  .meta({ id: 'Approval' });

export const ApprovalListSchema = z.object({ data: z.array(ApprovalSchema), approvals: z.array(ApprovalSchema) }).meta({ id: 'ApprovalList' });

export const DecisionSchema = z
  .object({
    decision: z.enum(DECISIONS),
    comment: z.string().nullable(),
    decided_by: z.string(),
    decided_at: z.string(),
    approval: ApprovalSchema,
  })
  .meta({ id: 'ApprovalDecision' });

export function approvalView(a: Approval): z.output<typeof ApprovalSchema> {
  return {
    execution_id: a.executionId,
    workflow_id: a.workflowId,
    node_id: a.nodeId,
    message: a.message,
    approvers: [...a.approvers],
    on_reject: a.onReject,
    status: a.status,
    requested_at: a.requestedAt,
    expires_at: a.expiresAt,
    decision: a.decision,
    comment: a.comment,
    decided_by: a.decidedBy,
    decided_at: a.decidedAt,
  };
}
