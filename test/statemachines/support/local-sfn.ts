/**
 * Runs compiled machines in aws-local-stepfunctions with fake task-runner handlers bound by state name,
 * recording every call with its timing.
 */
import { installPromiseWithResolvers } from '../../../functions/adapters/local/promise-with-resolvers.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import type { CompiledStateMachine } from '../../../statemachines/compile/compile.ts';
import type { LambdaInvokeParameters, TaskRunnerRequest, TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';

installPromiseWithResolvers();

type Execution = ReturnType<StateMachine['run']>;
export type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer T> ? T : never;

export interface CallRecord {
  state: string;
  request: TaskRunnerRequest;
  start: number;
  end: number;
  ok: boolean;
}

export type Handler = (request: TaskRunnerRequest, attempt: number) => Promise<Partial<TaskRunnerResponse> | void> | Partial<TaskRunnerResponse> | void;

export interface LocalRunOptions {
  input?: unknown;
  handler?: Handler;
  /** Milliseconds per Wait state name (the engine otherwise really waits). */
  waitOverrides?: Record<string, number>;
  /** Milliseconds per retry, per state name (number or one value per retrier). */
  retryOverrides?: Record<string, number | number[]>;
  /** Abort the run after this many ms (safety net for tests). */
  timeoutMs?: number;
}

export interface LocalRunResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  output?: unknown;
  error?: string;
  cause?: string;
  calls: CallRecord[];
  events: EventLog[];
  durationMs: number;
}

export const LOCAL_CONTEXT = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:stepwise-test:run-1', Name: 'run-1' },
  State: { RetryCount: 0 },
  Task: { Token: 'local-task-token' },
};

export const errorNamed = (name: string, message = name) => Object.assign(new Error(message), { name });

export async function runLocal(compiled: CompiledStateMachine, options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const calls: CallRecord[] = [];
  const attempts = new Map<string, number>();
  const handler: Handler = options.handler ?? (() => undefined);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const stateName of Object.keys(compiled.task_states)) {
    handlers[stateName] = async (input: unknown) => {
      const request = (input as LambdaInvokeParameters).Payload;
      const key = `${stateName}#${request.map?.key ?? ''}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const record: CallRecord = { state: stateName, request, start: performance.now(), end: 0, ok: false };
      calls.push(record);
      try {
        const response = await handler(request, attempt);
        record.ok = true;
        return { StatusCode: 200, Payload: { node_id: request.node_id, status: 'completed', ...response } };
      } finally {
        record.end = performance.now();
      }
    };
  }
  // compile() in the fixtures already ran asl-validator; the engine's own pass would just repeat it (~100 ms).
  const machine = new StateMachine(compiled.definition as never, { validationOptions: { noValidate: true } });
  const started = performance.now();
  const execution = machine.run((options.input ?? {}) as never, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      ...(options.waitOverrides ? { waitTimeOverrides: options.waitOverrides } : {}),
      ...(options.retryOverrides ? { retryIntervalOverrides: options.retryOverrides } : {}),
    },
    context: LOCAL_CONTEXT,
  } as never);
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  const guard = setTimeout(() => execution.abort(), options.timeoutMs ?? 30_000);
  try {
    const output = await execution.result;
    return { status: 'SUCCEEDED', output, calls, events, durationMs: performance.now() - started };
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
    if (e.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: e.name, calls, events, durationMs: performance.now() - started };
    const inner = e.cause ?? e;
    return { status: 'FAILED', error: inner.name ?? 'Error', cause: inner.message ?? '', calls, events, durationMs: performance.now() - started };
  } finally {
    clearTimeout(guard);
    await Promise.race([collecting, new Promise((r) => setTimeout(r, 50))]);
  }
}

/** States entered over the whole run, nested branches and iterations included. */
export const transitions = (events: EventLog[]) => events.filter((e) => e.type === 'StateEntered').length;
