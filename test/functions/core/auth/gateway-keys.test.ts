import { describe, expect, it, vi } from 'vitest';
import { AccountService } from '../../../../functions/core/auth/account-service.ts';
import { AuthService } from '../../../../functions/core/auth/auth-service.ts';
import type { Account, Plan } from '../../../../functions/core/auth/identity.ts';
import type { AccessTokenIssuer, GatewayKey, GatewayKeys, LoginFailures, SessionStore } from '../../../../functions/core/auth/ports.ts';
import { AppError } from '../../../../functions/core/errors.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { fixedClock, MemoryIdentities, principal } from '../../../support/fakes.ts';

/** API Gateway as far as usage plans go: which plan each live key is in. */
class FakeGatewayKeys implements GatewayKeys {
  readonly plans = new Map<string, Plan>();
  readonly log: string[] = [];
  private next = 1;
  failChangePlanTo: Plan | undefined;

  provision = vi.fn(async (account: { id: string; plan: Plan }): Promise<GatewayKey> => {
    const key = { id: `key${this.next++}`, value: `value-for-${account.id}` };
    this.plans.set(key.id, account.plan);
    this.log.push(`provision ${key.id} ${account.plan}`);
    return key;
  });
  changePlan = vi.fn(async (keyId: string, from: Plan, to: Plan) => {
    if (to === this.failChangePlanTo) throw new Error('TooManyRequestsException');
    if (this.plans.get(keyId) !== from) throw new Error(`key ${keyId} is not in ${from}`);
    this.plans.set(keyId, to);
    this.log.push(`move ${keyId} ${from}->${to}`);
  });
  remove = vi.fn(async (keyId: string) => {
    this.plans.delete(keyId);
    this.log.push(`remove ${keyId}`);
  });
}

const hasher = { hash: async (p: string) => `h(${p})`, verify: async () => true };
const tokens: AccessTokenIssuer = { issueAccessToken: async () => ({ token: 'jwt', expiresAt: new Date() }) };
const platform = principal({ role: 'platform_admin', scopes: ROLE_SCOPES.platform_admin });

function setup() {
  const identities = new MemoryIdentities();
  const keys = new FakeGatewayKeys();
  const auth = new AuthService({
    identities,
    hasher,
    tokens,
    sessions: {} as SessionStore,
    failures: {} as LoginFailures,
    clock: fixedClock(),
    gatewayKeys: keys,
  });
  const accounts = new AccountService(identities, hasher, [], fixedClock(), keys);
  return { identities, keys, auth, accounts };
}

/** The table and API Gateway agree: every stored account's key is live, in the account's plan. */
function expectConsistent(identities: MemoryIdentities, keys: FakeGatewayKeys) {
  const stored = [...identities.accounts.values()];
  for (const account of stored) expect(keys.plans.get(account.gatewayKeyId!), account.id).toBe(account.plan);
  expect(keys.plans.size).toBe(stored.length);
}

