/**
 * What aws-local-stepfunctions needs to run Stepwise's compiled ASL as Step Functions would
 * (local-engine.ts runs it; docs/architecture.md#one-run-from-post-workflowsidrun-to-the-webhook):
 * a definition in, the same definition rewritten where the library differs, and the local handlers
 * of its Tasks out. Nothing here starts or keeps a run; the handlers act on the attempt they are given.
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
 * - A node's `.waitForTaskToken` Task (an approval) is complete when its token is, not when the runner
 *   answers: its handler waits on the engine's token registry for as long as the state's TimeoutSeconds,
 *   whose deadline is kept in the engine journal like a Wait's, so after a restart the replayed Task waits
 *   only what is left (and for the new token the runner stores) and then fails with States.Timeout.
 * - Every intrinsic function result has all its backslashes stripped (`result.replaceAll("\\", "")`), so
 *   `States.JsonToString` yields invalid JSON whenever a string inside holds a quote, backslash or newline —
 *   which breaks the compiled failure record. Pass states using it become local Tasks that stringify in JS.
 */
import type { RunOptions } from 'aws-local-stepfunctions';
import { readJsonPath } from '../../core/runner/resolve-templates.ts';
import type { LocalTaskTokens, TokenOutcome } from './local-task-tokens.ts';
import { MAX_MAP_ITEMS_PER_RUN, RUNNER_ERRORS, mapItemLimitMessage } from '../../../statemachines/task-runner-contract.ts';

/** The error a run ends with when the engine itself, not the workflow, broke. */
export const ENGINE_ERROR = 'Stepwise.EngineError';

const INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** Subworkflow starts (statemachines/README.md, "Subworkflows"): `.sync:2` waits for the child, the plain one only starts it. */
const START_EXECUTION = /^arn:aws[a-z-]*:states:::states:startExecution(\.sync:2)?$/;
const CALLBACK_RESOURCE = `${INVOKE_RESOURCE}.waitForTaskToken`;
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

export type Overrides = NonNullable<RunOptions['overrides']>;
type Handler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];
export type AslObject = Record<string, unknown>;

/** What of a run's attempt the rewritten machine's handlers act on (local-engine.ts keeps the rest). */
export interface CompatAttempt {
  /** Aborts the library run and every runTask signal. */
  readonly controller: AbortController;
  /** A Fail state no Retry/Catch can intercept has run: the execution fails, whatever is still queued. */
  failing: boolean;
  /** Map iterations this attempt has let start (MAX_MAP_ITEMS_PER_RUN). */
  mapItems: number;
  readonly inFlight: Set<Promise<unknown>>;
}

