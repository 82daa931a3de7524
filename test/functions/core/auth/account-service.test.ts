import { describe, expect, it, vi } from 'vitest';
import { AccountService } from '../../../../functions/core/auth/account-service.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { fixedClock, MemoryIdentities, principal } from '../../../support/fakes.ts';

const hasher = { hash: async (p: string) => `h(${p})`, verify: async () => true };
const platform = principal({ role: 'platform_admin', scopes: ROLE_SCOPES.platform_admin });
const page = { limit: 10, offset: 0, cursor: undefined };

function setup() {
  const identities = new MemoryIdentities();
  const secrets = { deleteAll: vi.fn(async () => undefined) };
  return { identities, secrets, service: new AccountService(identities, hasher, [secrets], fixedClock()) };
}

describe('AccountService', () => {
  it('lets platform admins create and list accounts, each with an admin owner', async () => {
    const { service } = setup();
    const { account, owner } = await service.create(platform, { name: 'Acme', email: 'ops@acme.io', password: 'secret-123', plan: 'enterprise' });
    expect(account).toMatchObject({ name: 'Acme', plan: 'enterprise' });
    expect(owner).toMatchObject({ role: 'admin', email: 'ops@acme.io', accountId: account.id });
    expect((await service.list(platform, page)).total).toBe(1);
  });

  it('shows an account admin only their own account, and others as 404', async () => {
    const { service } = setup();
    const a = (await service.create(platform, { name: 'A', email: 'a@a.io', password: 'secret-123' })).account;
    const b = (await service.create(platform, { name: 'B', email: 'b@b.io', password: 'secret-123' })).account;
    const adminA = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, accountId: a.id });
    expect((await service.list(adminA, page)).items.map((x) => x.id)).toEqual([a.id]);
    expect((await service.get(adminA, a.id)).name).toBe('A');
    await expect(service.get(adminA, b.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.update(adminA, b.id, { name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.delete(adminA, b.id)).rejects.toMatchObject({ code: 'not_found' });
    // Creating another tenant is what registration does; the caller neither joins nor sees it.
    const c = (await service.create(adminA, { name: 'C', email: 'c@c.io', password: 'secret-123' })).account;
    expect(c.plan).toBe('free');
    await expect(service.get(adminA, c.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.create(adminA, { name: 'D', email: 'd@d.io', password: 'secret-123', plan: 'enterprise' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reserves plan changes for platform admins', async () => {
    const { service } = setup();
    const a = (await service.create(platform, { name: 'A', email: 'a@a.io', password: 'secret-123' })).account;
    const adminA = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, accountId: a.id });
    await expect(service.update(adminA, a.id, { plan: 'enterprise' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await service.update(adminA, a.id, { name: 'A2' })).name).toBe('A2');
    expect((await service.update(platform, a.id, { plan: 'enterprise' })).plan).toBe('enterprise');
  });

  it('deletes the account’s outside data and then everything in the table', async () => {
    const { service, secrets, identities } = setup();
    const a = (await service.create(platform, { name: 'A', email: 'a@a.io', password: 'secret-123' })).account;
    await service.delete(principal({ role: 'admin', scopes: ROLE_SCOPES.admin, accountId: a.id }), a.id);
    expect(secrets.deleteAll).toHaveBeenCalledWith(a.id);
    expect(identities.accounts.size).toBe(0);
    expect(await identities.findUserByLogin('a@a.io')).toBeUndefined();
  });
});
