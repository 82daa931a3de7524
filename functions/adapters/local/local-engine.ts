/**
 * Local mode's Step Functions: runs the generated ASL in aws-local-stepfunctions, binds every runner Task
 * (`arn:aws:states:::lambda:invoke[.waitForTaskToken]`, nested branches and iterations included) to
 * `runTask`, and reports "Step Functions Execution Status Change" events shaped exactly like the EventBridge
 * events AWS sends, so the execution-events code path is the same in both modes.

 *
 * Where aws-local-stepfunctions differs from Step Functions, asl-compat.ts rewrites the definition
 * before each run; the status events are built by status-events.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorLogger } from '../../core/logger.ts';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { createJsonLogger } from '../logging/json-logger.ts';
import { adaptDefinition, ENGINE_ERROR, isObject, toJson } from './asl-compat.ts';
import { installPromiseWithResolvers } from './promise-with-resolvers.ts';
import { localTaskTokens, type LocalTaskTokens, type TokenOutcome } from './local-task-tokens.ts';
import { statusChangeEvent, type ExecutionStatus, type ExecutionStatusChange } from './status-events.ts';

export { ENGINE_ERROR };

installPromiseWithResolvers();

export type { ExecutionStatus, ExecutionStatusChange };

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
  /**
   * Where a gated layout's `gate` Task (action `gate`, statemachines/README.md) waits for its token after the
   * runner answered, as on AWS; the runner must send success to the same registry. Default: this thread's.
   */
  taskTokens?: LocalTaskTokens;
  /** Behind `states:startExecution[.sync:2]` Tasks (subworkflows): see AdaptContext.startExecution in asl-compat.ts. */
  startExecution?: (parameters: unknown, sync: boolean, signal: AbortSignal) => Promise<unknown>;
}

/** What the executions API needs from the engine, in this thread (LocalEngine) or across one (LocalEngineWorker). */
export interface EngineControl {
  start(run: LocalRun): void | Promise<void>;
  stop(executionArn: string, details?: { error?: string; cause?: string }): boolean | Promise<boolean>;
  redrive(executionArn: string): boolean | Promise<boolean>;
  isRunning(executionArn: string): boolean | Promise<boolean>;
  /** SendTaskSuccess/SendTaskFailure for a token one of its Tasks waits on; false when none does. */
  completeTask(token: string, outcome: TokenOutcome): boolean | Promise<boolean>;
}

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

  /**
   * How a run ended, once it has and its final status has been reported (so the store already says so);
   * undefined when the engine does not hold it (a succeeded run is forgotten once reported). Rejects when
   * `signal` aborts first. A redrive started meanwhile is waited for too.
   */
  async whenEnded(executionArn: string, signal: AbortSignal): Promise<Outcome | undefined> {
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('the wait was aborted'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    for (;;) {
      const record = this.executions.get(executionArn);
      if (!record) return undefined;
      const attempt = record.current;
      await Promise.race([attempt.done, aborted]);
      if (this.executions.get(executionArn)?.current === attempt || !this.executions.has(executionArn)) return attempt.outcome;
    }
  }

  completeTask(token: string, outcome: TokenOutcome): boolean {
    return (this.options.taskTokens ?? localTaskTokens).complete(token, outcome);
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
      const overrides = adaptDefinition(definition, {
        attempt,
        scale: this.scale,
        waits: record.waits,
        recordWait: (key, deadline) => this.options.journal?.waitUntil(record.run.executionArn, key, deadline),
        runTask: (payload, signal) => this.options.runTask(payload, signal),
        taskTokens: this.options.taskTokens ?? localTaskTokens,
        startExecution: this.options.startExecution,
      });
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
    const event = statusChangeEvent({ run: record.run, startDate: record.startDate, redriveCount: attempt.redriveCount, redriveDate: attempt.redriveDate, status, outcome, now: this.clock() });
    try {
      await this.options.onStatusChange(event);
    } catch (error) {
      this.logger.error('local engine: status change handler failed', { executionArn: record.run.executionArn, status, error: String(error) });
    }
  }
}
