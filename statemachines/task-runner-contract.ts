/**
 * The contract between generated state machines and the task-runner Lambda (implemented by the executions
 * work; in local mode the same code is bound to the Task states by state name).
 *
 * Every runner call is a Task state with `Resource: arn:aws:states:::lambda:invoke` (or
 * `lambda:invoke.waitForTaskToken` for callback nodes) and
 * `Parameters: { FunctionName: <taskRunnerArn>, Payload: <TaskRunnerRequest as payload template> }`.
 * Step Functions wraps the function's return value as `{ Payload: <TaskRunnerResponse>, StatusCode, ... }`,
 * and the states select fields from `$.Payload`.
 *
 * Size rules (state payloads are capped at 256 KiB, statemachines/README.md#limits): the runner persists every node's full output
 * itself, keyed by (execution_id, node_id[, map.key]), and returns only small responses (keep them under
 * MAX_RUNNER_RESPONSE_BYTES). Only `next` (choice), `items` (map) and `seconds`/`timestamp` (wait) are ever
 * copied into the state; everything else is discarded with `ResultPath: null`.
 *
 * Templates (`{{input.x}}`, `{{steps.<id>.output.y}}`, `{{secrets.KEY}}`, `{{item.x}}`, `{{index}}`) arrive
 * unresolved in `params`; the runner resolves them at run time so secret values never enter history.
 */
import type { NodeType } from './node-types.ts';

/** What the call is for; derived from the node type and how the compiler lowered it. */
export type TaskRunnerAction =
  /** Run the node (http.request, webhook, transform, lambda, subworkflow, approval, etl, ml_training, ci, generic, pass with a read result). */
  | 'execute'
  /** choice: evaluate params.choices[].when in order over {input, steps}; answer the first `next`, else params.default, else null. */
  | 'choose'
  /** map: resolve params.items (a template or a literal array) to the array to iterate. */
  | 'resolve_items'
  /** wait: resolve a templated seconds/duration (→ seconds) or until (→ timestamp). */
  | 'resolve_wait'
  /** fail with templated error/cause: resolve them and throw (error name = resolved params.error). */
  | 'fail'
  /**
   * generic/ci on AWS (statemachines/jobs.ts): record the attempt, resolve templates and answer the
   * CodeBuild environment overrides; the following `startBuild.sync` state runs the job.
   */
  | 'prepare_job'
  /** generic/ci on AWS: record the finished build (`build`) or its failure (`build_error`) as the node's outcome. */
  | 'record_job'
  /**
   * subworkflow (statemachines/README.md, "Subworkflows"): record the attempt, resolve the child's input and
   * write the child's execution record; answer its name and input for the `states:startExecution` state.
   */
  | 'prepare_subworkflow'
  /** subworkflow: record the child's outcome (`child`, with `child.error` when the start state failed) as the node's. */
  | 'record_subworkflow';

/** Present on calls made inside a map iteration (innermost map). */
export interface MapContext {
  /** The map node that owns the iteration. */
  node_id: string;
  /** The current item, as selected from the items array. */
  item: unknown;
  /** Index within the innermost map. */
  index: number;
  /** Dotted indices from the outermost map in: "3" or, in a nested map, "3.0". Part of the output key. */
  key: string;
}

export interface TaskRunnerRequest {
  node_id: string;
  node_type: NodeType;
  action: TaskRunnerAction;
  /** The node's params as validated (defaults applied), templates unresolved; structural fields removed. */
  params: Record<string, unknown>;
  account_id: string;
  workflow_id: string;
  /** `$$.Execution.Id` (the execution ARN on AWS). */
  execution_id: string;
  /** The execution input. */
  input: unknown;
  /**
   * `$$.State.RetryCount`: retries of this state so far. aws-local-stepfunctions only provides it when the run
   * passes a context object, and then statically, so the runner must count attempts itself in local mode.
   */
  retry_count: number;
  map?: MapContext;
  /** The node's predecessors, for types that read the previous step's output (CloudFlow's `data`: transform with script, send_email). */
  previous?: string[];
  /** `$$.Task.Token` for callback nodes (approval; subworkflow with wait=true). */
  task_token?: string;
  /** record_subworkflow: the child execution's name, and the `{Error, Cause}` its start state failed with. */
  child?: { name: string; error?: { Error?: string; Cause?: string } };
  /** record_job: the `Build` object startBuild.sync returned. */
  build?: Record<string, unknown>;
  /** record_job: the `{Error, Cause}` the startBuild.sync state failed with (after its retries). */
  build_error?: { Error?: string; Cause?: string };
  /** record_job of ml_training on AWS: the TrainingJob createTrainingJob.sync returned (DescribeTrainingJob's shape). */
  training?: Record<string, unknown>;
  /** record_job of ml_training: the `{Error, Cause}` the training state failed with. */
  training_error?: { Error?: string; Cause?: string };
}

/**
 * The gated layout's own calls (statemachines/README.md, "Gated layout"): they order nodes, they are no
 * node's work, so the runner never records them as task attempts.
 * - `gate` (`lambda:invoke.waitForTaskToken`): the unit `node_id` may start once every node in `after`
 *   has ended; record the task token and send task success as soon as that holds (at once if it does).
 * - `release` (`lambda:invoke`): `node_id` has ended; record it for every gate in `gates` and send task
 *   success to each gate whose `after` has all ended and whose token is known.
 * Exactly one of the two calls that complete a gate sees both the token and the last dependency, because
 * both update the same record atomically; a duplicate success (a retried release) is ignored.
 */
export type GateAction = 'gate' | 'release';

interface GateCallBase {
  node_id: string;
  account_id: string;
  workflow_id: string;
  execution_id: string;
  /** Inside map iterations: the iteration key (`MapContext.key`), so each iteration has its own gates. */
  map_key?: string;
}

