import type { TaskRunnerRequest } from '../../../statemachines/task-runner-contract.ts';
import { cancelled, nonRetryable, RunnerFailure, toRunnerFailure } from './errors.ts';
import { createMasker, type Masker } from './masking.ts';
import { createTemplateResolver, type StepSnapshot } from './resolve-templates.ts';
import { WEBHOOK_SECRET_KEY } from './capabilities.ts';
import { NODE_EXECUTORS } from './nodes/index.ts';
import type { ActionResult, ExecutorContext, ExecutorDeps, Run } from './nodes/run.ts';

export type { StepSnapshot } from './resolve-templates.ts';
export type { ActionResult, ExecutorContext, ExecutorDeps, LogLevel, NodeExecutor } from './nodes/run.ts';
export { DEFAULT_EXPRESSION_TIMEOUT_MS } from './nodes/run.ts';
export { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES } from './nodes/http.ts';
export { webhookId } from './nodes/webhook.ts';
export { NODE_EXECUTORS } from './nodes/index.ts';

export interface ActionOutcome {
  /** Already masked. */
  result: ActionResult;
  /** Every secret value the node used; mask anything else derived from this run with createMasker(secretValues). */
  secretValues: Set<string>;
}

export { WEBHOOK_SECRET_KEY };

/**
 * Does the work of one runner call and answers what the state machine needs. Persisting outputs, statuses
 * and log lines is the caller's job; everything this returns or logs is already masked, and a failure is
 * always a masked RunnerFailure (its name is the Step Functions error name).
 */
export async function runAction(request: TaskRunnerRequest, ctx: ExecutorContext, deps: ExecutorDeps): Promise<ActionOutcome> {
  // One read per step for the whole call, shared by templates and JSONata preloads.
  const stepReads = new Map<string, Promise<StepSnapshot | undefined>>();
  const step = (nodeId: string) => {
    let read = stepReads.get(nodeId);
    if (!read) stepReads.set(nodeId, (read = ctx.step(nodeId)));
    return read;
  };
  const templates = createTemplateResolver({
    input: ctx.input,
    step,
    secret: (key) => ctx.secret(key),
    map: request.map ? { item: request.map.item, index: request.map.index } : undefined,
  });
  // Secrets are discovered as templates resolve, so the masker is rebuilt whenever the set grows.
  let masker: { size: number; mask: Masker } | undefined;
  const mask: Masker = (value) => {
    if (masker?.size !== templates.secretValues.size) masker = { size: templates.secretValues.size, mask: createMasker(templates.secretValues) };
    return masker.mask(value);
  };
  const run: Run = {
    request,
    ctx,
    deps,
    params: request.params ?? {},
    templates,
    step,
    log: (level, message, data) => ctx.log(level, mask(message) as string, data === undefined ? undefined : (mask(data) as Record<string, unknown>)),
  };

  try {
    if (ctx.signal.aborted) throw cancelled();
    const result = await dispatch(run);
    return { result: maskResult(result, mask), secretValues: templates.secretValues };
  } catch (error) {
    throw maskFailure(toRunnerFailure(error, ctx.signal), templates.secretValues.size > 0 ? mask : undefined);
  }
}

/** The node type's handler for the action (functions/core/runner/nodes/), or a named refusal. */
function dispatch(run: Run): Promise<ActionResult> {
  const { action, node_type: type } = run.request;
  const executor = Object.hasOwn(NODE_EXECUTORS, type) ? NODE_EXECUTORS[type] : undefined;
  if (!executor) throw nonRetryable(`unknown node type ${JSON.stringify(type)}`);
  const known = ['execute', 'choose', 'resolve_items', 'resolve_wait', 'fail', 'prepare_job', 'record_job', 'prepare_subworkflow', 'record_subworkflow'] as const;
  if (!(known as readonly string[]).includes(action)) throw nonRetryable(`unknown runner action ${JSON.stringify(action)}`);
  const handler = executor[action];
  if (!handler) throw nonRetryable(`node type ${type} has nothing to ${action === 'execute' ? 'execute' : 'do'} (action ${action})`);
  return handler(run);
}

function maskResult(result: ActionResult, mask: Masker): ActionResult {
  switch (result.action) {
    case 'execute':
      return {
        ...result,
        output: mask(result.output),
        ...(result.summary ? { summary: mask(result.summary) as Record<string, string | number | boolean | null> } : {}),
      };
    case 'resolve_items':
      return { ...result, items: mask(result.items) as unknown[] };
    default:
      // Node ids, seconds and timestamps: nothing a secret could hide in, and masking a node id would break routing.
      return result;
  }
}

function maskFailure(failure: RunnerFailure, mask: Masker | undefined): RunnerFailure {
  if (!mask) return failure;
  // The cause is dropped: it is an arbitrary object that could still hold a secret value.
  return new RunnerFailure(mask(failure.name) as string, mask(failure.message) as string, {
    retryable: failure.retryable,
    ...(failure.details ? { details: mask(failure.details) as Record<string, unknown> } : {}),
  });
}
