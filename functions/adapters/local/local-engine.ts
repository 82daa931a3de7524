/**
 * Local mode's Step Functions: runs the generated ASL in aws-local-stepfunctions, binds every runner Task
 * (`arn:aws:states:::lambda:invoke[.waitForTaskToken]`, nested branches and iterations included) to
 * `runTask`, and reports "Step Functions Execution Status Change" events shaped exactly like the EventBridge
 * events AWS sends, so the execution-events code path is the same in both modes.
 *
 * Where the library differs from Step Functions, the engine compensates:
 * - It only resolves `$$.Execution.Id`, `$$.State.RetryCount` and `$$.Task.Token` from a caller-supplied
 *   context (it fills `$$.Execution.Input`/`StartTime` itself, per nested run, which is what makes
 *   `$$.Execution.Input` the branch input inside Parallel/Map). RetryCount stays 0 (static); the token is a
 *   getter, so every evaluation (= every attempt of a callback Task) gets a fresh one, as on AWS.
 * - Aborting a run settles its result at once but does not stop in-flight handlers, re-runs a Task whose
 *   retry backoff was sleeping (its sleep resolves on abort), and lets Map iterations still queued behind
 *   MaxConcurrency start (a failed Map only aborts the iterations already running). So every call gets an
 *   AbortSignal, and once a run is stopped, finished, or has entered a Fail state that nothing can catch,
 *   its handlers refuse to call `runTask` at all. Seeing that Fail is why Fail states run as local Tasks.
 * - A Task without TimeoutSeconds times out after 60 s (AWS: 99999999 s), and timers beyond 2^31-1 ms fire
 *   after 1 ms in Node; such timeouts are raised/clamped to that limit (≈ 24.8 days). Wait states become
 *   local Tasks that sleep in chunks below that limit, so a wait of any length (a templated `until` in
 *   2099) really waits, and that record their deadline in the engine journal, so a wait resumes with its
 *   remaining time after a restart of the local server.
 * - Every intrinsic function result has all its backslashes stripped (`result.replaceAll("\\", "")`), so
 *   `States.JsonToString` yields invalid JSON whenever a string inside holds a quote, backslash or newline —
 *   which breaks the compiled failure record. Pass states using it become local Tasks that stringify in JS.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorLogger } from '../../core/logger.ts';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { readJsonPath } from '../../core/runner/resolve-templates.ts';
import { createJsonLogger } from '../logging/json-logger.ts';
import { MAX_MAP_ITEMS_PER_RUN, RUNNER_ERRORS, mapItemLimitMessage } from '../../../statemachines/task-runner-contract.ts';
import { installPromiseWithResolvers } from './promise-with-resolvers.ts';

installPromiseWithResolvers();

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The EventBridge event Step Functions sends on every execution status change. */
export interface ExecutionStatusChange {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: ExecutionStatus;
    startDate: number;
    stopDate: number | null;
    input: string;
    output: string | null;
    inputDetails: { included: boolean };
    outputDetails: { included: boolean } | null;
    error: string | null;
    cause: string | null;
    redriveCount: number;
    redriveDate: number | null;
    redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  };
}

export interface LocalRun {
  /** `arn:aws:states:local:000000000000:execution:<machine-name>:<name>`; region and account are read from it. */
  executionArn: string;
  stateMachineArn: string;
  /** The execution name. */
  name: string;
  /** ASL JSON text, as compiled (not validated again). */
  definition: string;
  input: unknown;
}

/** A run as the journal gives it back after a restart; `outcome` undefined: it was still running. */
export interface RecoveredRun {
  run: LocalRun;
  startDate: number;
  redriveCount: number;
  redriveDate: number | null;
  outcome: Outcome | undefined;
  /** Deadlines (epoch ms) of the waits the run had entered, by wait key. */
  waits: Record<string, number>;
}

/** Where the engine keeps what must survive a restart (engine-journal.ts keeps it in the data dir). */
export interface EngineJournal {
  started(run: LocalRun, startDate: number): void;
  attempt(executionArn: string, redriveCount: number, redriveDate: number | null): void;
  waitUntil(executionArn: string, key: string, deadline: number): void;
  ended(executionArn: string, outcome: Outcome): void;
  forget(executionArn: string): void;
  load(): RecoveredRun[];
}