export interface GateRequest extends GateCallBase {
  action: 'gate';
  after: string[];
  task_token: string;
}

export interface ReleaseRequest extends GateCallBase {
  action: 'release';
  gates: Array<{ node_id: string; after: string[] }>;
}

export interface GateResponse {
  node_id: string;
  /** Gates this call opened. */
  opened: number;
}

export function isGateCall(request: { action?: unknown }): request is GateRequest | ReleaseRequest {
  return request.action === 'gate' || request.action === 'release';
}

export interface ExecuteResponse {
  node_id: string;
  /** `waiting`: a callback node (approval) is waiting for its decision; its task token completes the state. */
  status: 'completed' | 'started' | 'waiting';
  /** Where the full output was stored (opaque to the state machine). */
  output_ref?: string;
  output_bytes?: number;
  /** A few small fields for logs and the console (e.g. HTTP status); never the full output. */
  summary?: Record<string, string | number | boolean | null>;
}

export interface ChooseResponse {
  node_id: string;
  /** The target node id; null when nothing matched and there is no default (the branches are skipped). */
  next: string | null;
}

export interface ResolveItemsResponse {
  node_id: string;
  /** The items; they travel through the state, so they must fit in 256 KiB together (store big items and return references). */
  items: unknown[];
}

export interface ResolveWaitResponse {
  node_id: string;
  /** For seconds/duration: whole seconds >= 0. */
  seconds?: number;
  /** For until: RFC 3339 UTC timestamp ("2030-01-01T00:00:00Z"). */
  timestamp?: string;
}

export interface PrepareJobResponse {
  node_id: string;
  /** CodeBuild `environmentVariablesOverride`: PLAINTEXT only (a secret never enters the state). */
  environment: { name: string; value: string; type: 'PLAINTEXT' }[];
  /** The job's timeout: the startBuild.sync state's TimeoutSecondsPath. */
  timeout_seconds: number;
}

export interface PrepareSubworkflowResponse {
  node_id: string;
  /** The child's execution name (its record exists, pending): `Name` of the start state. */
  name: string;
  /** The child's input, templates resolved (never a secret: refused at validation). */
  input: Record<string, unknown>;
}

export type TaskRunnerResponse = ExecuteResponse | ChooseResponse | ResolveItemsResponse | ResolveWaitResponse | PrepareJobResponse | PrepareSubworkflowResponse;

/** The Task state's effective input as Step Functions (and aws-local-stepfunctions) hands it over. */
export interface LambdaInvokeParameters {
  FunctionName: string;
  Payload: TaskRunnerRequest;
}

/** What `arn:aws:states:::lambda:invoke` returns; local handlers must return the same shape. */
export interface LambdaInvokeResult<R extends TaskRunnerResponse = TaskRunnerResponse> {
  Payload: R;
  StatusCode?: number;
  ExecutedVersion?: string;
}

/** The alias a workflow's published version runs on: API starts, and subworkflow start states (`<machine ARN>:live`). */
export const LIVE_ALIAS = 'live';

/** Error names the runner throws (the Lambda error type becomes the Step Functions error name). */
export const RUNNER_ERRORS = {
  /** Never retried: bad params after template resolution, blocked URL, missing secret, 4xx, ... */
  nonRetryable: 'Stepwise.NonRetryable',
  /** Retried by the node's policy: timeouts, 5xx, throttling, network errors. */
  retryable: 'Stepwise.Retryable',
  /** The execution was stopped while the node ran: final, never retried. */
  cancelled: 'Stepwise.Cancelled',
  /** An approval was rejected (SendTaskFailure): final, never retried. */
  approvalRejected: 'Stepwise.ApprovalRejected',
  /** No decision came within the approval's timeout (the state's States.Timeout, renamed): final. */
  approvalTimeout: 'Stepwise.ApprovalTimeout',
} as const;

/** Lambda service errors that are always worth retrying, independent of the node's policy. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export const MAX_RUNNER_RESPONSE_BYTES = 8_192;

/**
 * Map iterations a run may start, all its maps together (nested maps multiply); one map's resolved items
 * are capped by the same number (docs/api.md, "Limits"). Past it the map node fails (Stepwise.NonRetryable)
 * before any of its iterations start.
 */
export const MAX_MAP_ITEMS_PER_RUN = 10_000;

/** The message a map over the limit fails with, in the runner and in the local engine alike. */
export const mapItemLimitMessage = (items: number, total = items) =>
  `the map has ${items} items${total !== items ? ` (${total} map iterations in this run so far)` : ''}; a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations`;

/**
 * A failed execution ends in a Fail state whose Error is the original error name and whose Cause is this
 * object as JSON, so the executions service can tell which node failed without reading history.
 */
export interface NodeFailure {
  failed_node: string;
  node_type: string;
  error: string;
  cause: string;
  /** Set when the node failed inside a map iteration. */
  map_node?: string;
  map_key?: string;
}

export function parseFailureCause(cause: string | undefined | null): NodeFailure | undefined {
  if (typeof cause !== 'string' || !cause.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(cause) as Partial<NodeFailure>;
    if (typeof value.failed_node !== 'string' || typeof value.node_type !== 'string') return undefined;
    return {
      failed_node: value.failed_node,
      node_type: value.node_type,
      error: typeof value.error === 'string' ? value.error : '',
      cause: typeof value.cause === 'string' ? value.cause : '',
      ...(typeof value.map_node === 'string' ? { map_node: value.map_node } : {}),
      ...(typeof value.map_key === 'string' ? { map_key: value.map_key } : {}),
    };
  } catch {
    return undefined;
  }
}
