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

  async succeed(token: string, output = '{}'): Promise<void> {
    await this.closedIsFine(async () => (await this.sfn()).send(new SendTaskSuccessCommand({ taskToken: token, output })));
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    await this.closedIsFine(async () => (await this.sfn()).send(new SendTaskFailureCommand({ taskToken: token, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) })));
  }

  private async closedIsFine(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (!CLOSED.has((error as { name?: string } | undefined)?.name ?? '')) throw error;
    }
  }
}