/** What to do with a run that was running when the server stopped (decided from the store, see RunRecovery). */
export type RecoveryDecision = { action: 'resume' } | { action: 'fail'; error: string; cause: string } | { action: 'finished' };

export interface LocalEngineOptions {
  /**
   * Called for every runner Task state with the evaluated `Parameters.Payload`; returns the runner response
   * (wrapped as `{ExecutedVersion, Payload, StatusCode: 200}`). A thrown error's `name` becomes the Step
   * Functions error name (Retry/Catch match on it) and, as with a Lambda function error, the cause is the
   * JSON `{errorType, errorMessage, trace}`. The signal aborts when the execution is stopped, times out or
   * ends, or when the state's own TimeoutSeconds elapses.
   */
  runTask(payload: unknown, signal: AbortSignal): Promise<unknown>;
  /** Receives every status change, in order per execution; awaited; errors are logged, never fatal. */
  onStatusChange(event: ExecutionStatusChange): Promise<void>;
  /** Scales Retry intervals and Wait states (tests: e.g. 0.01); 1 (default) = real time. Timeouts are never scaled. */
  timeScale?: number;
  clock?: () => Date;
  logger?: ErrorLogger;
  /** Keeps runs, attempts and wait deadlines across restarts; without one, nothing outlives the process. */
  journal?: EngineJournal;
}

/** What the executions API needs from the engine, in this thread (LocalEngine) or across one (LocalEngineWorker). */
export interface EngineControl {
  start(run: LocalRun): void | Promise<void>;
  stop(executionArn: string, details?: { error?: string; cause?: string }): boolean | Promise<boolean>;
  redrive(executionArn: string): boolean | Promise<boolean>;
  isRunning(executionArn: string): boolean | Promise<boolean>;
}

/** The error a run ends with when the engine itself, not the workflow, broke. */
export const ENGINE_ERROR = 'Stepwise.EngineError';

const INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** Resource of the Tasks that replace Pass states using States.JsonToString (never leaves the engine). */
const JSON_TO_STRING_RESOURCE = 'stepwise:local:json-to-string';
/** Resource of the Tasks that replace Fail states. */
const FAIL_RESOURCE = 'stepwise:local:fail';
/** Resource of the Tasks put in front of every Map state to count its items against the run's limit. */
const MAP_GUARD_RESOURCE = 'stepwise:local:map-items';
/** Resource of the Tasks that replace Wait states. */
const WAIT_RESOURCE = 'stepwise:local:wait';
/** A wait Task ends a slice of its wait with this (well before its own Task timeout) and is retried to wait on. */
const WAIT_CONTINUES = 'Stepwise.WaitContinues';
const WAIT_SLICE_MS = 20 * 24 * 60 * 60 * 1000;
const JSON_TO_STRING = /^States\.JsonToString\((\$[^()]*)\)$/;
/** setTimeout's ceiling (2^31-1 ms); Node turns longer delays into 1 ms. */
const MAX_TIMER_SECONDS = 2_147_483;

type Overrides = NonNullable<RunOptions['overrides']>;
type Handler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];
type AslObject = Record<string, unknown>;

export interface Outcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output: string | null;
  error: string | null;
  cause: string | null;
  stopDate: number;
}

/** One run of the machine: the first start or a redrive. */
interface Attempt {
  redriveCount: number;
  redriveDate: number | null;
  /** Aborts the library run and every runTask signal. */
  controller: AbortController;
  /** Set the moment the outcome is decided (synchronously by stop()), so isRunning/stop/redrive agree. */
  outcome: Outcome | undefined;
  /** A Fail state no Retry/Catch can intercept has run: the execution fails, whatever is still queued. */
  failing: boolean;
  /** Map iterations this attempt has let start (MAX_MAP_ITEMS_PER_RUN). */
  mapItems: number;
  inFlight: Set<Promise<unknown>>;
  done: Promise<void>;
}

interface ExecutionRecord {
  run: LocalRun;
  startDate: number;
  current: Attempt;
  /** Deadline (epoch ms) of every wait entered, by wait key; kept across attempts (a redrive does not wait again). */
  waits: Map<string, number>;
}

