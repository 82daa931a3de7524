import type { Context } from 'aws-lambda';
import { taskRunner } from '../adapters/runner-wiring.ts';
import type { TaskRunnerRequest, TaskRunnerResponse } from '../../statemachines/task-runner-contract.ts';

/** Headroom to record a timeout as the node's failure before Lambda kills the invocation. */
const SAFETY_MS = 2_000;

/** Every runner Task state of every workflow invokes this with its TaskRunnerRequest (statemachines/task-runner-contract.ts). */
export async function handler(request: TaskRunnerRequest, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<TaskRunnerResponse> {
  const remaining = context?.getRemainingTimeInMillis();
  const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1_000, remaining - SAFETY_MS));
  return runTask(request, signal);
}

/** The same runner for the local engine, which passes the execution's own abort signal. */
export function runTask(request: TaskRunnerRequest, signal?: AbortSignal): Promise<TaskRunnerResponse> {
  return taskRunner().run(request, signal);
}
