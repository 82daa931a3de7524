import { type APIGatewayClient, DeleteApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { DeleteScheduleCommand, ListSchedulesCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { DeleteSecretCommand, ListSecretsCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteStateMachineCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { stageNames } from '../../../lib/definitions/names.ts';

/** What a stage's functions created at run time, which `cdk destroy` does not know about (docs/deploy.md#removing-a-stage). */
export interface StageLeftovers {
  /** Per-account usage-plan keys (`stepwise-<stage>-acct_…`, tagged with the stage). */
  readonly apiKeys: readonly { readonly id: string; readonly name: string }[];
  /** One machine per workflow (`stepwise-<stage>-wf_…`); deleting one deletes its versions and alias. */
  readonly stateMachines: readonly string[];
  /** Schedules left in the stage's group (the group goes with the events stack, and its schedules with it). */
  readonly schedules: readonly string[];
  /** Account secrets (`stepwise/<stage>/…`). */
  readonly secrets: readonly string[];
}

export interface StageCleanupClients {
  readonly apiGateway: APIGatewayClient;
  readonly stepFunctions: SFNClient;
  readonly scheduler: SchedulerClient;
  readonly secrets: SecretsManagerClient;
}

/**
 * The operator's cleanup after `cdk destroy` (scripts/cleanup-stage.ts): finds exactly this stage's
 * run-time resources by the names lib/definitions/names.ts fixes — which never match another
 * stage's — and deletes them. Runs with the operator's credentials, not a function's role.
 */
export class StageCleanup {
  private readonly names;

  constructor(
    private readonly clients: StageCleanupClients,
    private readonly stage: string,
  ) {
    this.names = stageNames(stage);
  }

  async find(): Promise<StageLeftovers> {
    const [apiKeys, stateMachines, schedules, secrets] = await Promise.all([this.apiKeys(), this.stateMachines(), this.schedules(), this.secrets()]);
    return { apiKeys, stateMachines, schedules, secrets };
  }

  /** Secrets go with Secrets Manager's recovery window unless `recoveryWindowDays` is 0 (deleted at once). */
  async remove(found: StageLeftovers, options: { readonly recoveryWindowDays: number }): Promise<void> {
    for (const key of found.apiKeys) await ignoreMissing(this.clients.apiGateway.send(new DeleteApiKeyCommand({ apiKey: key.id })));
    for (const arn of found.stateMachines) await ignoreMissing(this.clients.stepFunctions.send(new DeleteStateMachineCommand({ stateMachineArn: arn })));
    for (const name of found.schedules) await ignoreMissing(this.clients.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.names.scheduleGroupName })));
    for (const name of found.secrets) {
      const window = options.recoveryWindowDays === 0 ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: options.recoveryWindowDays };
      await ignoreMissing(this.clients.secrets.send(new DeleteSecretCommand({ SecretId: name, ...window })));
    }
  }

  private async apiKeys(): Promise<StageLeftovers['apiKeys']> {
    const out: { id: string; name: string }[] = [];
    let position: string | undefined;
    do {
      const page = await this.clients.apiGateway.send(new GetApiKeysCommand({ nameQuery: this.names.apiKeyNamePrefix, limit: 500, position, includeValues: false }));
      for (const key of page.items ?? []) {
        // The name prefix and the stage tag must both say this stage.
        if (key.id && key.name?.startsWith(this.names.apiKeyNamePrefix) && key.tags?.['stepwise:stage'] === this.stage) out.push({ id: key.id, name: key.name });
      }
      position = page.position;
    } while (position);
    return out;
  }

  private async stateMachines(): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.stepFunctions.send(new ListStateMachinesCommand({ maxResults: 1000, nextToken }));
      for (const m of page.stateMachines ?? []) if (m.name?.startsWith(this.names.machineNamePrefix) && m.stateMachineArn) out.push(m.stateMachineArn);
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  private async schedules(): Promise<string[]> {
    const out: string[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await this.clients.scheduler.send(new ListSchedulesCommand({ GroupName: this.names.scheduleGroupName, MaxResults: 100, NextToken }));
        for (const s of page.Schedules ?? []) if (s.Name) out.push(s.Name);
        NextToken = page.NextToken;
      } while (NextToken);
    } catch (error) {
      // The group went with the stack, and every schedule in it.
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
    return out;
  }

  private async secrets(): Promise<string[]> {
    const out: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.clients.secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [this.names.secretNamePrefix] }], MaxResults: 100, NextToken }));
      for (const s of page.SecretList ?? []) if (s.Name?.startsWith(this.names.secretNamePrefix)) out.push(s.Name);
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }
}

async function ignoreMissing(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'NotFoundException' && name !== 'ResourceNotFoundException' && name !== 'StateMachineDoesNotExist') throw error;
  }
}
