import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskTokens } from '../../core/runner/dependency-gates.ts';

/** A token already completed (a retried release), or whose run has ended: nothing is waiting on it any more. */
const CLOSED = new Set(['TaskTimedOut', 'TaskDoesNotExist']);
/** SendTaskFailure's limits on `error` and `cause` (Step Functions API reference). */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

/**
 * Completes waiting Task states on Step Functions: the gated layout's gates (statemachines/README.md,
 * "Gated layout") and approvals (docs/api.md#approvals).
 */
export class StepFunctionsTaskTokens implements TaskTokens {
  constructor(private readonly sfn: () => Promise<SFNClient>) {}

  // Each method sends its own command (not through a shared helper), so the deploy check sees who sends what.
  async succeed(token: string, output = '{}'): Promise<void> {
    const sfn = await this.sfn();
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output }));
    } catch (error) {
      closedIsFine(error);
    }
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    const sfn = await this.sfn();
    try {
      await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) }));
    } catch (failure) {
      closedIsFine(failure);
    }
  }
}

function closedIsFine(error: unknown): void {
  if (!CLOSED.has((error as { name?: string } | undefined)?.name ?? '')) throw error;
}
