import type { Account } from './identity.ts';
import type { GatewayKeys } from './ports.ts';

/**
 * The gateway key lives in API Gateway and the account in the table, and no transaction spans
 * both. The key is made first and deleted again when the table write fails, so a failure never
 * leaves an account without a key nor a key without an account.
 */
export async function createWithGatewayKey(
  keys: GatewayKeys | undefined,
  account: Account,
  write: (account: Account) => Promise<void>,
): Promise<Account> {
  const { account: written } = await writeWithNewKey(keys, account, async (keyed) => {
    await write(keyed);
    return true;
  });
  return written;
}

/**
 * Moves the key to the new plan's usage plan before the table says so, and back again when the
 * conditional write loses or fails, so the plan in the table and the plan API Gateway throttles
 * by disagree for no longer than the request that changes them.
 */
export async function updateWithGatewayKey(
  keys: GatewayKeys | undefined,
  current: Account,
  next: Account,
  write: (next: Account) => Promise<boolean>,
): Promise<{ written: boolean; account: Account }> {
  // Accounts created before per-account keys existed get theirs on their next update.
  if (keys && !current.gatewayKeyId) return writeWithNewKey(keys, next, write);
  const keyId = current.gatewayKeyId;
  const moved = keys !== undefined && keyId !== undefined && current.plan !== next.plan;
  if (!moved) return { written: await write(next), account: next };
  await keys.changePlan(keyId, current.plan, next.plan);
  let written: boolean;
  try {
    written = await write(next);
  } catch (error) {
    await keys.changePlan(keyId, next.plan, current.plan).catch(() => undefined);
    throw error;
  }
  if (!written) await keys.changePlan(keyId, next.plan, current.plan);
  return { written, account: next };
}

async function writeWithNewKey(
  keys: GatewayKeys | undefined,
  account: Account,
  write: (account: Account) => Promise<boolean>,
): Promise<{ written: boolean; account: Account }> {
  if (!keys) return { written: await write(account), account };
  const key = await keys.provision(account);
  const keyed: Account = { ...account, gatewayKeyId: key.id, gatewayKeyValue: key.value };
  let written = false;
  try {
    written = await write(keyed);
  } finally {
    // The write's own error (e.g. a 409 for a taken username) is what the caller must see. A key
    // that also fails to delete is tagged with its account id, so an operator can still find it.
    if (!written) await keys.remove(key.id).catch(() => undefined);
  }
  return { written, account: written ? keyed : account };
}