interface WaitSpec {
  Seconds?: unknown;
  Timestamp?: unknown;
  SecondsPath?: unknown;
  TimestampPath?: unknown;
}

/** Resolves at `until` (epoch ms) or when the signal aborts, in timer chunks Node can hold (< 2^31 ms). */
function sleepUntil(until: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const arm = () => {
      const left = until - Date.now();
      if (left <= 0 || signal.aborted) return done();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_SECONDS * 1000));
    };
    signal.addEventListener('abort', done, { once: true });
    arm();
  });
}

const isObject = (value: unknown): value is AslObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const toJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/** Calls every state of the machine, nested Parallel branches and Map processors included, with its enclosing Parallel/Map states. */
function eachState(states: unknown, visit: (name: string, state: AslObject, containers: AslObject[]) => void, containers: AslObject[] = []): void {
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const inner = [...containers, state];
    if (Array.isArray(state.Branches)) for (const branch of state.Branches) if (isObject(branch)) eachState(branch.States, visit, inner);
    for (const processor of [state.ItemProcessor, state.Iterator]) if (isObject(processor)) eachState(processor.States, visit, inner);
    visit(name, state, containers);
  }
}

/** How many items a Map state will iterate over for this input (InputPath, then ItemsPath); undefined if it is not an array. */
function mapItemsOf(state: AslObject, input: unknown): number | undefined {
  const at = (path: unknown, value: unknown) => (path === undefined ? value : typeof path === 'string' ? readJsonPath(value, path)?.value : path === null ? {} : undefined);
  const items = at(state.ItemsPath, at(state.InputPath, input));
  return Array.isArray(items) ? items.length : undefined;
}

const handles = (state: AslObject) => (Array.isArray(state.Retry) && state.Retry.length > 0) || (Array.isArray(state.Catch) && state.Catch.length > 0);

/**
 * Replaces each `"k.$": "States.JsonToString(<path>)"` in a payload template with `"k.$": "<path>"`, returning
 * the key paths whose values must then be stringified; undefined when there are none.
 */
function splitJsonToString(template: AslObject, at: string[] = []): { template: AslObject; paths: string[][] } | undefined {
  const paths: string[][] = [];
  const out: AslObject = {};
  for (const [key, value] of Object.entries(template)) {
    const match = key.endsWith('.$') && typeof value === 'string' ? JSON_TO_STRING.exec(value.trim()) : null;
    if (match?.[1] !== undefined) {
      out[key] = match[1];
      paths.push([...at, key.slice(0, -2)]);
    } else if (isObject(value)) {
      const nested = splitJsonToString(value, [...at, key]);
      out[key] = nested?.template ?? value;
      if (nested) paths.push(...nested.paths);
    } else out[key] = value;
  }
  return paths.length ? { template: out, paths } : undefined;
}

function stringifyAt(value: unknown, paths: string[][]): unknown {
  const out = toJson(value);
  for (const path of paths) {
    let parent: unknown = out;
    for (const key of path.slice(0, -1)) parent = isObject(parent) ? parent[key] : undefined;
    const last = path.at(-1);
    if (isObject(parent) && last !== undefined) parent[last] = JSON.stringify(parent[last] ?? null);
  }
  return out;
}

/** Marks errors the machine itself raised (runner failures and the library's States.* errors) apart from crashes. */
class TaskError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(name: string, message: string, handled = true) {
    super(message);
    this.name = name;
    this.isRetryable = handled;
    this.isCatchable = handled;
  }
}

/** Step Functions reports a Lambda function error with the function's error payload as the cause. */
function lambdaError(error: unknown): TaskError {
  const e = error instanceof Error ? error : new Error(String(error));
  const trace = typeof e.stack === 'string' ? e.stack.split('\n') : [];
  return new TaskError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message, trace }));
}

export class LocalEngine implements EngineControl {
  private readonly options: LocalEngineOptions;
  private readonly scale: number;
  private readonly clock: () => Date;
  private readonly logger: NonNullable<LocalEngineOptions['logger']>;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly active = new Set<Promise<void>>();

