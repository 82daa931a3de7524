/**
 * Runs compiled machines in aws-local-stepfunctions with fake task-runner handlers bound by state name,
 * recording every call with its timing.
 */
import { installPromiseWithResolvers } from '../../../functions/adapters/local/promise-with-resolvers.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import type { CompiledStateMachine } from '../../../statemachines/compile/compile.ts';
import type { GateRequest, LambdaInvokeParameters, ReleaseRequest, TaskRunnerRequest, TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import { DependencyGates, MemoryGateStore } from '../../../functions/core/runner/dependency-gates.ts';
import { LocalTaskTokens } from '../../../functions/adapters/local/local-task-tokens.ts';

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
  /** Node calls (gate and release calls are in `gateCalls`). */
  calls: CallRecord[];
  gateCalls: Array<{ state: string; request: GateRequest | ReleaseRequest; at: number }>;
  /** Gate tokens still waiting when the run ended (0 after a success). */
  pendingGates: number;
  events: EventLog[];
  durationMs: number;
}

export const LOCAL_CONTEXT = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:stepwise-test:run-1', Name: 'run-1' },
  State: { RetryCount: 0 },
  Task: { Token: 'local-task-token' },
};

export const errorNamed = (name: string, message = name) => Object.assign(new Error(message), { name });

/**
 * The gated layout's calls go to the real DependencyGates (in-memory records, tokens waited on as the local
 * engine does). The fixtures' ids are not real ids, so gate calls carry a real execution name of the same run.
 */
const GATE_EXECUTION = { account_id: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', execution_id: 'arn:aws:states:us-east-1:123456789012:execution:stepwise-test:exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-acct_01ARZ3NDEKTSV4RRFFQ69G5FAV' };

export async function runLocal(compiled: CompiledStateMachine, options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const calls: CallRecord[] = [];
  const gateCalls: LocalRunResult['gateCalls'] = [];
  const attempts = new Map<string, number>();
  const handler: Handler = options.handler ?? (() => undefined);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const tokens = new LocalTaskTokens();
  const gates = new DependencyGates(new MemoryGateStore(), tokens);
  const stopped = new AbortController();
  let tokenCount = 0;
  for (const [stateName, info] of Object.entries(compiled.task_states)) {
    if (info.action === 'gate' || info.action === 'release') {
      handlers[stateName] = async (input: unknown) => {
        const request = { ...(input as { Payload: GateRequest | ReleaseRequest }).Payload, ...GATE_EXECUTION };
        if (request.action === 'gate') request.task_token = `gate-${(tokenCount += 1)}`;
        gateCalls.push({ state: stateName, request, at: performance.now() });
        const waiting = request.action === 'gate' ? tokens.wait(request.task_token, stopped.signal) : undefined;
        const response = await gates.handle(request);
        await waiting?.done;
        return { StatusCode: 200, Payload: response };
      };
      continue;
    }
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
    return { status: 'SUCCEEDED', output, calls, gateCalls, pendingGates: tokens.pending, events, durationMs: performance.now() - started };
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
    const pendingGates = tokens.pending;
    if (e.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: e.name, calls, gateCalls, pendingGates, events, durationMs: performance.now() - started };
    const inner = e.cause ?? e;
    return { status: 'FAILED', error: inner.name ?? 'Error', cause: inner.message ?? '', calls, gateCalls, pendingGates, events, durationMs: performance.now() - started };
  } finally {
    clearTimeout(guard);
    stopped.abort();
    await Promise.race([collecting, new Promise((r) => setTimeout(r, 50))]);
  }
}

/** States entered over the whole run, nested branches and iterations included. */
export const transitions = (events: EventLog[]) => events.filter((e) => e.type === 'StateEntered').length;
