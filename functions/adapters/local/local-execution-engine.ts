import { conflict } from '../../core/errors.ts';
import type { ExecutionEngine } from '../../core/executions/ports.ts';
import type { EngineControl } from './local-engine.ts';

/** Reads the ASL a run executes: the compiled definition of that published version. */
export type DefinitionSource = (accountId: string, workflowId: string, version: number) => Promise<string>;

/** ExecutionEngine over the local engine (its own thread, see engine-worker.ts), with Step Functions' names and idempotent starts. */
export class LocalExecutionEngine implements ExecutionEngine {
  constructor(
    private readonly engine: EngineControl,
    private readonly definitions: DefinitionSource,
  ) {}

  async start(input: { workflowId: string; accountId: string; stateMachineArn: string; version: number; name: string; input: unknown }): Promise<string> {
    const executionArn = `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
    if (await this.engine.isRunning(executionArn)) return executionArn;
    const definition = await this.definitions(input.accountId, input.workflowId, input.version);
    try {
      await this.engine.start({ executionArn, stateMachineArn: input.stateMachineArn, name: input.name, definition, input: input.input });
    } catch (error) {
      // Like Step Functions: the same name again is the same execution, not a new one.
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
    return executionArn;
  }

  async stop(executionArn: string, reason: { error: string; cause: string }): Promise<void> {
    await this.engine.stop(executionArn, reason);
  }

  async redrive(executionArn: string): Promise<void> {
    // The engine keeps runs in memory: one from before a restart of the local server cannot be redriven.
    if (!(await this.engine.redrive(executionArn))) throw conflict('This execution is not known to the local engine (the local server restarted since it ran); start a new run instead', 'status');
  }
}
