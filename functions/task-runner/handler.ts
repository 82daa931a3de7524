import type { Context } from 'aws-lambda';
import { dependencyGates } from '../adapters/gates-wiring.ts';
import { taskRunner } from '../adapters/runner-wiring.ts';
import { isGateCall, type GateRequest, type GateResponse, type ReleaseRequest, type TaskRunnerRequest, type TaskRunnerResponse } from '../../statemachines/task-runner-contract.ts';

/** Headroom to record a timeout as the node's failure before Lambda kills the invocation. */
const SAFETY_MS = 2_000;

type Request = TaskRunnerRequest | GateRequest | ReleaseRequest;

/** Every runner Task state of every workflow invokes this with its TaskRunnerRequest (statemachines/task-runner-contract.ts). */
export async function handler(request: Request, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<TaskRunnerResponse | GateResponse> {
  const remaining = context?.getRemainingTimeInMillis();
  const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1_000, remaining - SAFETY_MS));
  return runTask(request, signal);
}

/** The same runner for the local engine, which passes the execution's own abort signal. Gate calls order nodes; they run none. */
export function runTask(request: Request, signal?: AbortSignal): Promise<TaskRunnerResponse | GateResponse> {
  if (isGateCall(request)) return dependencyGates().handle(request);
  return taskRunner().run(request, signal);
}
