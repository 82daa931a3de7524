import type { Clock } from '../clock.ts';
import { coalesced } from '../coalesce.ts';
import { newSequentialId } from '../ids.ts';
import { parseExecutionName, runTaskId, type LogLevel, type LogLine, type RecordCounts } from '../executions/execution.ts';
import type { TaskRunnerRequest, TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import { MAX_RUNNER_RESPONSE_BYTES } from '../../../statemachines/task-runner-contract.ts';
import { inspectJson } from '../../../statemachines/json-limits.ts';
import { cancelled, nonRetryable, RUNNER_CANCELLED, toRunnerFailure, type RunnerFailure } from './errors.ts';
import { runAction, type ActionResult, type ExecutorDeps } from './executors.ts';
import type { NodeRef, RunJournal, StepState } from './journal.ts';
import { stepsReferenced } from './resolve-templates.ts';
import { createMasker } from './masking.ts';

/** Where `{{secrets.KEY}}` comes from: the execution's own account only. */
export interface SecretLookup {
  resolve(accountId: string, key: string): Promise<string | undefined>;
}

/** Outputs above this are stored cut (with a preview), so one run item never nears DynamoDB's 400 KB. */
export const MAX_STORED_RESULT_BYTES = 256 * 1024;
/** The task item also holds the node's params as written: output and params together stay below this. */
const MAX_TASK_ITEM_BYTES = 384 * 1024;
/** DynamoDB stores 32 levels of nesting; the output sits one level down in its item. */
const MAX_STORED_DEPTH = 31;
const PREVIEW_CHARS = 4_096;

/**
 * An attempt past the retry policy is not a retry: the engine ran the state again after an
 * attempt that never recorded its end (a restart replaying a waiting approval, docs/api.md#approvals).
 */
function startMessage(attempt: number, maxRetries: number): string {
  if (attempt === 1) return 'Task started';
  if (attempt <= maxRetries + 1) return `Task retrying (attempt ${attempt} of ${maxRetries + 1})`;
  return `Task started again (attempt ${attempt}): the previous attempt was interrupted`;
}

/**
 * The task-runner Lambda's logic (and, locally, the engine's Task handler): record the attempt,
 * run the node, record the outcome and the log lines, and answer the state machine. Full outputs
 * stay in the store; the machine only ever sees a small response (statemachines/task-runner-contract.ts).
 */
export class TaskRunner {
  /**
   * `{{steps.<id>…}}` reads: the branches of a fan-out start together and each reads the node before
   * them, so reads of one node that arrive together share one (docs/architecture.md#reads-that-arrive-together).
   */
  private readonly step: RunJournal['step'];

  constructor(
    private readonly journal: RunJournal,
    private readonly secrets: SecretLookup,
    private readonly deps: ExecutorDeps,
    private readonly clock: Clock,
  ) {
    this.step = coalesced((accountId, executionId, nodeId, mapKey) => journal.step(accountId, executionId, nodeId, mapKey), (...args) => JSON.stringify(args));
  }

  async run(request: TaskRunnerRequest, signal: AbortSignal = new AbortController().signal): Promise<TaskRunnerResponse> {
    const ref = refOf(request);
    // record_job and record_subworkflow close the attempt their prepare call began: not attempts of their own.
    const closing = request.action === 'record_job' || request.action === 'record_subworkflow';
    // The upstream outputs the params name are read while the attempt is recorded, not after it: the
    // node waits for one round trip before its work, not two (docs/architecture.md, "One run").
    const steps = closing ? new Map<string, Promise<StepState | undefined>>() : this.prefetch(request, ref);
    const begin = closing ? ({ state: 'run', attempt: 1, maxRetries: 0 } as const) : await this.journal.begin(ref, this.now());
    if (begin.state === 'done') return begin.response;
    if (begin.state === 'stopped') throw cancelled(`the execution is ${begin.status}`);
    return this.attempt(request, ref, begin, closing, signal, steps);
  }

  /** Starts the read of each node the params' `{{steps.<id>…}}` templates name. A read nobody awaits (the run had stopped) fails quietly. */
  private prefetch(request: TaskRunnerRequest, ref: NodeRef): Map<string, Promise<StepState | undefined>> {
    const reads = new Map<string, Promise<StepState | undefined>>();
    for (const nodeId of stepsReferenced(request.params)) {
      const read = this.step(ref.accountId, ref.executionId, nodeId, request.map?.key);
      read.catch(() => undefined);
      reads.set(nodeId, read);
    }
    return reads;
  }

  private async attempt(
    request: TaskRunnerRequest,
    ref: NodeRef,
    begin: { attempt: number; maxRetries: number },
    closing: boolean,
    signal: AbortSignal,
    steps: ReadonlyMap<string, Promise<StepState | undefined>>,
  ): Promise<TaskRunnerResponse> {
    const lines: LogLine[] = [];
    const used = new Set<string>();
    const log = (level: LogLevel, message: string, data?: Record<string, unknown>) => lines.push(this.line(request, level, message, data));
    const started = performance.now();
    if (!closing) log('info', startMessage(begin.attempt, begin.maxRetries), { action: request.action, attempt: begin.attempt });
    try {
      const { result } = await runAction(
        request,
        {
          accountId: request.account_id,
          input: request.input,
          attempt: begin.attempt,
          step: (nodeId) => steps.get(nodeId) ?? this.step(ref.accountId, ref.executionId, nodeId, request.map?.key),
          secret: async (key) => {
            const value = await this.secrets.resolve(request.account_id, key);
            if (value !== undefined) used.add(value);
            return value;
          },
          signal,
          log,
          now: () => this.clock.now(),
        },
        this.deps,
      );
      const mask = createMasker(used);
      if (result.action === 'await_callback') {
        // The node's task is already `waiting` (the approval store marked it); a decision completes it.
        await this.flush(ref, lines, mask);
        return { node_id: request.node_id, status: 'waiting' };
      }
      if (result.action === 'prepare_job') {
        // The job runs next, in CodeBuild; record_job completes the task when it has.
        await this.flush(ref, lines, mask);
        return { node_id: request.node_id, environment: result.environment, timeout_seconds: result.timeout_seconds };
      }
      if (result.action === 'prepare_subworkflow') {
        // The child starts next, from the state machine; record_subworkflow completes the task when it has.
        await this.flush(ref, lines, mask);
        return { node_id: request.node_id, name: result.name, input: result.input };
      }
      const output = result.action === 'execute' ? mask(result.output) : answerOf(result);
      const stored = fit(output, Math.min(MAX_STORED_RESULT_BYTES, MAX_TASK_ITEM_BYTES - Buffer.byteLength(JSON.stringify(request.params ?? {}))));
      const response = responseOf(request, result, stored.bytes, mask);
      log('info', 'Task completed', { duration_ms: Math.round(performance.now() - started), output_bytes: stored.bytes });
      // The outcome and the log lines are independent writes: one wait, not two.
      await Promise.all([this.journal.complete(ref, { result: stored.value, resultTruncated: stored.truncated, response, records: recordsOf(result), at: this.now() }), this.flush(ref, lines, mask)]);
      return response;
    } catch (error) {
      const failure = toRunnerFailure(error, signal);
      const mask = createMasker(used);
      const message = String(mask(failure.message));
      const status = failure.name === RUNNER_CANCELLED ? 'cancelled' : failure.retryable && begin.attempt <= begin.maxRetries ? 'retrying' : 'failed';
      log(status === 'retrying' ? 'warn' : 'error', status === 'retrying' ? `Task failed, will retry: ${message}` : `Task ${status}: ${message}`, {
        error: failure.name,
        attempt: begin.attempt,
        ...failure.details,
      });
      await Promise.all([this.journal.fail(ref, { error: message, status, at: this.now() }), this.flush(ref, lines, mask)]);
      throw maskedFailure(failure, message);
    }
  }

  private async flush(ref: NodeRef, lines: LogLine[], mask: (v: unknown) => unknown): Promise<void> {
    await this.journal.appendLogs(
      ref.accountId,
      lines.map((l) => ({ ...l, message: String(mask(l.message)), data: l.data ? (mask(l.data) as Record<string, unknown>) : null })),
    );
  }

  private line(request: TaskRunnerRequest, level: LogLevel, message: string, data?: Record<string, unknown>): LogLine {
    const now = this.clock.now();
    const executionId = refOf(request).executionId;
    return {
      id: newSequentialId('event', now.getTime()),
      executionId,
      timestamp: now.toISOString(),
      level,
      message,
      nodeId: request.node_id,
      nodeType: request.node_type,
      data: { ...(request.map ? { map_key: request.map.key } : {}), ...data },
    };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function refOf(request: TaskRunnerRequest): NodeRef {
  // On AWS `execution_id` is the execution ARN; its name carries our ids (see executionName).
  const parsed = parseExecutionName(request.execution_id);
  if (!parsed || parsed.accountId !== request.account_id) throw nonRetryable(`Unrecognised execution ${request.execution_id}`);
  return { accountId: parsed.accountId, executionId: parsed.executionId, nodeId: request.node_id, taskId: runTaskId(parsed.executionId, request.node_id), mapKey: request.map?.key };
}

function answerOf(result: Exclude<ActionResult, { action: 'execute' | 'prepare_job' | 'prepare_subworkflow' | 'await_callback' }>): unknown {
  if (result.action === 'choose') return { next: result.next };
  if (result.action === 'resolve_items') return { items: result.items };
  return { seconds: result.seconds, timestamp: result.timestamp };
}

function responseOf(request: TaskRunnerRequest, result: Exclude<ActionResult, { action: 'prepare_job' | 'prepare_subworkflow' | 'await_callback' }>, bytes: number, mask: (v: unknown) => unknown): TaskRunnerResponse {
  switch (result.action) {
    case 'choose':
      return { node_id: request.node_id, next: result.next };
    case 'resolve_items':
      return { node_id: request.node_id, items: result.items };
    case 'resolve_wait':
      return { node_id: request.node_id, ...(result.seconds !== undefined ? { seconds: result.seconds } : {}), ...(result.timestamp !== undefined ? { timestamp: result.timestamp } : {}) };
    default: {
      const summary = result.summary ? (mask(result.summary) as Record<string, string | number | boolean | null>) : undefined;
      const response = { node_id: request.node_id, status: 'completed' as const, output_bytes: bytes, ...(summary ? { summary } : {}) };
      // The summary is a courtesy; the state must stay small whatever a node reports.
      return JSON.stringify(response).length > MAX_RUNNER_RESPONSE_BYTES ? { node_id: request.node_id, status: 'completed', output_bytes: bytes } : response;
    }
  }
}

function recordsOf(result: ActionResult): RecordCounts | null {
  return result.action === 'execute' && result.records ? result.records : null;
}

/** The output as stored: whole, or cut to a preview when it is too big (or nested too deeply) for the item. */
function fit(value: unknown, maxBytes: number): { value: unknown; truncated: boolean; bytes: number } {
  const json = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes && !inspectJson(value, { maxDepth: MAX_STORED_DEPTH })) return { value: value ?? null, truncated: false, bytes };
  return { value: { truncated: true, bytes, preview: json.slice(0, PREVIEW_CHARS) }, truncated: true, bytes };
}

/** What leaves the runner (the Step Functions error and cause) carries no secret values. */
function maskedFailure(failure: RunnerFailure, message: string): Error {
  const error = new Error(message);
  error.name = failure.name;
  return error;
}
