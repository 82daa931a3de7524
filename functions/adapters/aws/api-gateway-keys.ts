import { randomBytes } from 'node:crypto';
import type { Plan } from '../../core/auth/identity.ts';
import type { GatewayKey, GatewayKeys } from '../../core/auth/ports.ts';
import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { lazy } from '../lazy.ts';

export interface ApiGatewayKeysSettings {
  /** `STEPWISE_STAGE`: tags every key, so keys of one stage can be told from another's. */
  stage: string;
  /** The usage plan of each tier, by name (see resolveUsagePlans for why not by id). */
  usagePlanNames: Readonly<Record<Plan, string>>;
}

const ACCOUNT_TAG = 'stepwise:account';
const STAGE_TAG = 'stepwise:stage';

/**
 * Per-account API keys in the usage plan of the account's tier. The key value is generated here
 * (never by API Gateway and never shown to clients): the authorizer returns it as the usage
 * identifier, so API Gateway throttles each account by its plan.
 */
export class ApiGatewayKeys implements GatewayKeys {
  private readonly usagePlans: () => Promise<Record<Plan, string>>;

  constructor(
    private readonly client: APIGatewayClient,
    private readonly settings: ApiGatewayKeysSettings,
  ) {
    this.usagePlans = lazy(() => resolveUsagePlans(client, settings.usagePlanNames));
  }

  async provision(account: { readonly id: string; readonly plan: Plan }): Promise<GatewayKey> {
    const plans = await this.usagePlans();
    const created = await this.client.send(
      new CreateApiKeyCommand({
        name: `stepwise-${this.settings.stage}-${account.id}`,
        description: `Usage-plan identity of Stepwise account ${account.id}; not a client credential`,
        enabled: true,
        // API Gateway wants 20–128 alphanumeric characters; 32 random bytes in hex leave nothing to guess.
        value: randomBytes(32).toString('hex'),
        tags: { [ACCOUNT_TAG]: account.id, [STAGE_TAG]: this.settings.stage },
      }),
    );
    if (!created.id || !created.value) throw new Error('CreateApiKey returned no id or value');
    try {
      await this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plans[account.plan], keyId: created.id, keyType: 'API_KEY' }));
    } catch (error) {
      // A key in no usage plan is refused by API Gateway anyway; don't leave it behind.
      await this.remove(created.id).catch(() => undefined);
      throw error;
    }
    return { id: created.id, value: created.value };
  }

  /**
   * Out of the old plan first: API Gateway refuses a key in two usage plans of the same stage.
   * When joining the new plan fails, the key goes back to the old one rather than into neither.
   */
  async changePlan(keyId: string, from: Plan, to: Plan): Promise<void> {
    if (from === to) return;
    const plans = await this.usagePlans();
    await this.leave(plans[from], keyId);
    try {
      await this.join(plans[to], keyId);
    } catch (error) {
      await this.join(plans[from], keyId).catch(() => undefined);
      throw error;
    }
  }

  async remove(keyId: string): Promise<void> {
    try {
      await this.client.send(new DeleteApiKeyCommand({ apiKey: keyId }));
    } catch (error) {
      if (!isNamed(error, 'NotFoundException')) throw error;
    }
  }

  private async join(usagePlanId: string, keyId: string): Promise<void> {
    try {
      await this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }));
    } catch (error) {
      // Already a member: a retry of a move that got this far.
      if (!isNamed(error, 'ConflictException')) throw error;
    }
  }

  private async leave(usagePlanId: string, keyId: string): Promise<void> {
    try {
      await this.client.send(new DeleteUsagePlanKeyCommand({ usagePlanId, keyId }));
    } catch (error) {
      if (!isNamed(error, 'NotFoundException')) throw error;
    }
  }
}

/**
 * Usage plan ids by name. The functions cannot get the ids as environment variables: a usage
 * plan names the API stage, the stage its deployment, the deployment every method and each method
 * the function it invokes, so a function variable that refers to a plan is a cycle CloudFormation
 * refuses. Names are fixed at synth time (lib/api-stack.ts) and resolved once per container.
 */
export async function resolveUsagePlans(
  client: APIGatewayClient,
  names: Readonly<Record<Plan, string>>,
): Promise<Record<Plan, string>> {
  const found = new Map<string, string[]>();
  let position: string | undefined;
  do {
    const page = await client.send(new GetUsagePlansCommand({ limit: 500, ...(position ? { position } : {}) }));
    for (const plan of page.items ?? []) {
      if (plan.id && plan.name) found.set(plan.name, [...(found.get(plan.name) ?? []), plan.id]);
    }
    position = page.position;
  } while (position);
  const idOf = (name: string): string => {
    const ids = found.get(name) ?? [];
    if (ids.length !== 1) throw new Error(`Expected exactly one usage plan named '${name}', found ${ids.length}`);
    return ids[0]!;
  };
  return { free: idOf(names.free), enterprise: idOf(names.enterprise) };
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

