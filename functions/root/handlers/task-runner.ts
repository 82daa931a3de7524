import type { Context } from 'aws-lambda';
import { isGateCall, type GateRequest, type GateResponse, type ReleaseRequest, type TaskRunnerRequest, type TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import { gatesOf } from '../gates.ts';
import { runnerOf } from '../runner.ts';
import type { Stepwise } from '../stepwise.ts';

/** Headroom to record a timeout as the node's failure before Lambda kills the invocation. */
const SAFETY_MS = 2_000;

/** Every runner Task state of every workflow invokes this with its TaskRunnerRequest (statemachines/task-runner-contract.ts). */
export const createHandler =
  (stepwise: Stepwise) =>
  async (request: TaskRunnerRequest | GateRequest | ReleaseRequest, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<TaskRunnerResponse | GateResponse> => {
    // Gate calls order nodes; they run none.
    if (isGateCall(request)) return gatesOf(stepwise).handle(request);
    const remaining = context?.getRemainingTimeInMillis();
    const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1_000, remaining - SAFETY_MS));
    return runnerOf(stepwise).run(request, signal);
  };