  constructor(options: LocalEngineOptions) {
    const scale = options.timeScale ?? 1;
    if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`timeScale must be a positive number, got ${scale}`);
    this.options = options;
    this.scale = scale;
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? createJsonLogger();
  }

  /** Emits RUNNING (awaited before the first state), then runs in the background to one final status. */
  start(run: LocalRun): void {
    if (this.executions.has(run.executionArn)) {
      throw Object.assign(new Error(`Execution already exists: ${run.executionArn}`), { name: 'ExecutionAlreadyExists' });
    }
    const record = { run, startDate: this.clock().getTime(), waits: new Map() } as ExecutionRecord;
    this.options.journal?.started(run, record.startDate);
    this.executions.set(run.executionArn, record);
    this.launch(record, 0, null, Promise.resolve());
  }

  /**
   * After a restart: takes back every run the journal kept. Finished ones (failed, timed out, stopped)
   * can be redriven again; for each one that was running, `decide` (which reads the store) says whether
   * to resume it (a replay from the start: completed nodes answer from the store, waits keep their
   * deadlines), to fail it, or that it already ended. Resolves once every decision has been applied.
   */
  async recover(decide: (run: LocalRun) => Promise<RecoveryDecision>): Promise<void> {
    const journal = this.options.journal;
    if (!journal) return;
    const recovered = journal.load().filter((r) => !this.executions.has(r.run.executionArn));
    const pending: RecoveredRun[] = [];
    for (const r of recovered) {
      const record = { run: r.run, startDate: r.startDate, waits: new Map(Object.entries(r.waits)) } as ExecutionRecord;
      // Until decided, a run that was running counts as running (isRunning, stop), as it does in the store.
      record.current = this.finishedAttempt(r.redriveCount, r.redriveDate, r.outcome);
      this.executions.set(r.run.executionArn, record);
      if (!r.outcome) pending.push(r);
    }
    for (const r of pending) {
      const record = this.executions.get(r.run.executionArn) as ExecutionRecord;
      let decision: RecoveryDecision | undefined;
      if (!record.current.outcome) {
        try {
          decision = await decide(r.run);
        } catch (error) {
          this.logger.error('local engine: could not recover a run', { executionArn: r.run.executionArn, error: String(error) });
          decision = { action: 'fail', error: ENGINE_ERROR, cause: `the run could not be resumed after a restart: ${String(error)}` };
        }
      }
      const attempt = record.current;
      if (attempt.outcome || decision?.action === 'fail') {
        // Stopped while it was being decided, or failed by the decision: reported like any other end.
        attempt.outcome ??= { status: 'FAILED', output: null, error: decision?.action === 'fail' ? decision.error : null, cause: decision?.action === 'fail' ? decision.cause : null, stopDate: this.clock().getTime() };
        journal.ended(r.run.executionArn, attempt.outcome);
        await this.emit(record, attempt, attempt.outcome.status, attempt.outcome);
      } else if (decision?.action === 'resume') {
        this.launch(record, r.redriveCount, r.redriveDate, Promise.resolve());
      } else {
        // The store saw it end; the engine only missed writing that down.
        journal.forget(r.run.executionArn);
        this.executions.delete(r.run.executionArn);
      }
    }
  }

  /** Stops a running execution: no further state starts, in-flight runTask signals abort, ABORTED is emitted once. */
  stop(executionArn: string, details: { error?: string; cause?: string } = {}): boolean {
    const attempt = this.executions.get(executionArn)?.current;
    if (!attempt || attempt.outcome) return false;
    attempt.outcome = { status: 'ABORTED', output: null, error: details.error ?? null, cause: details.cause ?? null, stopDate: this.clock().getTime() };
    attempt.controller.abort();
    return true;
  }

  /**
   * Runs a FAILED/TIMED_OUT/ABORTED execution again from the start with the same input and ARN. The runner
   * skips nodes it already completed, so this equals Step Functions' redrive from the failed state.
   */
  redrive(executionArn: string): boolean {
    const record = this.executions.get(executionArn);
    const previous = record?.current;
    if (!record || !previous?.outcome || previous.outcome.status === 'SUCCEEDED') return false;
    // The new attempt starts after the previous one has reported and its stragglers settled.
    this.launch(record, previous.redriveCount + 1, this.clock().getTime(), previous.done);
    return true;
  }

  isRunning(executionArn: string): boolean {
    const attempt = this.executions.get(executionArn)?.current;
    return attempt !== undefined && attempt.outcome === undefined;
  }

  /** Resolves when every run has reported its final status and its runTask calls have settled. */
  async drain(options: { abortAll?: boolean } = {}): Promise<void> {
    if (options.abortAll) for (const executionArn of this.executions.keys()) this.stop(executionArn);
    while (this.active.size > 0) await Promise.all(this.active);
  }

  private finishedAttempt(redriveCount: number, redriveDate: number | null, outcome: Outcome | undefined): Attempt {
    return { redriveCount, redriveDate, controller: new AbortController(), outcome, failing: false, mapItems: 0, inFlight: new Set(), done: Promise.resolve() };
  }

  private launch(record: ExecutionRecord, redriveCount: number, redriveDate: number | null, after: Promise<void>): void {
    const attempt = this.finishedAttempt(redriveCount, redriveDate, undefined);
    record.current = attempt;
    this.options.journal?.attempt(record.run.executionArn, redriveCount, redriveDate);
    const done = after
      .then(() => this.runAttempt(record, attempt))
      .catch((error: unknown) => this.logger.error('local engine: run crashed', { executionArn: record.run.executionArn, error: String(error) }))
      .finally(() => this.active.delete(done));
    attempt.done = done;
    this.active.add(done);
  }

  private async runAttempt(record: ExecutionRecord, attempt: Attempt): Promise<void> {
    await this.emit(record, attempt, 'RUNNING', undefined);
    const result = attempt.controller.signal.aborted ? undefined : await this.execute(record, attempt);
    // stop() may have decided first; its ABORTED stands even if the machine finished meanwhile.
    attempt.outcome ??= result;
    const outcome = attempt.outcome ?? { status: 'ABORTED', output: null, error: null, cause: null, stopDate: this.clock().getTime() };
    // Ends the library's nested runs and tells stragglers the execution is over.
    attempt.controller.abort();
    await this.emit(record, attempt, outcome.status, outcome);
    await Promise.allSettled(attempt.inFlight);
    if (record.current !== attempt) return;
    // Succeeded executions cannot be redriven; nothing needs them any more.
    if (outcome.status === 'SUCCEEDED') {
      this.executions.delete(record.run.executionArn);
      this.options.journal?.forget(record.run.executionArn);
    } else this.options.journal?.ended(record.run.executionArn, outcome);
  }

  private async execute(record: ExecutionRecord, attempt: Attempt): Promise<Outcome> {
    const { run } = record;
    try {
      const definition: unknown = JSON.parse(run.definition);
      if (!isObject(definition) || !isObject(definition.States)) throw new Error('definition is not a state machine');
      const overrides = this.prepare(definition, record, attempt);
      const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
      const execution = machine.run(toJson(run.input ?? {}) as never, { overrides, context: this.context(record, attempt) as RunOptions['context'] });
      attempt.controller.signal.addEventListener('abort', () => execution.abort(), { once: true });
      // Unread events pile up in the library's queue for the whole run (each holds a copy of the state).
      void (async () => {
        for await (const event of execution.eventLogs) void event;
      })().catch(() => undefined);
      try {
        const output = await execution.result;
        return this.outcome('SUCCEEDED', JSON.stringify(output ?? null), null, null);
      } catch (error) {
        if (error instanceof ExecutionAbortedError) return this.outcome('ABORTED', null, null, null);
        if (error instanceof ExecutionTimeoutError) return this.outcome('TIMED_OUT', null, null, null);
        const inner: unknown = error instanceof ExecutionError ? error.cause : error;
        // TaskError and the library's RuntimeErrors (FailStateError, States.*) are workflow outcomes;
        // anything else (a TypeError inside the interpreter) is the engine breaking.
        if (inner instanceof Error && 'isRetryable' in inner) return this.outcome('FAILED', null, inner.name, inner.message);
        throw inner;
      }
    } catch (error) {
      this.logger.error('local engine: execution crashed', { executionArn: run.executionArn, error: String(error) });
      return this.outcome('FAILED', null, ENGINE_ERROR, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }

  private outcome(status: Outcome['status'], output: string | null, error: string | null, cause: string | null): Outcome {
    return { status, output, error, cause, stopDate: this.clock().getTime() };
  }

  /**
   * Binds the runner Tasks, fixes the library's timer defaults in place (the definition is a fresh parse),
   * and builds the time-scale overrides.
   */
  private prepare(definition: AslObject, record: ExecutionRecord, attempt: Attempt): Overrides {
    const handlers: Record<string, Handler> = {};
    const retries: Record<string, number[]> = {};
    const scaled = this.scale !== 1;
    if (typeof definition.TimeoutSeconds === 'number') definition.TimeoutSeconds = Math.min(definition.TimeoutSeconds, MAX_TIMER_SECONDS);
    eachState(definition.States, (name, state, containers) => {
      if (state.Type === 'Fail') {
        this.failAsTask(state, handlers, name, attempt, !containers.some(handles));
        return;
      }
      const split = state.Type === 'Pass' && state.Result === undefined && isObject(state.Parameters) ? splitJsonToString(state.Parameters) : undefined;
      if (split) {
        // Same I/O processing as the Pass (InputPath, Parameters, ResultPath, OutputPath), with the
        // stringification done here instead of by the library's intrinsic.
        Object.assign(state, { Type: 'Task', Resource: JSON_TO_STRING_RESOURCE, Parameters: split.template, TimeoutSeconds: MAX_TIMER_SECONDS });
        handlers[name] = async (input) => stringifyAt(input, split.paths) as never;
        return;
      }
      if (state.Type === 'Task') {
        const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS) : undefined;
        if (timeoutSeconds !== undefined) state.TimeoutSeconds = timeoutSeconds;
        else if (state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_TIMER_SECONDS;
        handlers[name] =
          typeof state.Resource === 'string' && state.Resource.startsWith(INVOKE_RESOURCE)
            ? this.handler(attempt, timeoutSeconds)
            : () => Promise.reject(new TaskError(ENGINE_ERROR, `local mode cannot run Task resource ${String(state.Resource)}`));
      }
      if (state.Type === 'Wait') this.waitAsTask(state, handlers, name, record, attempt, containers.some((c) => c.Type === 'Map'));
      // The library takes one fixed interval per retrier, so backoff cannot be scaled attempt by attempt:
      // every retry waits the retrier's first interval (capped by MaxDelaySeconds) × scale, without jitter.
      if (scaled && Array.isArray(state.Retry)) {
        retries[name] = state.Retry.map((retrier: unknown) => {
          const r = isObject(retrier) ? retrier : {};
          const interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1;
          const max = typeof r.MaxDelaySeconds === 'number' ? r.MaxDelaySeconds : Infinity;
          return Math.min(interval, max) * 1000 * this.scale;
        });
      }
    });
    this.guardMaps(definition, handlers, attempt);
    return {
      taskResourceLocalHandlers: handlers,
      ...(Object.keys(retries).length ? { retryIntervalOverrides: retries } : {}),
    };
  }

  /**
   * Turns a Fail state into a Task whose handler throws what the library's Fail would (same name and
   * message, so Retry/Catch and the final error/cause are unchanged) after noting a fatal failure.
   */
  private failAsTask(state: AslObject, handlers: Record<string, Handler>, name: string, attempt: Attempt, fatal: boolean): void {
    const parameters: AslObject = {};
    for (const field of ['Error', 'Cause'] as const) {
      if (typeof state[`${field}Path`] === 'string') parameters[`${field}.$`] = state[`${field}Path`];
      else if (typeof state[field] === 'string') parameters[field] = state[field];
    }
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(state, { Type: 'Task', Resource: FAIL_RESOURCE, Parameters: parameters, TimeoutSeconds: MAX_TIMER_SECONDS, End: true });
    handlers[name] = async (input) => {
      const { Error: error = 'FailStateError', Cause: cause = 'Execution failed because of a Fail state' } = isObject(input) ? input : {};
      if (typeof error !== 'string' || typeof cause !== 'string') throw new TaskError('States.Runtime', `Fail state ${name}: ErrorPath/CausePath must select strings`, false);
      if (fatal) attempt.failing = true;
      throw new TaskError(error, cause);
    };
  }

  /**
   * Puts a local Task in front of every Map state (in `machine` and every branch and processor below it)
   * that counts the map's items against the run's limit before a single iteration starts, and fails the
   * run naming the map node once the run would exceed MAX_MAP_ITEMS_PER_RUN (docs/api.md, "Limits"). The
   * library would otherwise queue every item at once, whatever their number. The guard passes its input
   * through unchanged, so the Map sees exactly what it would have.
   */
  private guardMaps(machine: AslObject, handlers: Record<string, Handler>, attempt: Attempt): void {
    const states = machine.States;
    if (!isObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      if (Array.isArray(state.Branches)) for (const branch of state.Branches) if (isObject(branch)) this.guardMaps(branch, handlers, attempt);
      for (const processor of [state.ItemProcessor, state.Iterator]) if (isObject(processor)) this.guardMaps(processor, handlers, attempt);
      if (state.Type !== 'Map') continue;
      let guard = `${name} (items guard)`;
      while (guard in states || guard in handlers) guard += '*';
      const retarget = (target: unknown) => (target === name ? guard : target);
      if (machine.StartAt === name) machine.StartAt = guard;
      for (const other of Object.values(states)) {
        if (!isObject(other)) continue;
        if ('Next' in other) other.Next = retarget(other.Next);
        if ('Default' in other) other.Default = retarget(other.Default);
        for (const rule of [...(Array.isArray(other.Choices) ? other.Choices : []), ...(Array.isArray(other.Catch) ? other.Catch : [])]) {
          if (isObject(rule) && 'Next' in rule) rule.Next = retarget(rule.Next);
        }
      }
      states[guard] = { Type: 'Task', Resource: MAP_GUARD_RESOURCE, TimeoutSeconds: MAX_TIMER_SECONDS, Next: name };
      const node = name.replace(/ \(map\)$/, '');
      handlers[guard] = async (input) => {
        const items = mapItemsOf(state, input);
        if (items === undefined) return input as never;
        attempt.mapItems += items;
        if (attempt.mapItems > MAX_MAP_ITEMS_PER_RUN) {
          attempt.failing = true;
          const cause = JSON.stringify({ failed_node: node, node_type: 'map', error: RUNNER_ERRORS.nonRetryable, cause: mapItemLimitMessage(items, attempt.mapItems) });
          throw new TaskError(RUNNER_ERRORS.nonRetryable, cause, false);
        }
        return input as never;
      };
    }
  }

  /**
   * Turns a Wait state into a local Task that sleeps until the wait's deadline: computed once, on first
   * entry (time-scaled), kept per wait and map iteration in the record and the journal, so a resumed or
   * redriven run waits only what is left. It sleeps in timer chunks Node can hold, and hands back to its
   * own Retry every WAIT_SLICE_MS, below the Task timeout the library enforces. The output is the input,
   * after the Wait's own InputPath and OutputPath, as a Wait's is.
   */
  private waitAsTask(state: AslObject, handlers: Record<string, Handler>, name: string, record: ExecutionRecord, attempt: Attempt, inMap: boolean): void {
    const spec: WaitSpec = { Seconds: state.Seconds, Timestamp: state.Timestamp, SecondsPath: state.SecondsPath, TimestampPath: state.TimestampPath };
    for (const key of Object.keys(spec)) delete state[key];
    Object.assign(state, {
      Type: 'Task',
      Resource: WAIT_RESOURCE,
      TimeoutSeconds: MAX_TIMER_SECONDS,
      Retry: [{ ErrorEquals: [WAIT_CONTINUES], IntervalSeconds: 1, MaxAttempts: 99_999_999, BackoffRate: 1 }],
    });
    handlers[name] = async (input) => {
      const { signal } = attempt.controller;
      if (signal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
      // Inside a map iteration `$` is the envelope, whose key names the iteration ("3", "3.0").
      const key = inMap && isObject(input) && typeof input.key === 'string' ? `${name}#${input.key}` : name;
      let deadline = record.waits.get(key);
      if (deadline === undefined) {
        deadline = this.waitDeadline(spec, input, name);
        record.waits.set(key, deadline);
        this.options.journal?.waitUntil(record.run.executionArn, key, deadline);
      }
      await sleepUntil(Math.min(deadline, Date.now() + WAIT_SLICE_MS), signal);
      if (signal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
      if (Date.now() < deadline) throw new TaskError(WAIT_CONTINUES, 'the wait goes on');
      return input as never;
    };
  }

  /** When a wait entered now ends (epoch ms), with the engine's time scale; the library's own checks for bad values. */
  private waitDeadline(spec: WaitSpec, input: unknown, name: string): number {
    const now = Date.now();
    const read = (path: unknown) => (typeof path === 'string' ? readJsonPath(input, path)?.value : undefined);
    let ms: number;
    if (spec.Seconds !== undefined || spec.SecondsPath !== undefined) {
      const seconds = spec.Seconds ?? read(spec.SecondsPath);
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw new TaskError('States.Runtime', `Wait ${name}: seconds must be a whole number >= 0`, false);
      ms = seconds * 1000;
    } else {
      const timestamp = spec.Timestamp ?? read(spec.TimestampPath);
      const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      if (Number.isNaN(at)) throw new TaskError('States.Runtime', `Wait ${name}: the timestamp must be an RFC 3339 date-time`, false);
      ms = Math.max(0, at - now);
    }
    return now + ms * this.scale;
  }

  private handler(attempt: Attempt, timeoutSeconds: number | undefined): Handler {
    return async (parameters) => {
      // The library keeps calling handlers after an abort or a fatal Fail (see the file comment); refuse
      // without retry or catch, so the stray state just ends its already-discarded nested run. While the
      // failure is still on its way up, wait for the run to end rather than race it with this error.
      const { signal: runSignal } = attempt.controller;
      if (attempt.failing && !runSignal.aborted) await new Promise((resolve) => runSignal.addEventListener('abort', resolve, { once: true }));
      if (runSignal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
      const payload = toJson(isObject(parameters) ? parameters.Payload : undefined);
      const signal =
        timeoutSeconds === undefined ? runSignal : AbortSignal.any([runSignal, AbortSignal.timeout(timeoutSeconds * 1000)]);
      const call = (async () => this.options.runTask(payload, signal))();
      attempt.inFlight.add(call);
      const untrack = () => attempt.inFlight.delete(call);
      call.then(untrack, untrack);
      let response: unknown;
      try {
        response = toJson(await call);
      } catch (error) {
        throw lambdaError(error);
      }
      return { ExecutedVersion: '$LATEST', Payload: response, StatusCode: 200 } as never;
    };
  }

  /** `$$` as Step Functions provides it; the library adds Execution.Input and StartTime per (nested) run. */
  private context(record: ExecutionRecord, attempt: Attempt): Record<string, unknown> {
    const { run } = record;
    return {
      Execution: {
        Id: run.executionArn,
        Name: run.name,
        RedriveCount: attempt.redriveCount,
        ...(attempt.redriveDate !== null ? { RedriveTime: new Date(attempt.redriveDate).toISOString() } : {}),
      },
      StateMachine: { Id: run.stateMachineArn, Name: run.stateMachineArn.slice(run.stateMachineArn.lastIndexOf(':') + 1) },
      State: { RetryCount: 0 },
      Task: {
        get Token() {
          return `local-${randomUUID()}`;
        },
      },
    };
  }

  private async emit(record: ExecutionRecord, attempt: Attempt, status: ExecutionStatus, outcome: Outcome | undefined): Promise<void> {
    const { run } = record;
    const [, , , region = 'local', account = '000000000000'] = run.executionArn.split(':');
    const now = this.clock();
    const event: ExecutionStatusChange = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account,
      // EventBridge times have whole seconds.
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [run.executionArn],
      detail: {
        executionArn: run.executionArn,
        stateMachineArn: run.stateMachineArn,
        name: run.name,
        status,
        startDate: record.startDate,
        stopDate: outcome?.stopDate ?? null,
        input: JSON.stringify(run.input ?? {}),
        output: outcome?.output ?? null,
        inputDetails: { included: true },
        outputDetails: typeof outcome?.output === 'string' ? { included: true } : null,
        error: outcome?.error ?? null,
        cause: outcome?.cause ?? null,
        redriveCount: attempt.redriveCount,
        redriveDate: attempt.redriveDate,
        redriveStatus: status === 'RUNNING' || status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
      },
    };
    try {
      await this.options.onStatusChange(event);
    } catch (error) {
      this.logger.error('local engine: status change handler failed', { executionArn: run.executionArn, status, error: String(error) });
    }
  }
}
