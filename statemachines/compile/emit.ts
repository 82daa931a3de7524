/**
 * Plan → ASL (JSONPath only; aws-local-stepfunctions ignores JSONata).
 *
 * The state (`$`) is kept tiny and fixed so it never approaches 256 KiB:
 * - at the top level (and in parallel branches there) `$` is the execution input, unchanged by every state:
 *   runner Tasks and Parallel states use `ResultPath: null`; the few states that must read a runner answer
 *   (choice routing, map items, templated waits) put it next to a copy of `$$.Execution.Input` and restore
 *   `$` with `OutputPath: "$.scope"`. Runner payloads read the input from `$$.Execution.Input`.
 * - inside a map iteration `$` is the envelope {input, item, index, key}; runner payloads read `$.input` and
 *   `$.item`, and answers are parked under a key of the envelope (`$.choice`, `$.wait`, `$.map_items`).
 *   (aws-local-stepfunctions runs every Parallel branch and Map iteration as a nested execution whose
 *   `$$.Execution.Input` is that branch's input — keeping `$` equal to the real input at the top level and
 *   carrying it in the envelope below is what makes the same ASL correct in both engines.)
 * - terminal states use `OutputPath: null`, so Parallel/Map results are arrays of `{}`.
 */
import { parseDuration, toWholeSeconds } from '../durations.ts';
import { ownParams, type IrNode, type RetryPolicy } from '../ir.ts';
import { NODE_TYPES } from '../node-types.ts';
import { findTemplates, wholeTemplate } from '../templates.ts';
import { jobBuildspec } from '../jobs.ts';
import { LAMBDA_SERVICE_ERRORS, LIVE_ALIAS, RUNNER_ERRORS, type GateAction, type TaskRunnerAction } from '../task-runner-contract.ts';
import type { AslBranch, AslCatcher, AslChoiceState, AslMapState, AslRetrier, AslState, AslTaskState, JsonValue, PayloadTemplate } from '../asl/types.ts';
import type { GatedPlanStep, Plan } from './plan.ts';
import { DEFAULT_ML_ALGORITHM, isMlAlgorithm, MODEL_PREFIX, sageMakerHyperparameters, sageMakerTrainingSync, trainingImage, TRAINING_INSTANCE_TYPE, TRAINING_MAX_RUNTIME_SECONDS, TRAINING_VOLUME_GB } from '../ml-training.ts';

export interface EmitOptions {
  taskRunnerArn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: the service-integration ARNs name it like every other ARN. */
  partition: string;
  workflowId: string;
  accountId: string;
  stateMachineArnPrefix?: string;
  jitter: 'FULL' | 'NONE';
  lambdaServiceRetry: boolean;
  /** The stage's CodeBuild project: generic/ci nodes run there (statemachines/jobs.ts). */
  jobsProject?: string;
  /** AWS: ml_training runs as a SageMaker training job with this role, writing to this bucket (statemachines/ml-training.ts). */
  training?: TrainingTarget;
}

export interface TrainingTarget {
  roleArn: string;
  bucket: string;
  region: string;
}

export interface TaskStateInfo {
  node_id: string;
  node_type: string;
  action: TaskRunnerAction | GateAction;
  /** The state waits for SendTaskSuccess/Failure with `task_token`. */
  callback: boolean;
}

export interface EmitCounts {
  task: number;
  parallel: number;
  map: number;
  choice: number;
  wait: number;
  pass: number;
  fail: number;
  succeed: number;
}

export interface MachineCtx {
  options: EmitOptions;
  /** Node ids some template reads with {{steps.<id>}}: their outputs must exist, so they run in the runner. */
  referenced: Set<string>;
  /** Approval nodes a following choice routes on: their rejections complete them (compile.ts, routedApprovals). */
  routedApprovals: Set<string>;
  names: Set<string>;
  taskStates: Record<string, TaskStateInfo>;
  counters: { parallel: number; scope: number };
  /** Synthetic Parallel blocks, numbered in document order before emission (which runs back to front). */
  parallelNames?: Map<Plan, string>;
  counts: EmitCounts;
}

interface Scope {
  kind: 'root' | 'iteration';
  /** Innermost map node, inside an iteration. */
  mapNode?: string;
  states: Record<string, AslState>;
  id: number;
  failEntry?: string;
  doneState?: string;
}

