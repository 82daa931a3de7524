import { idempotencyKeyOf } from '../core/idempotency/idempotency.ts';
import type { ApprovalService } from '../core/approvals/approval-service.ts';
import type { ExecutionService } from '../core/executions/execution-service.ts';
import type { Execution } from '../core/executions/execution.ts';
import { paginationView, type Page, type PageRequest } from '../core/pagination.ts';
import type { ModelRegistry } from '../core/runner/ports.ts';
import { operation, type Operation } from '../http/operation.ts';
import { modelOperations } from './models.ts';
import { IdPath, MessageSchema, toPageRequest } from '../shared/schemas.ts';
import {
  ApprovalListSchema,
  ApprovalPath,
  ApprovalsQuery,
  DecisionBody,
  DecisionSchema,
  approvalView,
  ExecutionListSchema,
  ExecutionSchema,
  ExecutionTasksSchema,
  ListExecutionsQuery,
  LogListSchema,
  LogsQuery,
  PipelineExecutionsQuery,
  RunBody,
  RunStartedSchema,
  executionView,
  logView,
  runTaskView,
} from './schemas.ts';

export interface ExecutionDeps {
  executions: ExecutionService;
  /** Trained models (ml_training); absent where the stage has no model bucket. */
  models?: Pick<ModelRegistry, 'list'> | undefined;
  approvals: ApprovalService;
}

/**
 * The 202 answer to a start, with each seed's names for the ids (FlowRunner, FlowCtl, Behflow).
 * It tells the start, so a run that started says `running` (docs/api.md, `POST /workflows/{id}/run`):
 * a quick run may have ended before the answer is written, and an Idempotency-Key replay gives the
 * first answer again; `GET /executions/{id}` tells where the run is now. A replay of a start that
 * never reached the engine (no `started_at`) says what it is: `failed`, with no start time.
 */
export function runStarted(e: Execution) {
  return {
    status: 202,
    body: {
      execution_id: e.id,
      id: e.id,
      workflow_id: e.workflowId,
      flow_id: e.workflowId,
      process_id: e.workflowId,
      version: e.version,
      status: e.startedAt === null ? e.status : ('running' as const),
      message: 'Execution started',
      created_at: e.createdAt,
      started_at: e.startedAt,
    },
    headers: { Location: `/api/v1/executions/${e.id}` },
  };
}

function listBody(result: Page<Execution>, page: PageRequest) {
  const data = result.items.map((e) => executionView(e));
  const pagination = paginationView(result, page);
  return { data, executions: data, pagination, total: result.total, limit: pagination.limit, offset: pagination.offset };
}

export function executionOperations(deps: () => ExecutionDeps): Record<string, Operation> {
  const run = operation(
    { params: IdPath, body: RunBody, bodyOptional: true, response: RunStartedSchema, status: 202, headers: ['Location'], errors: [409], description: 'Starts a run of the live version. Idempotency-Key: the same key and body return the same execution; a different body is a 409.' },
    async ({ principal, params, body, headers }) => runStarted(await deps().executions.start(principal, params.id, { input: body?.input, idempotencyKey: idempotencyKeyOf(headers) })),
  );

  return {
    ...modelOperations(() => deps().models),
    runWorkflow: run,
    runFlow: run,
    executeProcess: run,

    cancelWorkflowRuns: operation({ params: IdPath, response: MessageSchema }, async ({ principal, params }) => {
      const cancelled = await deps().executions.cancelWorkflow(principal, params.id);
      return { status: 200, body: { message: 'Workflow cancelled', cancelled: cancelled.length, execution_ids: cancelled.map((e) => e.id) } };
    }),

    listExecutions: operation({ query: ListExecutionsQuery, response: ExecutionListSchema }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const result = await deps().executions.list(principal, { workflowId: query.workflow_id ?? query.flow_id, parentExecutionId: query.parent_execution_id, status: query.status, startDate: query.start_date, endDate: query.end_date }, page);
      return { status: 200, body: listBody(result, page) };
    }),

    listPipelineExecutions: operation({ params: IdPath, query: PipelineExecutionsQuery, response: ExecutionListSchema }, async ({ principal, params, query }) => {
      const page = toPageRequest(query);
      const result = await deps().executions.listOfWorkflow(principal, params.id, { status: query.status, startDate: query.start_date, endDate: query.end_date }, page);
      return { status: 200, body: listBody(result, page) };
    }),

    getExecution: operation({ params: IdPath, response: ExecutionSchema }, async ({ principal, params }) => {
      const { execution, tasks } = await deps().executions.get(principal, params.id);
      return { status: 200, body: executionView(execution, { tasks, withInput: true, withTasks: true }) };
    }),

    cancelExecution: operation({ params: IdPath, response: MessageSchema }, async ({ principal, params }) => {
      const execution = await deps().executions.cancel(principal, params.id);
      return { status: 200, body: { message: 'Execution cancelled successfully', execution: executionView(execution) } };
    }),

    retryExecution: operation(
      { params: IdPath, response: ExecutionSchema, status: 202, description: 'Redrive: nodes that failed or never ran run again; completed nodes keep their outputs.' },
      async ({ principal, params }) => ({ status: 202, body: executionView(await deps().executions.retry(principal, params.id)) }),
    ),

    listExecutionTasks: operation({ params: IdPath, response: ExecutionTasksSchema }, async ({ principal, params }) => {
      const tasks = (await deps().executions.tasks(principal, params.id)).map(runTaskView);
      return { status: 200, body: { data: tasks, tasks } };
    }),

    listApprovals: operation(
      { query: ApprovalsQuery, response: ApprovalListSchema, description: 'The account’s approvals waiting for a decision, oldest request first. The task token is never returned.' },
      async ({ principal, query }) => {
        const data = (await deps().approvals.listPending(principal, { executionId: query.execution_id, limit: query.limit })).map(approvalView);
        return { status: 200, body: { data, approvals: data } };
      },
    ),

    decideApproval: operation(
      {
        params: ApprovalPath,
        body: DecisionBody,
        response: DecisionSchema,
        errors: [403, 409],
        description: 'Approve or reject a waiting approval node. Only a named approver (user id, username or email) may decide; with none named, any member with workflows:write. A second decision, or a node that is not waiting, is a 409.',
      },
      async ({ principal, params, body }) => {
        const { approval, output } = await deps().approvals.decide(principal, params.id, params.node_id, body);
        return { status: 200, body: { ...output, approval: approvalView(approval) } };
      },
    ),

    listExecutionLogs: operation({ params: IdPath, query: LogsQuery, response: LogListSchema }, async ({ principal, params, query }) => {
      const page = toPageRequest(query);
      const result = await deps().executions.logs(principal, params.id, query.level, page);
      const data = result.items.map(logView);
      const pagination = paginationView(result, page);
      return { status: 200, body: { data, logs: data, pagination, total: result.total, limit: pagination.limit, offset: pagination.offset } };
    }),
  };
}
