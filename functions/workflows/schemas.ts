import * as z from 'zod';
import { WORKFLOW_STATUSES, type Workflow } from '../core/workflows/workflow.ts';
import { allNodes, type WorkflowIr } from '../../statemachines/ir.ts';
import { IsoInstant, PaginationSchema, PagingQuery } from '../shared/schemas.ts';
import { EXECUTION_STATUSES, type RunTask } from '../core/executions/execution.ts';
import { emptyStats, metricsOf, type WorkflowRunStats } from '../core/executions/run-stats.ts';
import { dialectBodies, documentedDefinitions } from './definition-schemas.ts';
import { RunStartedSchema } from '../executions/schemas.ts';

const MAX_DEFINITION_CHARS = 256 * 1024;

/** The three dialects' fields; which ones are present decides the dialect (statemachines/README.md#dialect-mapping). */
const DefinitionFields = {
  definition: z
    .union([z.string().max(MAX_DEFINITION_CHARS, 'definition must be at most 256 KB'), z.record(z.string(), z.unknown())])
    .optional()
    .meta({ description: 'FlowRunner: YAML text (or the parsed object) with metadata and nodes' }),
  tasks: z.array(z.unknown()).optional().meta({ description: 'FlowCtl: [{name, type, payload, dependencies, max_retries, priority}]' }),
  config: z.record(z.string(), z.unknown()).optional().meta({ description: 'FlowCtl: {max_concurrency, timeout, retry_policy}' }),
  trigger: z.record(z.string(), z.unknown()).optional().meta({ description: 'CloudFlow: {type: manual|schedule|webhook|event, …}' }),
  steps: z.array(z.unknown()).optional().meta({ description: 'CloudFlow: ordered [{type, …params}]' }),
};

const Name = z.string().trim().min(1).max(200);
const Tags = z.array(z.string().trim().min(1).max(50)).max(20);

export const CreateWorkflowBody = z
  .strictObject({
    name: Name.optional(),
    description: z.string().max(4000).nullable().optional(),
    tags: Tags.optional(),
    status: z.enum(WORKFLOW_STATUSES).optional(),
    ...DefinitionFields,
  })
  .meta({ id: 'CreateWorkflow' });

/** FlowCtl's "create and queue": POST /workflows with `run: true` starts the first run at once. */
export const CreateWorkflowRequest = CreateWorkflowBody.extend({
  run: z.boolean().optional().meta({ description: 'Start a run right after creating it (FlowCtl create-and-queue)' }),
  input: z.record(z.string(), z.unknown()).optional().meta({ description: 'Input of that first run' }),
}).meta({ id: 'CreateWorkflowRequest' });

export const PublishWorkflowBody = CreateWorkflowBody.extend({
  revision: z.number().int().min(1).optional().meta({ description: 'Expected current revision (alternative to If-Match)' }),
}).meta({ id: 'PublishWorkflow' });

export const PatchWorkflowBody = z
  .strictObject({
    name: Name.optional(),
    description: z.string().max(4000).nullable().optional(),
    tags: Tags.optional(),
    status: z.enum(WORKFLOW_STATUSES).optional(),
    revision: z.number().int().min(1).optional(),
  })
  .meta({ id: 'PatchWorkflow' });

/** A dry run takes exactly what a create takes (`run` and `input` are then ignored). */
export const ValidateWorkflowBody = CreateWorkflowRequest;

const CreateCommon = {
  name: Name.optional().meta({ description: 'Defaults to the definition’s metadata.name (FlowRunner)' }),
  description: z.string().max(4000).nullable().optional(),
  tags: Tags.optional(),
  status: z.enum(WORKFLOW_STATUSES).optional(),
};
/** The documented create body: one dialect, typed per node type (functions/workflows/definition-schemas.ts); built when the document is. */
export const CreateWorkflowDocumented = (): z.ZodType => dialectBodies(
  {
    ...CreateCommon,
    run: z.boolean().optional().meta({ description: 'Start a run right after creating it (FlowCtl create-and-queue)' }),
    input: z.record(z.string(), z.unknown()).optional().meta({ description: 'Input of that first run' }),
  },
  'CreateWorkflowRequest',
);
export const PublishWorkflowDocumented = (): z.ZodType => dialectBodies(
  { ...CreateCommon, revision: z.number().int().min(1).optional().meta({ description: 'Expected current revision (alternative to If-Match)' }) },
  'PublishWorkflow',
);

export const ListWorkflowsQuery = PagingQuery.extend({
  status: z
    .enum([...WORKFLOW_STATUSES, ...EXECUTION_STATUSES])
    .optional()
    .meta({
      description:
        'active, paused or archived filter by lifecycle (CloudFlow); pending, running, completed, failed, cancelled or timed_out by the status of the latest run (FlowCtl; never-run workflows match none of these)',
    }),
  tag: z.string().min(1).max(50).optional().meta({ description: 'Only workflows carrying this tag (not combinable with a run status)' }),
  created_after: IsoInstant.optional().meta({ description: 'Only workflows created at or after this instant (ISO 8601)' }),
});

const WorkflowTaskSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    name: z.string(),
    type: z.string(),
    status: z.string(),
    payload: z.record(z.string(), z.unknown()),
    priority: z.number().int().nullable(),
    dependencies: z.array(z.string()),
    max_retries: z.number().int().meta({ description: 'Effective retries after the first attempt' }),
    timeout_seconds: z.number().int().nullable(),
    task_id: z.string().nullable().meta({ description: 'This node’s task in the latest run (GET /tasks/{task_id})' }),
    execution_id: z.string().nullable(),
    retry_count: z.number().int(),
    error: z.string().nullable(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'WorkflowTask' });

const IrConfigSchema = z
  .object({
    max_concurrency: z.number().int(),
    timeout_seconds: z.number().int(),
    retry_policy: z.object({ max_attempts: z.number().int(), interval_seconds: z.number(), backoff_rate: z.number(), max_delay_seconds: z.number() }),
  })
  .meta({ id: 'WorkflowConfig', description: 'The effective execution settings (FlowCtl config with its defaults applied, in seconds)' });

const FilterValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const TriggerSchemaOut = z
  .union([
    z.object({ type: z.literal('manual') }),
    z.object({ type: z.literal('schedule'), cron: z.string(), timezone: z.string() }),
    z.object({ type: z.literal('webhook') }),
    z.object({ type: z.literal('event'), events: z.array(z.string()), filter: z.record(z.string(), z.union([FilterValue, z.array(FilterValue)])).optional() }),
  ])
  .meta({ id: 'WorkflowTrigger' });

const WorkflowMetricsSchema = z
  .object({
    total_runs: z.number().int(),
    success_rate: z.number().nullable().meta({ description: 'Percent of finished runs that completed' }),
    avg_duration_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'WorkflowMetrics' });

export const WorkflowSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(WORKFLOW_STATUSES),
    dialect: z.enum(['flowrunner', 'flowctl', 'cloudflow']),
    version: z
      .union([z.string(), z.number().int()])
      .meta({ description: 'FlowRunner: the definition’s metadata.version ("1.0.1") when it has one; otherwise the published version number (as published_version)' }),
    published_version: z.number().int().meta({ description: 'Published definition version (PUT publishes the next)' }),
    revision: z.number().int().meta({ description: 'Optimistic-lock counter; ETag and If-Match use it' }),
    tags: z.array(z.string()),
    // Getters: the typed definitions are built only when the document is (definition-schemas.ts).
    get definition() {
      return documentedDefinitions().DefinitionField.optional();
    },
    tasks: z.array(WorkflowTaskSchema).optional(),
    config: IrConfigSchema.optional(),
    trigger: TriggerSchemaOut.optional(),
    get steps() {
      return z.union([z.array(documentedDefinitions().CloudFlowStepSchema), z.number().int()]).optional().meta({ description: 'CloudFlow steps; in lists, their count' });
    },
    webhook_url: z.string().optional().meta({ description: 'POST here to start a run (webhook trigger); only in the response that created the token — rotate with POST /workflows/{id}/webhook-token' }),
    last_run: z.string().nullable().meta({ description: 'When the latest run started' }),
    last_run_status: z.string().nullable(),
    last_execution_id: z.string().nullable(),
    metrics: WorkflowMetricsSchema.optional(),
    execution: RunStartedSchema.optional().meta({ description: 'The run started by `run: true`' }),
    state_machine_arn: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Workflow' });

export const WorkflowListSchema = z
  .object({
    data: z.array(WorkflowSchema),
    workflows: z.array(WorkflowSchema).meta({ description: 'Same as data (FlowCtl)' }),
    flows: z.array(WorkflowSchema).meta({ description: 'Same as data (FlowRunner)' }),
    pagination: PaginationSchema,
    total: z.number().int(),
    page: z.number().int().meta({ description: '1-based page number (FlowCtl)' }),
    limit: z.number().int().meta({ description: 'Page size (FlowRunner, FlowCtl)' }),
    offset: z.number().int().meta({ description: 'Items skipped (FlowRunner)' }),
    total_pages: z.number().int().meta({ description: 'Pages of this size (FlowCtl)' }),
  })
  .meta({ id: 'WorkflowList' });

export const WorkflowTaskListSchema = z.object({ data: z.array(WorkflowTaskSchema), tasks: z.array(WorkflowTaskSchema) }).meta({ id: 'WorkflowTaskList' });

const WorkflowVersionSchema = z
  .object({
    version: z.number().int(),
    workflow_id: z.string(),
    dialect: z.enum(['flowrunner', 'flowctl', 'cloudflow']),
    created_at: z.string(),
    created_by: z.string(),
    version_arn: z.string().nullable(),
    asl: z.record(z.string(), z.unknown()).meta({ description: 'The version’s Amazon States Language definition' }),
  })
  .meta({ id: 'WorkflowVersion' });

