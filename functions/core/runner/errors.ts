import { RUNNER_ERRORS } from '../../../statemachines/task-runner-contract.ts';
import { isHttpFailure, type HttpFailureKind } from './ports.ts';

/**
 * The run was aborted through the executor's signal (execution stopped, Lambda about to time out). Kept
 * apart from NonRetryable so the orchestration can record "cancelled" rather than "failed".
 */
export const RUNNER_CANCELLED = RUNNER_ERRORS.cancelled;

export interface RunnerFailureOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error the runner throws. `name` becomes the Lambda errorType and so the Step Functions error name:
 * the compiled retriers never retry `Stepwise.NonRetryable`, and a `fail` node's name is the user's error.
 */
export class RunnerFailure extends Error {
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(name: string, message: string, options: RunnerFailureOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.retryable = options.retryable ?? name === RUNNER_ERRORS.retryable;
    this.details = options.details;
  }
}

export const isRunnerFailure = (e: unknown): e is RunnerFailure => e instanceof RunnerFailure;

export const nonRetryable = (message: string, details?: Record<string, unknown>) =>
  new RunnerFailure(RUNNER_ERRORS.nonRetryable, message, { retryable: false, ...(details ? { details } : {}) });

export const retryable = (message: string, details?: Record<string, unknown>) =>
  new RunnerFailure(RUNNER_ERRORS.retryable, message, { retryable: true, ...(details ? { details } : {}) });

export const cancelled = (message = 'the run was cancelled') => new RunnerFailure(RUNNER_CANCELLED, message, { retryable: false });

/** 408 and 429 say "try later"; every other 4xx means the request itself is wrong and will stay wrong. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** FlowRunner's wording, so its clients' error matching keeps working. */
export function httpStatusFailure(status: number, details: Record<string, unknown> = {}): RunnerFailure {
  const message = `HTTP request failed with status ${status}`;
  const all = { status_code: status, ...details };
  return isRetryableStatus(status) ? retryable(message, all) : nonRetryable(message, all);
}

const RETRYABLE_KINDS: ReadonlySet<HttpFailureKind> = new Set(['timeout', 'network']);

/**
 * Maps anything thrown while running a node to a RunnerFailure. Errors nobody classified (a storage blip
 * while loading a step output, a secret store throttling) are treated as transient: the node's retry
 * policy bounds the cost of being wrong, while calling them permanent would fail runs that a retry fixes.
 */
export function toRunnerFailure(error: unknown, signal?: AbortSignal): RunnerFailure {
  if (isRunnerFailure(error)) return error;
  if (isHttpFailure(error)) {
    if (error.kind === 'aborted') return cancelled(error.message);
    return new RunnerFailure(RETRYABLE_KINDS.has(error.kind) ? RUNNER_ERRORS.retryable : RUNNER_ERRORS.nonRetryable, error.message, {
      details: { reason: error.kind },
    });
  }
  if (signal?.aborted) return cancelled();
  const e = error as { name?: unknown; message?: unknown } | null;
  if (e?.name === 'AbortError') return cancelled();
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  return retryable(message);
}