export interface AdaptContext {
  readonly attempt: CompatAttempt;
  /** Scales Retry intervals and Wait states (1 = real time). */
  readonly scale: number;
  /** Deadline (epoch ms) of every wait entered, by wait key; kept across attempts (a redrive does not wait again). */
  readonly waits: Map<string, number>;
  /** Records a new wait deadline where a restart finds it (the engine journal). */
  recordWait(key: string, deadline: number): void;
  /** The runner behind every `lambda:invoke` Task. */
  runTask(payload: unknown, signal: AbortSignal): Promise<unknown>;
  /** Where a gated layout's `gate` Task waits for its token after the runner answered, as on AWS (statemachines/README.md). */
  readonly taskTokens: LocalTaskTokens;
  /**
   * Behind every `states:startExecution[.sync:2]` Task: starts the child named in the evaluated Parameters and,
   * with `sync`, resolves to what `.sync:2` answers (or throws a TaskError as it fails). Absent: such a Task fails.
   */
  readonly startExecution?: ((parameters: unknown, sync: boolean, signal: AbortSignal) => Promise<unknown>) | undefined;
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

export const isObject = (value: unknown): value is AslObject => typeof value === 'object' && value !== null && !Array.isArray(value);
export const toJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

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
export class TaskError extends Error {
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

/**
 * Binds the runner Tasks, fixes the library's timer defaults in place (the definition is a fresh parse),
 * and builds the time-scale overrides.
 */
export function adaptDefinition(definition: AslObject, ctx: AdaptContext): Overrides {
  const { attempt } = ctx;
  const handlers: Record<string, Handler> = {};
  const retries: Record<string, number[]> = {};
  const scaled = ctx.scale !== 1;
  if (typeof definition.TimeoutSeconds === 'number') definition.TimeoutSeconds = Math.min(definition.TimeoutSeconds, MAX_TIMER_SECONDS);
  eachState(definition.States, (name, state, containers) => {
    if (state.Type === 'Fail') {
      failAsTask(state, handlers, name, attempt, !containers.some(handles));
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
      const start = typeof state.Resource === 'string' ? START_EXECUTION.exec(state.Resource) : null;
      const invokes = typeof state.Resource === 'string' && state.Resource.startsWith(INVOKE_RESOURCE);
      if (invokes && state.Resource === CALLBACK_RESOURCE && isCallbackExecute(state)) {
        // The handler keeps this timeout itself, across restarts (see callbackHandler).
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
        handlers[name] = callbackHandler(name, timeoutSeconds, ctx, containers.some((c) => c.Type === 'Map'));
      } else {
        handlers[name] = invokes
          ? runnerHandler(attempt, timeoutSeconds, ctx.runTask, ctx.taskTokens)
          : start && ctx.startExecution
            ? childHandler(attempt, timeoutSeconds, ctx.startExecution, start[1] !== undefined)
            : () => Promise.reject(new TaskError(ENGINE_ERROR, `local mode cannot run Task resource ${String(state.Resource)}`));
      }
    }
    if (state.Type === 'Wait') waitAsTask(state, handlers, name, ctx, containers.some((c) => c.Type === 'Map'));
    // The library takes one fixed interval per retrier, so backoff cannot be scaled attempt by attempt:
    // every retry waits the retrier's first interval (capped by MaxDelaySeconds) × scale, without jitter.
    if (scaled && Array.isArray(state.Retry)) {
      retries[name] = state.Retry.map((retrier: unknown) => {
        const r = isObject(retrier) ? retrier : {};
        const interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1;
        const max = typeof r.MaxDelaySeconds === 'number' ? r.MaxDelaySeconds : Infinity;
        return Math.min(interval, max) * 1000 * ctx.scale;
      });
    }
  });
  guardMaps(definition, handlers, attempt);
  return {
    taskResourceLocalHandlers: handlers,
    ...(Object.keys(retries).length ? { retryIntervalOverrides: retries } : {}),
  };
}

/**
 * Turns a Fail state into a Task whose handler throws what the library's Fail would (same name and
 * message, so Retry/Catch and the final error/cause are unchanged) after noting a fatal failure.
 */
function failAsTask(state: AslObject, handlers: Record<string, Handler>, name: string, attempt: CompatAttempt, fatal: boolean): void {
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
function guardMaps(machine: AslObject, handlers: Record<string, Handler>, attempt: CompatAttempt): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    if (Array.isArray(state.Branches)) for (const branch of state.Branches) if (isObject(branch)) guardMaps(branch, handlers, attempt);
    for (const processor of [state.ItemProcessor, state.Iterator]) if (isObject(processor)) guardMaps(processor, handlers, attempt);
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
function waitAsTask(state: AslObject, handlers: Record<string, Handler>, name: string, ctx: AdaptContext, inMap: boolean): void {
  const { attempt } = ctx;
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
    let deadline = ctx.waits.get(key);
    if (deadline === undefined) {
      deadline = waitDeadline(spec, input, name, ctx.scale);
      ctx.waits.set(key, deadline);
      ctx.recordWait(key, deadline);
    }
    await sleepUntil(Math.min(deadline, Date.now() + WAIT_SLICE_MS), signal);
    if (signal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
    if (Date.now() < deadline) throw new TaskError(WAIT_CONTINUES, 'the wait goes on');
    return input as never;
  };
}

/** When a wait entered now ends (epoch ms), with the engine's time scale; the library's own checks for bad values. */
function waitDeadline(spec: WaitSpec, input: unknown, name: string, scale: number): number {
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
  return now + ms * scale;
}

/** A node's own callback Task (approval), as opposed to a gated layout's `gate` Task. */
function isCallbackExecute(state: AslObject): boolean {
  const payload = isObject(state.Parameters) ? state.Parameters.Payload : undefined;
  return isObject(payload) && payload.action === 'execute' && payload['task_token.$'] === '$$.Task.Token';
}

/**
 * A callback node's Task: registers the token, lets the runner record the wait (it answers `waiting`),
 * then waits for the token's outcome or the deadline. A runner answer that is not `waiting` (the node
 * had completed before a replay) ends the state at once, as the stored answer does on AWS.
 */
function callbackHandler(name: string, timeoutSeconds: number | undefined, ctx: AdaptContext, inMap: boolean): Handler {
  const { attempt } = ctx;
  return async (parameters) => {
    const { signal } = attempt.controller;
    if (signal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
    const payload = toJson(isObject(parameters) ? parameters.Payload : undefined);
    const token = isObject(payload) && typeof payload.task_token === 'string' ? payload.task_token : '';
    const mapKey = isObject(payload) && isObject(payload.map) && typeof payload.map.key === 'string' ? payload.map.key : undefined;
    const key = `${name}#callback${inMap && mapKey !== undefined ? `#${mapKey}` : ''}`;
    let deadline = ctx.waits.get(key);
    if (timeoutSeconds !== undefined && (deadline === undefined || deadline <= 0)) {
      deadline = Date.now() + timeoutSeconds * 1000;
      ctx.waits.set(key, deadline);
      ctx.recordWait(key, deadline);
    }
    // Ended one way or another: a later entry (a redrive) waits afresh.
    const forget = () => {
      if (!ctx.waits.has(key)) return;
      ctx.waits.delete(key);
      ctx.recordWait(key, 0);
    };
    const timer = new AbortController();
    const stop = AbortSignal.any([signal, timer.signal]);
    const wait = ctx.taskTokens.wait(token, stop);
    const call = (async () => {
      const answer = toJson(await ctx.runTask(payload, signal));
      if (!isObject(answer) || answer.status !== 'waiting') {
        wait.cancel();
        return answer;
      }
      if (deadline !== undefined && deadline > 0) {
        const left = deadline - Date.now();
        if (left <= 0) timer.abort();
        else sleepUntil(deadline, stop).then(() => timer.abort(), () => undefined);
      }
      let outcome: TokenOutcome;
      try {
        outcome = await wait.done;
      } catch (error) {
        if (timer.signal.aborted && !signal.aborted) throw new TaskError('States.Timeout', `Task timed out after ${timeoutSeconds} seconds`);
        throw error;
      } finally {
        timer.abort();
      }
      if (!outcome.ok) throw new TaskError(outcome.error, outcome.cause);
      return JSON.parse(outcome.output) as unknown;
    })();
    attempt.inFlight.add(call);
    const untrack = () => attempt.inFlight.delete(call);
    call.then(untrack, untrack);
    try {
      const output = await call;
      forget();
      return output as never;
    } catch (error) {
      // Stopped (or the server is going down): a replay after a restart keeps the deadline.
      if (signal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
      forget();
      throw error instanceof TaskError ? error : lambdaError(error);
    }
  };
}

function runnerHandler(attempt: CompatAttempt, timeoutSeconds: number | undefined, runTask: AdaptContext['runTask'], taskTokens: LocalTaskTokens): Handler {
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
    // A gate completes when the runner sends its token success, not when the call returns (as on AWS).
    const gate = isObject(payload) && payload.action === 'gate' && typeof payload.task_token === 'string' ? taskTokens.wait(payload.task_token, signal) : undefined;
    const call = (async () => {
      const answer = await runTask(payload, signal);
      if (gate) await gate.done;
      return answer;
    })();
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

/** A subworkflow's start Task: the same guards as a runner Task, then the engine's child start. */
function childHandler(attempt: CompatAttempt, timeoutSeconds: number | undefined, startExecution: NonNullable<AdaptContext['startExecution']>, sync: boolean): Handler {
  return async (parameters) => {
    const { signal: runSignal } = attempt.controller;
    if (attempt.failing && !runSignal.aborted) await new Promise((resolve) => runSignal.addEventListener('abort', resolve, { once: true }));
    if (runSignal.aborted) throw new TaskError(ENGINE_ERROR, 'execution is no longer running', false);
    const signal = timeoutSeconds === undefined ? runSignal : AbortSignal.any([runSignal, AbortSignal.timeout(timeoutSeconds * 1000)]);
    const call = startExecution(toJson(parameters), sync, signal);
    attempt.inFlight.add(call);
    const untrack = () => attempt.inFlight.delete(call);
    call.then(untrack, untrack);
    try {
      return toJson(await call) as never;
    } catch (error) {
      if (error instanceof TaskError) throw error;
      const e = error instanceof Error ? error : new Error(String(error));
      // The state's own timeout is the library's to report (States.Timeout), as for any Task.
      throw new TaskError(e.name === 'Error' ? 'States.TaskFailed' : e.name, e.message);
    }
  };
}
