import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  ListExecutionsCommand,
  ListStateMachineVersionsCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StateMachineProvisioner } from '../../core/workflows/ports.ts';
import { LIVE_ALIAS } from '../../../statemachines/task-runner-contract.ts';
import type { MachineRef } from '../../core/workflows/workflow.ts';

export interface StepFunctionsSettings {
  /** Every machine is named `<prefix>-<workflow id>`; IAM lets the workflows function touch only that prefix. */
  namePrefix: string;
  roleArn: string;
  logGroupArn: string;
  /** Told when pruning old versions failed; the publish itself succeeded and the next one prunes again. */
  onPruneError?: (error: unknown, stateMachineArn: string) => void;
}

export { LIVE_ALIAS };

/**
 * Published versions kept per machine besides the one `live` points at. Step Functions holds at
 * most 1,000 versions a machine and refuses to publish beyond that, so older ones are deleted
 * after each publish (a version a running execution uses is kept until it finishes).
 */
export const KEEP_VERSIONS = 10;

/**
 * One Standard state machine per workflow (docs/deploy.md#what-gets-created): each PUT publishes a version, and the `live`
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
      await this.prune(input.existing.stateMachineArn, versionArn).catch((error: unknown) => this.settings.onPruneError?.(error, input.existing!.stateMachineArn));
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

  /**
   * Deletes versions beyond the newest KEEP_VERSIONS, never the one `live` names nor one with a
   * running execution (deleting a version does not stop its executions, but a run started on it
   * must stay describable as that version). Version numbers order them, whatever order the pages come in.
   */
  private async prune(stateMachineArn: string, liveVersionArn: string): Promise<void> {
    const versions: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
      for (const v of page.stateMachineVersions ?? []) if (v.stateMachineVersionArn) versions.push(v.stateMachineVersionArn);
      nextToken = page.nextToken;
    } while (nextToken);
    const number = (arn: string) => Number(arn.slice(arn.lastIndexOf(':') + 1));
    const old = versions.toSorted((a, b) => number(b) - number(a)).slice(KEEP_VERSIONS).filter((arn) => arn !== liveVersionArn);
    for (const versionArn of old) {
      const running = await this.sfn.send(new ListExecutionsCommand({ stateMachineArn: versionArn, statusFilter: 'RUNNING', maxResults: 1 }));
      if ((running.executions ?? []).length > 0) continue;
      try {
        await this.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: versionArn }));
      } catch (error) {
        // Still named by an alias, or a concurrent publish: leave it to the next prune.
        if ((error as { name?: string }).name !== 'ConflictException') throw error;
      }
    }
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
