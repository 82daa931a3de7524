import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StateMachineProvisioner } from '../../core/workflows/ports.ts';
import type { MachineRef } from '../../core/workflows/workflow.ts';

export interface StepFunctionsSettings {
  /** Every machine is named `<prefix>-<workflow id>`; IAM lets the workflows function touch only that prefix. */
  namePrefix: string;
  roleArn: string;
  logGroupArn: string;
}

export const LIVE_ALIAS = 'live';

/**
 * One Standard state machine per workflow (DESIGN §8): each PUT publishes a version, and the `live`
 * alias (what runs start on) moves to it. CreateStateMachine is throttled at about 1/s per account,
 * so the client is built with adaptive retries that pace bursts instead of failing them.
 */
export class StepFunctionsProvisioner implements StateMachineProvisioner {
  constructor(
    private readonly sfn: SFNClient,
    private readonly settings: StepFunctionsSettings,
  ) {}

  async publish(input: { accountId: string; workflowId: string; name: string; asl: string; description: string; existing?: MachineRef }): Promise<MachineRef> {
    if (input.existing) {
      const updated = await this.sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn: input.existing.stateMachineArn,
          definition: input.asl,
          publish: true,
          versionDescription: truncate(input.description),
        }),
      );
      const versionArn = updated.stateMachineVersionArn!;
      await this.sfn.send(
        new UpdateStateMachineAliasCommand({
          stateMachineAliasArn: input.existing.aliasArn,
          routingConfiguration: [{ stateMachineVersionArn: versionArn, weight: 100 }],
        }),
      );
      return { ...input.existing, versionArn };
    }
    const created = await this.sfn.send(
      new CreateStateMachineCommand({
        name: `${this.settings.namePrefix}-${input.workflowId}`,
        type: 'STANDARD',
        definition: input.asl,
        roleArn: this.settings.roleArn,
        publish: true,
        versionDescription: truncate(input.description),
        // Payloads stay out of the logs: results may hold user data; secrets never reach the state at all.
        loggingConfiguration: {
          level: 'ALL',
          includeExecutionData: false,
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: this.settings.logGroupArn } }],
        },
        tracingConfiguration: { enabled: true },
        tags: [
          { key: 'stepwise:account', value: input.accountId },
          { key: 'stepwise:workflow', value: input.workflowId },
        ],
      }),
    );
    const alias = await this.sfn.send(
      new CreateStateMachineAliasCommand({
        name: LIVE_ALIAS,
        description: 'The version new runs start on',
        routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn!, weight: 100 }],
      }),
    );
    return { stateMachineArn: created.stateMachineArn!, versionArn: created.stateMachineVersionArn!, aliasArn: alias.stateMachineAliasArn! };
  }

  /** Deleting the machine deletes its versions and aliases too; an already-missing machine is fine. */
  async remove(machine: MachineRef): Promise<void> {
    try {
      await this.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machine.stateMachineArn }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'StateMachineDoesNotExist') throw error;
    }
  }
}

const truncate = (s: string) => (s.length > 256 ? `${s.slice(0, 255)}…` : s);
