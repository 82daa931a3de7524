import { StateMachine } from 'aws-local-stepfunctions';
import { installPromiseWithResolvers } from '../../functions/adapters/local/promise-with-resolvers.ts';
import type { CompiledStateMachine } from '../../statemachines/compile/compile.ts';
import type { LambdaInvokeParameters } from '../../statemachines/task-runner-contract.ts';

installPromiseWithResolvers();

/**
 * Runs a compiled machine in aws-local-stepfunctions with every runner Task bound to `onTask`
 * (which answers as the runner does), and counts the state transitions Step Functions would bill:
 * one per state entered.
 */
export async function runCounted(machine: CompiledStateMachine, input: unknown, name: string, onTask: (nodeId: string) => Promise<void>): Promise<{ transitions: number; ms: number }> {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const state of Object.keys(machine.task_states)) {
    handlers[state] = async (request: unknown) => {
      const nodeId = (request as LambdaInvokeParameters).Payload.node_id;
      await onTask(nodeId);
      return { StatusCode: 200, Payload: { node_id: nodeId, status: 'completed' } };
    };
  }
  const sm = new StateMachine(machine.definition as never, { validationOptions: { noValidate: true } });
  const t0 = performance.now();
  const run = sm.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers },
    context: { Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:bench:${name}` }, State: { RetryCount: 0 } },
  } as never);
  let transitions = 0;
  const counting = (async () => {
    for await (const event of run.eventLogs) if (event.type === 'StateEntered') transitions++;
  })();
  await run.result;
  const ms = performance.now() - t0;
  await Promise.race([counting, new Promise((resolve) => setTimeout(resolve, 50))]);
  return { transitions, ms };
}