describe('per-account gateway keys', () => {
  it('gives a registered account a key in the free plan and stores it with the account', async () => {
    const { auth, identities, keys } = setup();
    const { account } = await auth.register({ username: 'ann', password: 'long-password-1' });
    expect(account).toMatchObject({ plan: 'free', gatewayKeyId: 'key1', gatewayKeyValue: `value-for-${account.id}` });
    expect(identities.accounts.get(account.id)).toMatchObject({ gatewayKeyId: 'key1', gatewayKeyValue: `value-for-${account.id}` });
    expectConsistent(identities, keys);
  });

  it('removes the new key when registration fails, and the caller still sees the 409', async () => {
    const { auth, identities, keys } = setup();
    await auth.register({ username: 'ann', password: 'long-password-1' });
    await expect(auth.register({ username: 'ANN', password: 'long-password-2' })).rejects.toMatchObject({ code: 'conflict', field: 'username' });
    expect(keys.log).toEqual(['provision key1 free', 'provision key2 free', 'remove key2']);
    expectConsistent(identities, keys);
  });

  it('keeps the write’s error when the key cannot be removed either', async () => {
    const { auth, identities, keys } = setup();
    identities.createAccountWithOwner = async () => {
      throw new Error('ProvisionedThroughputExceeded');
    };
    keys.remove.mockRejectedValueOnce(new Error('TooManyRequestsException'));
    await expect(auth.register({ username: 'ann', password: 'long-password-1' })).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(keys.remove).toHaveBeenCalledWith('key1');
  });

  it('writes nothing when the key cannot be created', async () => {
    const { auth, identities, keys } = setup();
    keys.provision.mockRejectedValueOnce(new Error('TooManyRequestsException'));
    await expect(auth.register({ username: 'ann', password: 'long-password-1' })).rejects.toThrow('TooManyRequestsException');
    expect(identities.accounts.size).toBe(0);
  });

  it('gives an account a platform admin creates a key in its tier’s plan, and undoes it on failure', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123', plan: 'enterprise' });
    expect(account).toMatchObject({ plan: 'enterprise', gatewayKeyId: 'key1' });
    await expect(accounts.create(platform, { name: 'Acme 2', email: 'OPS@acme.io', password: 'secret-123' })).rejects.toMatchObject({ code: 'conflict' });
    expect(keys.log).toEqual(['provision key1 enterprise', 'provision key2 free', 'remove key2']);
    expectConsistent(identities, keys);
  });

  it('moves the key with a plan change, and leaves it alone for a rename', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    const upgraded = await accounts.update(platform, account.id, { plan: 'enterprise' });
    expect(upgraded).toMatchObject({ plan: 'enterprise', gatewayKeyId: 'key1' });
    await accounts.update(platform, account.id, { name: 'Acme Ltd' });
    expect(keys.log).toEqual(['provision key1 free', 'move key1 free->enterprise']);
    expectConsistent(identities, keys);
  });

  it('moves the key back when the table write loses a race, and answers 409', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    identities.updateAccount = async () => false;
    await expect(accounts.update(platform, account.id, { plan: 'enterprise' })).rejects.toMatchObject({ code: 'conflict' });
    expect(keys.log.slice(1)).toEqual(['move key1 free->enterprise', 'move key1 enterprise->free']);
    expectConsistent(identities, keys);
  });

  it('moves the key back when the table write fails, and surfaces that failure', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    identities.updateAccount = async () => {
      throw new AppError('internal_error', 'table unavailable');
    };
    await expect(accounts.update(platform, account.id, { plan: 'enterprise' })).rejects.toThrow('table unavailable');
    expectConsistent(identities, keys);
  });

  it('leaves the table untouched when the key cannot move', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    keys.failChangePlanTo = 'enterprise';
    await expect(accounts.update(platform, account.id, { plan: 'enterprise' })).rejects.toThrow('TooManyRequestsException');
    expect(identities.accounts.get(account.id)?.plan).toBe('free');
    expectConsistent(identities, keys);
  });

  it('provisions a key on the next update of an account that has none (created before keys existed)', async () => {
    const { accounts, identities, keys } = setup();
    const legacy: Account = { id: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'Old', plan: 'enterprise', createdAt: 'x', updatedAt: 'x', version: 1 };
    identities.accounts.set(legacy.id, legacy);
    const updated = await accounts.update(platform, legacy.id, { name: 'Old Ltd' });
    expect(updated).toMatchObject({ name: 'Old Ltd', gatewayKeyId: 'key1', version: 2 });
    expect(keys.log).toEqual(['provision key1 enterprise']);
    expectConsistent(identities, keys);
  });

  it('does not keep a key provisioned for a legacy account whose update lost a race', async () => {
    const { accounts, identities, keys } = setup();
    const legacy: Account = { id: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'Old', plan: 'free', createdAt: 'x', updatedAt: 'x', version: 1 };
    identities.accounts.set(legacy.id, legacy);
    identities.updateAccount = async () => false;
    await expect(accounts.update(platform, legacy.id, { plan: 'enterprise' })).rejects.toMatchObject({ code: 'conflict' });
    expect(keys.log).toEqual(['provision key1 enterprise', 'remove key1']);
  });

  it('removes the key first when an account is deleted, so a retry after a later failure still works', async () => {
    const { accounts, identities, keys } = setup();
    const { account } = await accounts.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    const order: string[] = [];
    keys.remove.mockImplementation(async (id: string) => void order.push(`key ${id}`));
    const deleteAccount = identities.deleteAccount.bind(identities);
    identities.deleteAccount = async (id) => {
      order.push('table');
      await deleteAccount(id);
    };
    await accounts.delete(platform, account.id);
    expect(order).toEqual(['key key1', 'table']);
    expect(identities.accounts.size).toBe(0);
  });

  it('creates accounts without keys when no gateway is wired (unit tests, tools)', async () => {
    const identities = new MemoryIdentities();
    const service = new AccountService(identities, hasher, [], fixedClock());
    const { account } = await service.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123' });
    expect(account.gatewayKeyId).toBeUndefined();
    await expect(service.update(platform, account.id, { plan: 'enterprise' })).resolves.toMatchObject({ plan: 'enterprise' });
    await service.delete(platform, account.id);
  });
});
