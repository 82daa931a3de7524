import type { Plan } from '../../core/auth/identity.ts';
import type { GatewayKey, GatewayKeys } from '../../core/auth/ports.ts';

/**
 * Local mode has no API Gateway and no usage plans: keys are named after the account and moving
 * or deleting them does nothing. Deterministic, so a local account looks the same on every run.
 */
export class LocalGatewayKeys implements GatewayKeys {
  async provision(account: { readonly id: string; readonly plan: Plan }): Promise<GatewayKey> {
    return { id: `local-${account.id}`, value: `local-usage-key-${account.id}` };
  }

  async changePlan(): Promise<void> {}

  async remove(): Promise<void> {}
}
