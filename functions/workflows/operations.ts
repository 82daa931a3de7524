import { validationError } from '../core/errors.ts';
import type { EmailTemplateService } from '../core/email/email-template-service.ts';
import { emailOperations } from './email-operations.ts';
import type { DataSourceService } from '../core/data-sources/data-source-service.ts';
import { dataSourceOperations } from './data-source-operations.ts';
import { paginationView } from '../core/pagination.ts';
import type { DefinitionCompiler } from '../core/workflows/ports.ts';
import type { WorkflowService } from '../core/workflows/workflow-service.ts';
import type { DefinitionSource, Workflow, WorkflowStatus } from '../core/workflows/workflow.ts';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../core/executions/execution.ts';
import { parseIfMatch } from '../http/headers.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, MessageSchema, PagingQuery, toPageRequest } from '../shared/schemas.ts';
import type { ExecutionService } from '../core/executions/execution-service.ts';
import type { RunStatsStore } from '../core/executions/run-stats.ts';
import { runStarted } from '../executions/operations.ts';
import type { Principal } from '../core/principal.ts';
import type { TriggerService } from '../core/triggers/trigger-service.ts';
import { hookUrl, publicBaseUrl } from '../triggers/hook-url.ts';
import {
  CreateWorkflowDocumented,
  CreateWorkflowRequest,
  PublishWorkflowDocumented,
  ListWorkflowsQuery,
  PatchWorkflowBody,
  PublishWorkflowBody,
  ValidateWorkflowBody,
  ValidationResultSchema,
  WorkflowTaskListSchema,
  WorkflowVersionListSchema,
  WorkflowListSchema,
  WorkflowSchema,
  taskViews,
  workflowView,
} from './schemas.ts';

/** The workflows resource: workflows and versions, plus the building blocks their nodes name (email templates, the outbox). */
export function workflowResourceOperations(workflows: () => WorkflowDeps, email: () => EmailTemplateService, dataSources: () => DataSourceService): Record<string, Operation> {
  return { ...workflowOperations(workflows), ...emailOperations(email), ...dataSourceOperations(dataSources) };
}

export interface WorkflowDeps {
  workflows: WorkflowService;
  compiler: DefinitionCompiler;
  /** Runs: last run, metrics and task states in views; `run: true` on create. */
  runs: { readonly executions: ExecutionService; readonly runStats: RunStatsStore };
  /** Schedules, event subscriptions and webhook credentials follow each save (docs/api.md#triggers). */
  triggers: Pick<TriggerService, 'sync' | 'remove'>;
  /** PUBLIC_BASE_URL, for webhook_url. */
  publicBaseUrl: string | undefined;
  /** The account's secret names (metadata only, never values): a dry run warns about unsigned webhook nodes. */
  secretKeys: (accountId: string) => Promise<readonly string[]>;
  /** The account's data-source names (and `local` where it exists), for the dry run's `unknown_data_source` warning. */
  dataSourceNames: (accountId: string) => Promise<readonly string[]>;
}

const etag = (wf: Workflow) => ({ ETag: `"${wf.revision}"` });

function sourceOf(body: { definition?: unknown; tasks?: unknown; config?: unknown; trigger?: unknown; steps?: unknown }): DefinitionSource {
  const { definition, tasks, config, trigger, steps } = body;
  return Object.fromEntries(Object.entries({ definition, tasks, config, trigger, steps }).filter(([, v]) => v !== undefined));
}

function expectedRevision(headers: Record<string, string>, bodyRevision: number | undefined): number | undefined {
  const header = parseIfMatch(headers['if-match']);
  if (header === 'invalid') throw validationError('If-Match', 'If-Match must be a revision number such as "3"');
  return header ?? bodyRevision;
}