const invoke = (partition: string) => `arn:${partition}:states:::lambda:invoke`;
export const codeBuildSync = (partition: string) => `arn:${partition}:states:::codebuild:startBuild.sync`;
const invokeCallback = (partition: string) => `arn:${partition}:states:::lambda:invoke.waitForTaskToken`;
/** Subworkflows: start the child and wait for it (`.sync:2`: its output as JSON), or only start it. */
export const startExecutionSync = (partition: string) => `arn:${partition}:states:::states:startExecution.sync:2`;
export const startExecution = (partition: string) => `arn:${partition}:states:::states:startExecution`;


function claim(ctx: MachineCtx, name: string): string {
  if (ctx.names.has(name)) throw new Error(`duplicate state name ${name}`);
  ctx.names.add(name);
  return name;
}

function put(ctx: MachineCtx, scope: Scope, name: string, state: AslState) {
  claim(ctx, name);
  scope.states[name] = state;
  const key = state.Type === 'Task' ? 'task' : (state.Type.toLowerCase() as keyof EmitCounts);
  ctx.counts[key]++;
}

/** Next or End; terminal states drop their output so parent Parallel/Map results stay tiny. */
function transition(cont: string | undefined): { Next: string } | { End: true; OutputPath: null } {
  return cont === undefined ? { End: true, OutputPath: null } : { Next: cont };
}

function retriers(policy: RetryPolicy, options: EmitOptions): AslRetrier[] {
  const out: AslRetrier[] = [{ ErrorEquals: [RUNNER_ERRORS.nonRetryable, RUNNER_ERRORS.cancelled], MaxAttempts: 0 }];
  if (options.lambdaServiceRetry) {
    out.push({ ErrorEquals: [...LAMBDA_SERVICE_ERRORS], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: options.jitter });
  }
  if (policy.max_attempts > 1) {
    out.push({
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: toWholeSeconds(policy.interval_seconds),
      MaxAttempts: policy.max_attempts - 1,
      BackoffRate: policy.backoff_rate,
      MaxDelaySeconds: toWholeSeconds(Math.max(policy.max_delay_seconds, policy.interval_seconds)),
      JitterStrategy: options.jitter,
    });
  }
  return out;
}

