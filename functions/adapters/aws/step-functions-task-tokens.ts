import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskTokens } from '../../core/runner/dependency-gates.ts';

/** A token already completed (a retried release), or whose run has ended: nothing is waiting on it any more. */
const CLOSED = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/** Opens the gated layout's gates on Step Functions (statemachines/README.md, "Gated layout"). */
export class StepFunctionsTaskTokens implements TaskTokens {
  constructor(private readonly sfn: () => Promise<SFNClient>) {}

  async succeed(token: string): Promise<void> {
    try {
      await (await this.sfn()).send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    } catch (error) {
      if (!CLOSED.has((error as { name?: string } | undefined)?.name ?? '')) throw error;
    }
  }
}
