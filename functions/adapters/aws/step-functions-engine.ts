import { RedriveExecutionCommand, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { conflict } from '../../core/errors.ts';
import type { ExecutionEngine } from '../../core/executions/ports.ts';

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;

/**
 * Runs on Step Functions. Executions start on the published version the execution record was made
 * for (not on the `live` alias: UpdateStateMachineAlias is eventually consistent, so a run started
 * right after a publish could still get the previous version) and are named after the record, so
 * Step Functions' own name dedupe backs up the Idempotency-Key.
 */
export class StepFunctionsEngine implements ExecutionEngine {
  constructor(private readonly sfn: () => Promise<SFNClient>) {}

  async start(input: { versionArn: string; stateMachineArn: string; name: string; input: unknown }): Promise<string> {
    try {
      const out = await (await this.sfn()).send(new StartExecutionCommand({ stateMachineArn: input.versionArn, name: input.name, input: JSON.stringify(input.input) }));
      return out.executionArn!;
    } catch (error) {
      // Same name, same input: a replayed start of a run that already began.
      if (errorName(error) === 'ExecutionAlreadyExists') return `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
      throw error;
    }
  }

  async stop(executionArn: string, reason: { error: string; cause: string }): Promise<void> {
    try {
      await (await this.sfn()).send(new StopExecutionCommand({ executionArn, error: reason.error, cause: reason.cause }));
    } catch (error) {
      if (errorName(error) !== 'ExecutionDoesNotExist') throw error;
    }
  }

  async redrive(executionArn: string): Promise<void> {
    try {
      await (await this.sfn()).send(new RedriveExecutionCommand({ executionArn }));
    } catch (error) {
      // Older than 14 days, over the redrive count, or otherwise not redrivable: the client's 409.
      if (errorName(error) === 'ExecutionNotRedrivable' || errorName(error) === 'ExecutionLimitExceeded') throw conflict(`Step Functions cannot redrive this execution: ${(error as Error).message}`, 'status');
      throw error;
    }
  }
}