/** The scope's shared failure tail: format the recorded failure, then fail with the node named in Cause. */
function failEntry(ctx: MachineCtx, scope: Scope): string {
  if (scope.failEntry) return scope.failEntry;
  const fail = `Failed ${scope.id}`;
  const format = `Format failure ${scope.id}`;
  put(ctx, scope, format, {
    Type: 'Pass',
    Parameters: { 'Error.$': '$.error', 'Cause.$': 'States.JsonToString($)' },
    Next: fail,
  });
  put(ctx, scope, fail, { Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' });
  scope.failEntry = format;
  return format;
}

/** Per node: Catch → a Pass that names the node → the scope's failure tail. */
function catcher(ctx: MachineCtx, scope: Scope, node: IrNode): AslCatcher[] {
  const name = `${node.id} (failed)`;
  if (!ctx.names.has(name)) {
    const errorAt = scope.kind === 'root' ? '$' : '$.error';
    const record: PayloadTemplate = {
      failed_node: node.id,
      node_type: node.type,
      'error.$': `${errorAt}.Error`,
      'cause.$': `${errorAt}.Cause`,
    };
    if (scope.kind === 'iteration' && scope.mapNode) {
      record.map_node = scope.mapNode;
      record['map_key.$'] = '$.key';
    }
    put(ctx, scope, name, { Type: 'Pass', Parameters: record, Next: failEntry(ctx, scope) });
  }
  // At the top level the error replaces `$` (the default ResultPath; aws-local-stepfunctions mishandles an explicit "$").
  return [scope.kind === 'root' ? { ErrorEquals: ['States.ALL'], Next: name } : { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: name }];
}

interface RunnerTaskSpec {
  action: TaskRunnerAction;
  /** State name; the node id by default. */
  name?: string;
  /** More payload fields (record_job's `build` / `build_error`). */
  payload?: PayloadTemplate;
  outputPath?: string;
  callback?: boolean;
  resultSelector?: PayloadTemplate;
  resultPath?: string | null;
  retry?: boolean;
  timeoutSeconds?: number;
}

function runnerTask(ctx: MachineCtx, scope: Scope, node: IrNode, spec: RunnerTaskSpec, cont: string | undefined): string {
  const o = ctx.options;
  const payload: PayloadTemplate = {
    node_id: node.id,
    node_type: node.type,
    action: spec.action,
    params: (ctx.routedApprovals.has(node.id) && node.params.on_reject === undefined ? { ...ownParams(node), on_reject: 'continue' } : ownParams(node)) as JsonValue,
    account_id: o.accountId,
    workflow_id: o.workflowId,
    'execution_id.$': '$$.Execution.Id',
    'input.$': scope.kind === 'root' ? '$$.Execution.Input' : '$.input',
    'retry_count.$': '$$.State.RetryCount',
  };
  if (scope.kind === 'iteration' && scope.mapNode) {
    payload.map = { node_id: scope.mapNode, 'item.$': '$.item', 'index.$': '$.index', 'key.$': '$.key' };
  }
  if (spec.callback) payload['task_token.$'] = '$$.Task.Token';
  // CloudFlow's `data` (a script's, send_email's records) is the previous step's output: the runner reads it by id.
  if (node.dependencies.length > 0 && NODE_TYPES[node.type].readsPrevious?.(node.params)) payload.previous = [...node.dependencies];
  if (spec.payload) Object.assign(payload, spec.payload);
  const state: AslTaskState = {
    Type: 'Task',
    Resource: spec.callback ? invokeCallback(o.partition) : invoke(o.partition),
    Parameters: { FunctionName: o.taskRunnerArn, Payload: payload },
  };
  if (spec.resultSelector) state.ResultSelector = spec.resultSelector;
  state.ResultPath = spec.resultPath === undefined ? null : spec.resultPath;
  if (spec.resultPath === '$') delete state.ResultPath;
  const timeout = spec.timeoutSeconds ?? node.timeout_seconds;
  if (timeout !== undefined) state.TimeoutSeconds = toWholeSeconds(timeout);
  if (spec.retry !== false) state.Retry = retriers(node.retry, o);
  state.Catch = catcher(ctx, scope, node);
  Object.assign(state, transition(cont));
  if (spec.outputPath !== undefined && cont !== undefined) state.OutputPath = spec.outputPath;
  const name = spec.name ?? node.id;
  put(ctx, scope, name, state);
  ctx.taskStates[name] = { node_id: node.id, node_type: node.type, action: spec.action, callback: spec.callback === true };
  return name;
}

/**
 * generic/ci on AWS: prepare (runner) → `codebuild:startBuild.sync` → record (runner), as
 * statemachines/jobs.ts describes. The job state carries the node's Retry policy; after its last
 * attempt its error goes to the failure recorder, which fails the node through the usual catcher.
 */
function emitJob(ctx: MachineCtx, scope: Scope, node: IrNode, project: string, cont: string | undefined): string {
  const o = ctx.options;
  const root = scope.kind === 'root';
  const at = (field: string) => (root ? `$.${field}` : `$.job.${field}`);
  const jobName = `${node.id} (job)`;
  const recordName = `${node.id} (record)`;
  const failedName = `${node.id} (job failed)`;
  const restore = root ? '$.scope' : undefined;
  runnerTask(ctx, scope, node, { action: 'record_job', name: recordName, payload: { 'build.$': '$.build.Build' }, ...(restore ? { outputPath: restore } : {}) }, cont);
  runnerTask(ctx, scope, node, { action: 'record_job', name: failedName, retry: false, payload: { 'build_error.$': '$.build_error' }, ...(restore ? { outputPath: restore } : {}) }, cont);
  const job: AslTaskState = {
    Type: 'Task',
    Resource: codeBuildSync(o.partition),
    Parameters: {
      ProjectName: project,
      BuildspecOverride: jobBuildspec(node.type as 'generic' | 'ci'),
      'EnvironmentVariablesOverride.$': at('environment'),
    },
    TimeoutSecondsPath: at('timeout_seconds'),
    // The whole answer ({Build}): only Id and BuildStatus are always there, and a ResultSelector path that
    // finds nothing would fail the state.
    ResultPath: '$.build',
    Retry: retriers(node.retry, { ...o, lambdaServiceRetry: false }).slice(1),
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.build_error', Next: failedName }],
    Next: recordName,
  };
  if (job.Retry?.length === 0) delete job.Retry;
  // A node-level timeout (FlowCtl's task `timeout`) bounds each build attempt, whatever the params say.
  if (node.timeout_seconds !== undefined) {
    delete job.TimeoutSecondsPath;
    job.TimeoutSeconds = toWholeSeconds(node.timeout_seconds);
  }
  put(ctx, scope, jobName, job);
  return runnerTask(
    ctx,
    scope,
    node,
    { action: 'prepare_job', ...answer(scope, { environment: '$.Payload.environment', timeout_seconds: '$.Payload.timeout_seconds' }, 'job') },
    jobName,
  );
}

/**
 * subworkflow: prepare (runner) → `states:startExecution.sync:2` (wait) or `states:startExecution` on the
 * child's `live` alias → record (runner), as statemachines/README.md ("Subworkflows") describes. The start
 * state has no Retry: a second start of the same name would be refused (ExecutionAlreadyExists) or find a
 * child already ended. Its error goes to the failure recorder, which fails the node with the child's error.
 */
function emitSubworkflow(ctx: MachineCtx, scope: Scope, node: IrNode, cont: string | undefined): string {
  const o = ctx.options;
  if (o.stateMachineArnPrefix === undefined) throw new Error('subworkflow nodes need the stateMachineArnPrefix compile option');
  const root = scope.kind === 'root';
  const at = (field: string) => (root ? `$.${field}` : `$.child.${field}`);
  const startName = `${node.id} (start)`;
  const recordName = `${node.id} (record)`;
  const failedName = `${node.id} (child failed)`;
  const restore = root ? '$.scope' : undefined;
  const wait = node.params.wait !== false;
  runnerTask(ctx, scope, node, { action: 'record_subworkflow', name: recordName, payload: { child: { 'name.$': at('name') } }, ...(restore ? { outputPath: restore } : {}) }, cont);
  runnerTask(
    ctx,
    scope,
    node,
    { action: 'record_subworkflow', name: failedName, retry: false, payload: { child: { 'name.$': at('name'), 'error.$': '$.child_error' } }, ...(restore ? { outputPath: restore } : {}) },
    cont,
  );
  const start: AslTaskState = {
    Type: 'Task',
    Resource: wait ? startExecutionSync(o.partition) : startExecution(o.partition),
    Parameters: {
      StateMachineArn: `${o.stateMachineArnPrefix}${String(node.params.workflow_id)}:${LIVE_ALIAS}`,
      'Name.$': at('name'),
      'Input.$': at('input'),
    },
    // The child's output is in the store (record_subworkflow reads it), never carried in this state.
    ResultPath: null,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.child_error', Next: failedName }],
    Next: recordName,
  };
  if (wait && node.timeout_seconds !== undefined) start.TimeoutSeconds = toWholeSeconds(node.timeout_seconds);
  put(ctx, scope, startName, start);
  return runnerTask(ctx, scope, node, { action: 'prepare_subworkflow', ...answer(scope, { name: '$.Payload.name', input: '$.Payload.input' }, 'child') }, startName);
}

/**
 * ml_training on AWS: prepare (runner: the attempt begins, params checked) → `sagemaker:createTrainingJob.sync`
 * with the algorithm's built-in image → record (runner: the model's artifact recorded for GET /api/v1/models).
 * Params are literal on AWS (compile.ts refuses templates), so the request is fixed text here.
 */
function emitTraining(ctx: MachineCtx, scope: Scope, node: IrNode, target: TrainingTarget, cont: string | undefined): string {
  const o = ctx.options;
  const p = node.params as { model_name: string; dataset_url: string; algorithm?: string; hyperparameters?: Record<string, unknown> };
  const algorithm = isMlAlgorithm(p.algorithm) ? p.algorithm : DEFAULT_ML_ALGORITHM;
  const root = scope.kind === 'root';
  const jobName = `${node.id} (training)`;
  const recordName = `${node.id} (record)`;
  const failedName = `${node.id} (training failed)`;
  const restore = root ? '$.scope' : undefined;
  runnerTask(ctx, scope, node, { action: 'record_job', name: recordName, payload: { 'training.$': '$.training' }, ...(restore ? { outputPath: restore } : {}) }, cont);
  runnerTask(ctx, scope, node, { action: 'record_job', name: failedName, retry: false, payload: { 'training_error.$': '$.training_error' }, ...(restore ? { outputPath: restore } : {}) }, cont);
  const job: AslTaskState = {
    Type: 'Task',
    Resource: sageMakerTrainingSync(o.partition),
    Parameters: {
      // 63 characters at most: a prefix and a UUID (39).
      'TrainingJobName.$': "States.Format('sw-{}', States.UUID())",
      AlgorithmSpecification: { TrainingImage: trainingImage(algorithm, target.region) ?? '', TrainingInputMode: 'File' },
      RoleArn: target.roleArn,
      HyperParameters: sageMakerHyperparameters(algorithm, p.hyperparameters),
      InputDataConfig: [
        { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: p.dataset_url, S3DataDistributionType: 'FullyReplicated' } } },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${target.bucket}/${MODEL_PREFIX}${o.accountId}/${p.model_name}/` },
      ResourceConfig: { InstanceType: TRAINING_INSTANCE_TYPE, InstanceCount: 1, VolumeSizeInGB: TRAINING_VOLUME_GB },
      StoppingCondition: { MaxRuntimeInSeconds: node.timeout_seconds !== undefined ? toWholeSeconds(node.timeout_seconds) : TRAINING_MAX_RUNTIME_SECONDS },
    },
    ResultPath: '$.training',
    Retry: retriers(node.retry, { ...o, lambdaServiceRetry: false }).slice(1),
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.training_error', Next: failedName }],
    Next: recordName,
  };
  if (job.Retry?.length === 0) delete job.Retry;
  put(ctx, scope, jobName, job);
  return runnerTask(ctx, scope, node, { action: 'prepare_job', ...answer(scope, { environment: '$.Payload.environment', timeout_seconds: '$.Payload.timeout_seconds' }, 'job') }, jobName);
}

/** Root scope answers ride next to a copy of the input; iteration answers are parked in the envelope. */
function answer(scope: Scope, fields: Record<string, string>, park: string): Pick<RunnerTaskSpec, 'resultSelector' | 'resultPath'> {
  const selector: PayloadTemplate = {};
  for (const [k, path] of Object.entries(fields)) selector[`${k}.$`] = path;
  if (scope.kind === 'root') {
    selector['scope.$'] = '$$.Execution.Input';
    return { resultSelector: selector, resultPath: '$' };
  }
  return { resultSelector: selector, resultPath: `$.${park}` };
}

function isoTimestamp(value: string): string {
  return new Date(value).toISOString().replace('.000Z', 'Z');
}

function emitWait(ctx: MachineCtx, scope: Scope, node: IrNode, cont: string | undefined): string {
  const p = node.params as { seconds?: number | string; duration?: number | string; until?: string };
  const templated = [p.seconds, p.duration, p.until].some((v) => typeof v === 'string' && wholeTemplate(v) !== undefined);
  if (!templated) {
    const base = p.until !== undefined ? { Timestamp: isoTimestamp(p.until) } : { Seconds: toWholeSeconds(typeof p.seconds === 'number' ? p.seconds : (parseDuration(p.duration) ?? 0), 0) };
    put(ctx, scope, node.id, { Type: 'Wait', ...base, ...transition(cont) });
    return node.id;
  }
  const field = p.until !== undefined ? 'timestamp' : 'seconds';
  const waitName = `${node.id} (wait)`;
  const at = scope.kind === 'root' ? `$.${field}` : `$.wait.${field}`;
  const wait: AslState = { Type: 'Wait', ...(field === 'timestamp' ? { TimestampPath: at } : { SecondsPath: at }), ...transition(cont) };
  if (scope.kind === 'root' && cont !== undefined) wait.OutputPath = '$.scope';
  put(ctx, scope, waitName, wait);
  return runnerTask(ctx, scope, node, { action: 'resolve_wait', ...answer(scope, { [field]: `$.Payload.${field}` }, 'wait') }, waitName);
}

function emitNode(ctx: MachineCtx, scope: Scope, node: IrNode, cont: string | undefined): string {
  switch (node.type) {
    case 'wait':
      return emitWait(ctx, scope, node, cont);
    case 'pass': {
      if (ctx.referenced.has(node.id) || findTemplates(node.params.result).length > 0) return runnerTask(ctx, scope, node, { action: 'execute' }, cont);
      put(ctx, scope, node.id, { Type: 'Pass', ResultPath: null, ...transition(cont) });
      return node.id;
    }
    case 'fail': {
      if (findTemplates(node.params).length > 0) return runnerTask(ctx, scope, node, { action: 'fail', retry: false }, cont);
      const error = String(node.params.error ?? 'WorkflowFailed');
      const cause = typeof node.params.cause === 'string' ? node.params.cause : '';
      put(ctx, scope, node.id, { Type: 'Fail', Error: error, Cause: JSON.stringify({ failed_node: node.id, node_type: 'fail', error, cause }) });
      return node.id;
    }
    case 'approval':
      return emitApproval(ctx, scope, node, cont);
    case 'subworkflow':
      return emitSubworkflow(ctx, scope, node, cont);
    case 'ml_training':
      if (ctx.options.training !== undefined) return emitTraining(ctx, scope, node, ctx.options.training, cont);
      return runnerTask(ctx, scope, node, { action: 'execute' }, cont);
    case 'generic':
    case 'ci':
      if (ctx.options.jobsProject !== undefined) return emitJob(ctx, scope, node, ctx.options.jobsProject, cont);
      return runnerTask(ctx, scope, node, { action: 'execute' }, cont);
    default:
      return runnerTask(ctx, scope, node, { action: 'execute' }, cont);
  }
}

/**
 * An approval: a callback Task whose token the runner stores and a decision completes (docs/api.md#approvals).
 * The param `timeout` is the state's TimeoutSeconds (a node-level timeout wins); a rejection and the timeout
 * are final (never retried by the node's policy), and the timeout fails the node as Stepwise.ApprovalTimeout.
 */
function emitApproval(ctx: MachineCtx, scope: Scope, node: IrNode, cont: string | undefined): string {
  const t = parseDuration((node.params as { timeout?: unknown }).timeout);
  const name = runnerTask(ctx, scope, node, { action: 'execute', callback: true, ...(t !== undefined && node.timeout_seconds === undefined ? { timeoutSeconds: t } : {}) }, cont);
  const state = scope.states[name] as AslTaskState;
  state.Retry = [{ ErrorEquals: [RUNNER_ERRORS.approvalRejected, 'States.Timeout'], MaxAttempts: 0 }, ...(state.Retry ?? [])];
  const timedOut = `${node.id} (timed out)`;
  const seconds = state.TimeoutSeconds;
  const record: PayloadTemplate = {
    failed_node: node.id,
    node_type: node.type,
    error: RUNNER_ERRORS.approvalTimeout,
    cause: `${RUNNER_ERRORS.approvalTimeout}: no decision within ${seconds ?? 'the'} seconds`,
  };
  if (scope.kind === 'iteration' && scope.mapNode) {
    record.map_node = scope.mapNode;
    record['map_key.$'] = '$.key';
  }
  put(ctx, scope, timedOut, { Type: 'Pass', Parameters: record, Next: failEntry(ctx, scope) });
  const timeoutCatch: AslCatcher = scope.kind === 'root' ? { ErrorEquals: ['States.Timeout'], Next: timedOut } : { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: timedOut };
  state.Catch = [timeoutCatch, ...(state.Catch ?? [])];
  return name;
}

/** Gate and release calls: only the runner's own faults are retried (they are idempotent), never a node's policy. */
function gateRetriers(options: EmitOptions): AslRetrier[] {
  return [
    { ErrorEquals: [RUNNER_ERRORS.nonRetryable, RUNNER_ERRORS.cancelled], MaxAttempts: 0 },
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: options.jitter },
  ];
}

/** `"<id> (gate)"` / `"<id> (release)"`: the gated layout's runner calls for unit `step` (README.md, "Gated layout"). */
function gateTask(ctx: MachineCtx, scope: Scope, step: GatedPlanStep, action: GateAction, cont: string | undefined): string {
  const o = ctx.options;
  const node = unitNode(step.plan);
  const payload: PayloadTemplate = { node_id: step.id, action, account_id: o.accountId, workflow_id: o.workflowId, 'execution_id.$': '$$.Execution.Id' };
  if (scope.kind === 'iteration' && scope.mapNode) payload['map_key.$'] = '$.key';
  if (action === 'gate') {
    payload.after = step.after;
    payload['task_token.$'] = '$$.Task.Token';
  } else {
    payload.gates = step.releases.map((r) => ({ node_id: r.id, after: r.after }));
  }
  const name = `${step.id} (${action})`;
  const state: AslTaskState = {
    Type: 'Task',
    Resource: action === 'gate' ? invokeCallback(o.partition) : invoke(o.partition),
    Parameters: { FunctionName: o.taskRunnerArn, Payload: payload },
    ResultPath: null,
    Retry: gateRetriers(o),
    Catch: catcher(ctx, scope, node),
    ...transition(cont),
  };
  put(ctx, scope, name, state);
  ctx.taskStates[name] = { node_id: step.id, node_type: node.type, action, callback: action === 'gate' };
  return name;
}

function unitNode(plan: Plan): IrNode {
  if (plan.kind === 'node' || plan.kind === 'parallel-node' || plan.kind === 'map-node' || plan.kind === 'choice') return plan.node;
  throw new Error(`a gated block holds units, not ${plan.kind} blocks`);
}

/** One branch per chain: [gate] → unit → [release], chained in order. */
function emitGated(ctx: MachineCtx, scope: Scope, plan: Extract<Plan, { kind: 'gated' }>, cont: string | undefined): string {
  ctx.counters.parallel++;
  const name = ctx.parallelNames?.get(plan) ?? `Parallel ${ctx.counters.parallel}`;
  const branches = plan.chains.map((chain) => {
    const inner = newScope(ctx, scope.kind, scope.mapNode);
    let next: string | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const step = chain[i] as GatedPlanStep;
      if (step.releases.length > 0) next = gateTask(ctx, inner, step, 'release', next);
      next = emit(ctx, inner, step.plan, next);
      if (step.after.length > 0) next = gateTask(ctx, inner, step, 'gate', next);
    }
    return { StartAt: next as string, States: readingOrder(inner.states, next as string) };
  });
  put(ctx, scope, name, { Type: 'Parallel', Branches: branches, ResultPath: null, ...transition(cont) });
  return name;
}

function newScope(ctx: MachineCtx, kind: Scope['kind'], mapNode?: string): Scope {
  ctx.counters.scope++;
  return { kind, states: {}, id: ctx.counters.scope, ...(mapNode !== undefined ? { mapNode } : {}) };
}

function branch(ctx: MachineCtx, plan: Plan, kind: Scope['kind'], mapNode?: string): AslBranch {
  const scope = newScope(ctx, kind, mapNode);
  const start = emit(ctx, scope, plan, undefined);
  return { StartAt: start, States: readingOrder(scope.states, start) };
}

/**
 * Emission runs back to front; list states in the order a reader follows them instead: depth-first from
 * StartAt along Next/Choices/Default, with Catch targets (the failure path) after everything else.
 */
function readingOrder(states: Record<string, AslState>, start: string): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  const later: string[] = [];
  const visit = (name: string) => {
    const state = states[name];
    if (!state || name in out) return;
    out[name] = state;
    if ('Catch' in state) for (const c of state.Catch ?? []) later.push(c.Next);
    const next: string[] = [];
    if (state.Type === 'Choice') next.push(...state.Choices.map((c) => c.Next), ...(state.Default ? [state.Default] : []));
    else if ('Next' in state && state.Next) next.push(state.Next);
    for (const n of next) visit(n);
  };
  visit(start);
  for (let i = 0; i < later.length; i++) visit(later[i] as string);
  for (const name of Object.keys(states)) visit(name);
  return out;
}

function doneState(ctx: MachineCtx, scope: Scope): string {
  if (!scope.doneState) {
    scope.doneState = `Done ${scope.id}`;
    put(ctx, scope, scope.doneState, { Type: 'Succeed', OutputPath: null });
  }
  return scope.doneState;
}

function emitChoice(ctx: MachineCtx, scope: Scope, plan: Extract<Plan, { kind: 'choice' }>, cont: string | undefined): string {
  const node = plan.node;
  const entries: string[] = [];
  for (let z = plan.zones.length - 1; z >= 0; z--) {
    const zone = plan.zones[z] as { plan: Plan; next?: number };
    entries[z] = emit(ctx, scope, zone.plan, zone.next !== undefined ? entries[zone.next] : cont);
  }
  const end = () => cont ?? doneState(ctx, scope);
  const variable = scope.kind === 'root' ? '$.next' : '$.choice.next';
  const choices = plan.routes.map((r) => ({ Variable: variable, StringEquals: r.target, Next: r.zone !== undefined ? (entries[r.zone] as string) : end() }));
  const route: AslChoiceState = { Type: 'Choice', Choices: choices, Default: end() };
  if (scope.kind === 'root') route.OutputPath = '$.scope';
  const routeName = `${node.id} (route)`;
  put(ctx, scope, routeName, route);
  return runnerTask(ctx, scope, node, { action: 'choose', ...answer(scope, { next: '$.Payload.next' }, 'choice') }, routeName);
}

/** `$.orders` / `{{input.orders}}` / `{{item.lines}}` read straight from the state; anything else asks the runner. */
function directItemsPath(items: unknown, scope: Scope): string | undefined {
  if (typeof items !== 'string') return undefined;
  const ref = wholeTemplate(items);
  const toPath = (segments: string[]) => segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
  const base = scope.kind === 'root' ? '$' : '$.input';
  if (ref?.kind === 'input') return base + toPath(ref.path);
  if (ref?.kind === 'item' && scope.kind === 'iteration') return `$.item${toPath(ref.path)}`;
  if (ref === undefined && items.startsWith('$')) return base + items.slice(1);
  return undefined;
}

function emitMap(ctx: MachineCtx, scope: Scope, plan: Extract<Plan, { kind: 'map-node' }>, cont: string | undefined): string {
  const node = plan.node;
  const direct = directItemsPath(node.params.items, scope);
  const processor = branch(ctx, plan.iterator, 'iteration', node.id);
  const key = scope.kind === 'root' ? "States.Format('{}', $$.Map.Item.Index)" : "States.Format('{}.{}', $.key, $$.Map.Item.Index)";
  const selector = (inputPath: string): PayloadTemplate => ({
    'input.$': inputPath,
    'item.$': '$$.Map.Item.Value',
    'index.$': '$$.Map.Item.Index',
    'key.$': key,
  });
  const map = (itemsPath: string, inputPath: string): AslMapState => ({
    Type: 'Map',
    ItemsPath: itemsPath,
    ItemSelector: selector(inputPath),
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...processor },
    MaxConcurrency: plan.concurrency,
  });
  if (direct !== undefined) {
    const state = map(direct, scope.kind === 'root' ? '$' : '$.input');
    state.ResultPath = null;
    put(ctx, scope, node.id, Object.assign(state, transition(cont)));
    return node.id;
  }
  const mapName = `${node.id} (map)`;
  let state: AslMapState;
  if (scope.kind === 'root') {
    state = map('$.items', '$.scope');
    state.ResultPath = null;
    if (cont !== undefined) state.OutputPath = '$.scope';
  } else {
    state = map('$.map_items.items', '$.input');
    // The iteration results would otherwise sit in the envelope; keep only their count.
    state.ResultSelector = { 'count.$': 'States.ArrayLength($)' };
    state.ResultPath = '$.map_items';
  }
  put(ctx, scope, mapName, Object.assign(state, transition(cont)));
  return runnerTask(ctx, scope, node, { action: 'resolve_items', ...answer(scope, { items: '$.Payload.items' }, 'map_items') }, mapName);
}

export function emit(ctx: MachineCtx, scope: Scope, plan: Plan, cont: string | undefined): string {
  switch (plan.kind) {
    case 'seq': {
      let next = cont;
      for (let i = plan.items.length - 1; i >= 0; i--) next = emit(ctx, scope, plan.items[i] as Plan, next);
      return next as string;
    }
    case 'par': {
      ctx.counters.parallel++;
      const name = ctx.parallelNames?.get(plan) ?? `Parallel ${ctx.counters.parallel}`;
      const branches = plan.items.map((item) => branch(ctx, item, scope.kind, scope.mapNode));
      put(ctx, scope, name, { Type: 'Parallel', Branches: branches, ResultPath: null, ...transition(cont) });
      return name;
    }
    case 'parallel-node': {
      const branches = plan.branches.map((b) => branch(ctx, b, scope.kind, scope.mapNode));
      put(ctx, scope, plan.node.id, { Type: 'Parallel', Branches: branches, ResultPath: null, ...transition(cont) });
      return plan.node.id;
    }
    case 'map-node':
      return emitMap(ctx, scope, plan, cont);
    case 'choice':
      return emitChoice(ctx, scope, plan, cont);
    case 'node':
      return emitNode(ctx, scope, plan.node, cont);
    case 'gated':
      return emitGated(ctx, scope, plan, cont);
  }
}

function numberParallels(plan: Plan, names: Map<Plan, string>) {
  switch (plan.kind) {
    case 'par':
      names.set(plan, `Parallel ${names.size + 1}`);
      plan.items.forEach((p) => numberParallels(p, names));
      return;
    case 'seq':
      plan.items.forEach((p) => numberParallels(p, names));
      return;
    case 'parallel-node':
      plan.branches.forEach((p) => numberParallels(p, names));
      return;
    case 'map-node':
      numberParallels(plan.iterator, names);
      return;
    case 'choice':
      plan.zones.forEach((z) => numberParallels(z.plan, names));
      return;
    case 'gated':
      names.set(plan, `Parallel ${names.size + 1}`);
      plan.chains.forEach((chain) => chain.forEach((s) => numberParallels(s.plan, names)));
      return;
    case 'node':
      return;
  }
}

export function emitRoot(ctx: MachineCtx, plan: Plan): AslBranch {
  ctx.parallelNames = new Map();
  numberParallels(plan, ctx.parallelNames);
  return branch(ctx, plan, 'root');
}