export const WorkflowVersionListSchema = z
  .object({ data: z.array(WorkflowVersionSchema), versions: z.array(WorkflowVersionSchema), pagination: PaginationSchema })
  .meta({ id: 'WorkflowVersionList' });

export const ValidationResultSchema = z
  .object({
    valid: z.literal(true),
    dialect: z.string(),
    ir: z.record(z.string(), z.unknown()).meta({ description: 'The normalised intermediate representation (statemachines/README.md)' }),
    asl: z.record(z.string(), z.unknown()).meta({ description: 'The generated Amazon States Language definition' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).max(0).meta({ description: 'Always empty on 200: an invalid definition is a 400 listing every issue' }),
    warnings: z
      .array(z.object({ path: z.string(), code: z.enum(['unsigned_webhook', 'unknown_data_source']), message: z.string() }))
      .meta({ description: 'Nodes that save and compile but may not do what was meant: webhook nodes that would post unsigned (no signing secret), fetch_data nodes naming no data source of the account' }),
  })
  .meta({ id: 'WorkflowValidation' });

/** The workflow's nodes as FlowCtl tasks, with each one's state in the latest run when there is one. */
export function taskViews(workflowId: string, ir: WorkflowIr | undefined, latest?: readonly RunTask[]): z.output<typeof WorkflowTaskSchema>[] {
  const runs = new Map((latest ?? []).map((t) => [t.nodeId, t]));
  return (ir ? allNodes(ir) : []).map((node) => ({
    id: node.id,
    workflow_id: workflowId,
    name: node.name ?? node.id,
    type: node.type,
    status: runs.get(node.id)?.status ?? 'pending',
    payload: node.params,
    priority: node.priority ?? null,
    dependencies: [...node.dependencies],
    max_retries: node.retry.max_attempts - 1,
    timeout_seconds: node.timeout_seconds ?? null,
    task_id: runs.get(node.id)?.id ?? null,
    execution_id: runs.get(node.id)?.executionId ?? null,
    retry_count: runs.get(node.id)?.retryCount ?? 0,
    error: runs.get(node.id)?.error ?? null,
    started_at: runs.get(node.id)?.startedAt ?? null,
    completed_at: runs.get(node.id)?.completedAt ?? null,
  }));
}

export interface WorkflowViewOptions {
  summary?: boolean;
  stats?: WorkflowRunStats | undefined;
  /** Tasks of the latest run, to show each node's status in it. */
  latestTasks?: readonly RunTask[] | undefined;
  withMetrics?: boolean;
}

type View = z.output<typeof WorkflowSchema>;

/** One response shape with each seed's fields: FlowRunner `definition`, FlowCtl `tasks`/`config`, CloudFlow `trigger`/`steps`. */
export function workflowView(wf: Workflow, ir: WorkflowIr | undefined, options: WorkflowViewOptions = {}): z.output<typeof WorkflowSchema> {
  const { source } = wf;
  const { summary = false, stats } = options;
  return {
    id: wf.id,
    workflow_id: wf.id,
    name: wf.name,
    description: wf.description,
    status: wf.status,
    dialect: wf.dialect,
    version: typeof ir?.metadata.version === 'string' ? ir.metadata.version : wf.version,
    published_version: wf.version,
    revision: wf.revision,
    tags: [...wf.tags],
    // Stored definitions passed the compiler, which accepts exactly what these schemas describe.
    ...(source.definition !== undefined ? { definition: source.definition as View['definition'] } : {}),
    ...(source.tasks !== undefined ? { tasks: taskViews(wf.id, ir, options.latestTasks) } : {}),
    ...(source.tasks !== undefined || source.config !== undefined ? { config: (ir?.config ?? source.config) as View['config'] } : {}),
    // The checked trigger (timezone filled in), wherever it was given: CloudFlow's field, a top-level one, or FlowRunner metadata.
    ...(source.trigger !== undefined || source.steps !== undefined || (wf.trigger !== undefined && wf.trigger.type !== 'manual')
      ? { trigger: (wf.trigger ?? source.trigger ?? { type: 'manual' }) as View['trigger'] }
      : {}),
    ...(source.steps !== undefined ? { steps: (summary && Array.isArray(source.steps) ? source.steps.length : source.steps) as View['steps'] } : {}),
    last_run: stats?.lastRunAt ?? null,
    last_run_status: stats?.lastStatus ?? null,
    last_execution_id: stats?.lastExecutionId ?? null,
    ...(options.withMetrics ? { metrics: metricsOf(stats ?? emptyStats(wf.id)) } : {}),
    state_machine_arn: wf.machine.stateMachineArn,
    created_at: wf.createdAt,
    updated_at: wf.updatedAt,
  };
}
