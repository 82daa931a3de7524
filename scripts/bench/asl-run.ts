import { StateMachine } from 'aws-local-stepfunctions';
import { ulid } from 'ulid';
import { LocalTaskTokens } from '../../functions/adapters/local/local-task-tokens.ts';
import { installPromiseWithResolvers } from '../../functions/adapters/local/promise-with-resolvers.ts';
import { DependencyGates, MemoryGateStore } from '../../functions/core/runner/dependency-gates.ts';
import type { CompiledStateMachine } from '../../statemachines/compile/compile.ts';
import type { GateRequest, LambdaInvokeParameters, ReleaseRequest } from '../../statemachines/task-runner-contract.ts';

installPromiseWithResolvers();

/** Benchmarks compile for this account: gate calls check that the execution belongs to it. */
export const BENCH_ACCOUNT = 'acct_01JBENCH0000000000000000AC';

/**
 * Runs a compiled machine in aws-local-stepfunctions with every runner Task bound to `onTask`
 * (which answers as the runner does), and counts the state transitions Step Functions would bill:
 * one per state entered. The gated layout's gate and release calls go to the real DependencyGates
 * (in-memory records; a gate waits for its token as in the local engine).
 */
export async function runCounted(machine: CompiledStateMachine, input: unknown, name: string, onTask: (nodeId: string) => Promise<void>): Promise<{ transitions: number; ms: number; gateCalls: number }> {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const tokens = new LocalTaskTokens();
  const gates = new DependencyGates(new MemoryGateStore(), tokens);
  const stopped = new AbortController();
  let gateCalls = 0;
  for (const [state, info] of Object.entries(machine.task_states)) {
    if (info.action === 'gate' || info.action === 'release') {
      handlers[state] = async (request: unknown) => {
        const payload = (request as { Payload: GateRequest | ReleaseRequest }).Payload;
        gateCalls++;
        const waiting = payload.action === 'gate' ? tokens.wait(payload.task_token, stopped.signal) : undefined;
        const response = await gates.handle(payload);
        await waiting?.done;
        return { StatusCode: 200, Payload: response };
      };
      continue;
    }
    handlers[state] = async (request: unknown) => {
      const nodeId = (request as LambdaInvokeParameters).Payload.node_id;
      await onTask(nodeId);
      return { StatusCode: 200, Payload: { node_id: nodeId, status: 'completed' } };
    };
  }
  const sm = new StateMachine(machine.definition as never, { validationOptions: { noValidate: true } });
  let token = 0;
  const t0 = performance.now();
  const run = sm.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers },
    context: {
      Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:bench-${name}:exec_${ulid()}-${BENCH_ACCOUNT}` },
      State: { RetryCount: 0 },
      // A fresh token per evaluation, as Step Functions gives every callback Task attempt its own.
      Task: {
        get Token() {
          return `bench-${(token += 1)}`;
        },
      },
    },
  } as never);
  let transitions = 0;
  const counting = (async () => {
    for await (const event of run.eventLogs) if (event.type === 'StateEntered') transitions++;
  })();
  try {
    await run.result;
  } finally {
    stopped.abort();
  }
  const ms = performance.now() - t0;
  await Promise.race([counting, new Promise((resolve) => setTimeout(resolve, 50))]);
  return { transitions, ms, gateCalls };
}
