import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PasswordHasher, SessionStore } from '../../../../functions/core/auth/ports.ts';
import { UserService, type CredentialRevoker } from '../../../../functions/core/auth/user-service.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { fixedClock, MemoryIdentities, principal } from '../../../support/fakes.ts';

const hasher: PasswordHasher = { hash: async (p) => `h(${p})`, verify: async (p, s) => s === `h(${p})` };
const ACCT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('UserService', () => {
  let identities: MemoryIdentities;
  let sessions: { revokeAllForUser: ReturnType<typeof vi.fn> };
  let keys: { deleteAllForUser: ReturnType<typeof vi.fn> };
  let service: UserService;
  const admin = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, userId: 'usr_01ARZ3NDEKTSV4RRFFQ69G5FAA', accountId: ACCT });

  beforeEach(() => {
    identities = new MemoryIdentities();
    sessions = { revokeAllForUser: vi.fn(async () => undefined) };
    keys = { deleteAllForUser: vi.fn(async () => undefined) };
    service = new UserService(identities, hasher, sessions as unknown as SessionStore, keys as unknown as CredentialRevoker, fixedClock());
  });

  it('creates users with AstraFlow’s body, defaulting role and username', async () => {
    const u = await service.create(admin, { email: 'New@AF.com', password: 'secret-123' });
    expect(u).toMatchObject({ email: 'new@af.com', username: 'new@af.com', role: 'member', active: true, accountId: ACCT });
    await expect(service.create(admin, { email: 'new@af.com', password: 'secret-123' })).rejects.toMatchObject({ code: 'conflict', field: 'username' });
  });

  it('lets a member read and edit only their own profile', async () => {
    const m = await service.create(admin, { email: 'm@x.io', password: 'secret-123' });
    const other = await service.create(admin, { email: 'o@x.io', password: 'secret-123' });
    const me = principal({ accountId: ACCT, userId: m.id });
    expect((await service.get(me, m.id)).email).toBe('m@x.io');
    await expect(service.get(me, other.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await service.update(me, m.id, { name: 'Mia' })).name).toBe('Mia');
    await expect(service.update(me, m.id, { role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.update(me, m.id, { active: false })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('requires the current password to change your own', async () => {
    const m = await service.create(admin, { email: 'm@x.io', password: 'secret-123' });
    const me = principal({ accountId: ACCT, userId: m.id });
    await expect(service.update(me, m.id, { password: 'new-secret-1' })).rejects.toMatchObject({ field: 'current_password' });
    await service.update(me, m.id, { password: 'new-secret-1', currentPassword: 'secret-123' });
    expect(identities.users.get(m.id)!.passwordHash).toBe('h(new-secret-1)');
  });

  it('issue 13 #15 (Low): your own new password ends your other sessions, keeps this one, and leaves API keys alone', async () => {
    const m = await service.create(admin, { email: 'm@x.io', password: 'secret-123' });
    const me = principal({ accountId: ACCT, userId: m.id, credentialId: 'ses_current' });
    await service.update(me, m.id, { password: 'new-secret-1', currentPassword: 'secret-123' });
    expect(sessions.revokeAllForUser).toHaveBeenCalledExactlyOnceWith(ACCT, m.id, 'password_changed', 'ses_current');
    expect(keys.deleteAllForUser).not.toHaveBeenCalled();
    // Changed through an (unrestricted) API key: every session ends.
    const viaKey = principal({ accountId: ACCT, userId: m.id, credentialId: 'key_1', authMethod: 'api_key' });
    await service.update(viaKey, m.id, { password: 'new-secret-2', currentPassword: 'new-secret-1' });
    expect(sessions.revokeAllForUser).toHaveBeenLastCalledWith(ACCT, m.id, 'password_changed', undefined);
    // A name change ends nothing.
    sessions.revokeAllForUser.mockClear();
    await service.update(me, m.id, { name: 'Mia' });
    expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
  });

  it('ends sessions and keys when a user is deactivated, re-roled or deleted', async () => {
    const m = await service.create(admin, { email: 'm@x.io', password: 'secret-123' });
    await service.update(admin, m.id, { active: false });
    expect(sessions.revokeAllForUser).toHaveBeenLastCalledWith(ACCT, m.id, 'deactivated');
    expect(keys.deleteAllForUser).toHaveBeenLastCalledWith(ACCT, m.id);
    await service.update(admin, m.id, { active: true, role: 'viewer' });
    expect(sessions.revokeAllForUser).toHaveBeenCalledTimes(2);
    await service.delete(admin, m.id);
    expect(sessions.revokeAllForUser).toHaveBeenLastCalledWith(ACCT, m.id, 'deleted');
    await expect(service.get(admin, m.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('stops admins from locking themselves out', async () => {
    identities.users.set(admin.userId!, { id: admin.userId!, accountId: ACCT, username: 'boss', email: null, name: null, lastname: null, role: 'admin', active: true, passwordHash: 'h', createdAt: 't', updatedAt: 't', version: 1 });
    await expect(service.update(admin, admin.userId!, { active: false })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.update(admin, admin.userId!, { role: 'viewer' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.delete(admin, admin.userId!)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('never reaches into another account', async () => {
    const m = await service.create(admin, { email: 'm@x.io', password: 'secret-123' });
    const stranger = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, accountId: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ' });
    await expect(service.get(stranger, m.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.update(stranger, m.id, { active: false })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.delete(stranger, m.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await service.list(stranger, {}, { limit: 10, offset: 0, cursor: undefined })).total).toBe(0);
  });

  describe('issue 13 #1 (High): an admin credential narrowed below admin:full acts as a plain user', () => {
    const narrowed = principal({ role: 'admin', scopes: ['tasks:read'], userId: admin.userId, accountId: ACCT });

    it('cannot promote, deactivate, reset the password of, or read another user', async () => {
      const v = await service.create(admin, { email: 'v@x.io', password: 'secret-123', role: 'viewer' });
      await expect(service.update(narrowed, v.id, { role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(service.update(narrowed, v.id, { active: false })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(service.update(narrowed, v.id, { password: 'attacker-pass' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(service.get(narrowed, v.id)).rejects.toMatchObject({ code: 'forbidden' });
      expect(identities.users.get(v.id)).toMatchObject({ role: 'viewer', active: true, passwordHash: 'h(secret-123)' });
      expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
    });

    it('a client token (no user) of an admin-made client cannot act on users either', async () => {
      const v = await service.create(admin, { email: 'v@x.io', password: 'secret-123', role: 'viewer' });
      const client = principal({ role: 'admin', scopes: ['tasks:read', 'tasks:write'], userId: undefined, accountId: ACCT, authMethod: 'oauth_client' });
      await expect(service.update(client, v.id, { role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
});