export function workflowOperations(deps: () => WorkflowDeps): Record<string, Operation> {
  /** The full view: run statistics, metrics, and each task's state in the latest run. */
  const view = async (principal: Principal, wf: Workflow) => {
    const { executions, runStats } = deps().runs;
    const [stats, latest] = await Promise.all([runStats.get(principal.accountId, [wf.id]), wf.source.tasks !== undefined ? executions.latest(principal, wf.id) : undefined]);
    return workflowView(wf, deps().compiler.analyse(wf.source).ir, { stats: stats.get(wf.id), latestTasks: latest?.tasks, withMetrics: true });
  };

  /** After a save: provision what the trigger needs; a newly minted webhook URL is shown in this response only. */
  const syncTrigger = async (wf: Workflow, headers: Record<string, string>) => {
    const { webhookToken } = await deps().triggers.sync(wf);
    return webhookToken ? { webhook_url: hookUrl(publicBaseUrl(deps().publicBaseUrl, headers), wf.id, webhookToken) } : {};
  };

  const list = operation({ query: ListWorkflowsQuery, response: WorkflowListSchema }, async ({ principal, query }) => {
    const page = toPageRequest(query);
    const runStatus = (EXECUTION_STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as ExecutionStatus) : undefined;
    if (runStatus && query.tag) throw validationError('tag', 'tag cannot be combined with a run status filter (pending, running, completed, failed, cancelled, timed_out)');
    const filter = runStatus ? { lastRunStatus: runStatus, createdAfter: query.created_after } : { status: query.status as WorkflowStatus | undefined, tag: query.tag, createdAfter: query.created_after };
    const result = await deps().workflows.list(principal, filter, page);
    const stats = await deps().runs.runStats.get(principal.accountId, result.items.map((wf) => wf.id));
    const data = result.items.map((wf) => workflowView(wf, deps().compiler.analyse(wf.source).ir, { summary: true, stats: stats.get(wf.id) }));
    const pagination = paginationView(result, page);
    const paging = { total: result.total, page: Math.floor(pagination.offset / page.limit) + 1, limit: page.limit, offset: pagination.offset, total_pages: Math.ceil(result.total / page.limit) };
    return { status: 200, body: { data, workflows: data, flows: data, pagination, ...paging } };
  });

  const create = operation(
    { body: CreateWorkflowRequest, documentedBody: CreateWorkflowDocumented, response: WorkflowSchema, status: 201, headers: ['ETag', 'Location'], description: 'Create a workflow; with `run: true` (FlowCtl create-and-queue) its first run starts at once and is returned as `execution`.' },
    async ({ principal, body, headers }) => {
      const { run, input, ...fields } = body;
      const wf = await deps().workflows.create(principal, { ...fields, source: sourceOf(fields) });
      const hook = await syncTrigger(wf, headers);
      const started = run ? await deps().runs.executions.start(principal, wf.id, { input, trigger: 'create' }) : undefined;
      const created = await view(principal, wf);
      return { status: 201, body: { ...created, ...hook, ...(started ? { execution: runStarted(started).body } : {}) }, headers: { ...etag(wf), Location: `/api/v1/workflows/${wf.id}` } };
    },
  );

  const get = operation({ params: IdPath, response: WorkflowSchema, headers: ['ETag'] }, async ({ principal, params }) => {
    const wf = await deps().workflows.get(principal, params.id);
    return { status: 200, body: await view(principal, wf), headers: etag(wf) };
  });

  const publish = operation(
    { params: IdPath, body: PublishWorkflowBody, documentedBody: PublishWorkflowDocumented, response: WorkflowSchema, headers: ['ETag'], ifMatch: true, description: 'Replace the definition: publishes a new version and moves the live alias to it.' },
    async ({ principal, params, body, headers }) => {
      const source = sourceOf(body);
      if (Object.keys(source).length === 0) throw validationError('definition', 'PUT needs a definition (definition, tasks or steps); use PATCH to change only status, name, description or tags');
      const wf = await deps().workflows.publish(principal, params.id, { ...body, source }, expectedRevision(headers, body.revision));
      const hook = await syncTrigger(wf, headers);
      return { status: 200, body: { ...(await view(principal, wf)), ...hook }, headers: etag(wf) };
    },
  );

  const patch = operation(
    { params: IdPath, body: PatchWorkflowBody, response: WorkflowSchema, headers: ['ETag'], ifMatch: true, description: 'Change status (active, paused, archived), name, description or tags.' },
    async ({ principal, params, body, headers }) => {
      const wf = await deps().workflows.patch(principal, params.id, body, expectedRevision(headers, body.revision));
      // Pausing or archiving disables a schedule; activating enables it again.
      const hook = await syncTrigger(wf, headers);
      return { status: 200, body: { ...(await view(principal, wf)), ...hook }, headers: etag(wf) };
    },
  );

  const removeWorkflow = async (principal: Principal, id: string, headers: Record<string, string>) => {
    await deps().workflows.delete(principal, id, expectedRevision(headers, undefined));
    await deps().triggers.remove(principal.accountId, id);
  };
  // CloudFlow's DELETE /workflows/{id} answers 204; FlowRunner's DELETE /flows/{id} a message (docs/compatibility.md).
  const remove = operation({ params: IdPath, status: 204, ifMatch: true }, async ({ principal, params, headers }) => {
    await removeWorkflow(principal, params.id, headers);
    return { status: 204 };
  });
  const removeFlow = operation({ params: IdPath, response: MessageSchema, ifMatch: true }, async ({ principal, params, headers }) => {
    await removeWorkflow(principal, params.id, headers);
    return { status: 200, body: { message: 'Flow deleted successfully' } };
  });

  return {
    listWorkflows: list,
    createWorkflow: create,
    getWorkflow: get,
    publishWorkflow: publish,
    patchWorkflow: patch,
    deleteWorkflow: remove,
    // FlowRunner's /flows routes are the same operations.
    listWorkflowsFlow: list,
    createWorkflowFlow: create,
    getWorkflowFlow: get,
    publishWorkflowFlow: publish,
    patchWorkflowFlow: patch,
    deleteWorkflowFlow: removeFlow,

    listWorkflowVersions: operation({ params: IdPath, query: PagingQuery, response: WorkflowVersionListSchema }, async ({ principal, params, query }) => {
      const page = toPageRequest(query);
      const result = await deps().workflows.versions(principal, params.id, page);
      const data = result.items.map((v) => ({ version: v.version, workflow_id: v.workflowId, dialect: v.dialect, created_at: v.createdAt, created_by: v.createdBy, version_arn: v.versionArn, asl: JSON.parse(v.asl) as unknown }));
      return { status: 200, body: { data, versions: data, pagination: paginationView(result, page) } };
    }),

    validateWorkflow: operation(
      { body: ValidateWorkflowBody, documentedBody: CreateWorkflowDocumented, response: ValidationResultSchema, description: 'Dry run: nothing is saved. 400 lists every problem, naming node and field.' },
      async ({ principal, body }) => {
        const [secretKeys, dataSources] = await Promise.all([deps().secretKeys(principal.accountId), deps().dataSourceNames(principal.accountId)]);
        const { ir, asl, warnings } = await deps().workflows.validate(principal, sourceOf(body), new Set(secretKeys), new Set(dataSources));
        return { status: 200, body: { valid: true, dialect: ir.dialect, ir, asl: JSON.parse(asl) as unknown, errors: [], warnings } };
      },
    ),

    listWorkflowTasks: operation({ params: IdPath, response: WorkflowTaskListSchema, description: 'The workflow’s tasks, each with its state in the latest run (FlowCtl).' }, async ({ principal, params }) => {
      const wf = await deps().workflows.get(principal, params.id);
      const latest = await deps().runs.executions.latest(principal, wf.id);
      const tasks = taskViews(wf.id, deps().compiler.analyse(wf.source).ir, latest?.tasks);
      return { status: 200, body: { data: tasks, tasks } };
    }),
  };
}

