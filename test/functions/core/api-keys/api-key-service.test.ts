import { describe, expect, it } from 'vitest';
import { ApiKeyService } from '../../../../functions/core/api-keys/api-key-service.ts';
import type { ApiKey } from '../../../../functions/core/api-keys/api-key.ts';
import type { ApiKeyRepository } from '../../../../functions/core/api-keys/ports.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';

class MemoryKeys implements ApiKeyRepository {
  items = new Map<string, ApiKey>();
  touched = 0;
  async create(k: ApiKey) {
    this.items.set(k.id, k);
  }
  async get(accountId: string, id: string) {
    const k = this.items.get(id);
    return k?.accountId === accountId ? k : undefined;
  }
  async list(accountId: string, userId: string | undefined) {
    const items = [...this.items.values()].filter((k) => k.accountId === accountId && (!userId || k.userId === userId));
    return { items, total: items.length, nextCursor: undefined };
  }
  async delete(_a: string, id: string) {
    return this.items.delete(id);
  }
  async deleteAllForUser() {}
  async touch() {
    this.touched++;
  }
}

const me = principal();
const accounts = { getAccount: async (id: string) => (id === me.accountId ? { id, name: 'A', plan: 'enterprise' as const, createdAt: '', updatedAt: '', version: 1 } : undefined) };

function setup() {
  const repo = new MemoryKeys();
  const clock = fixedClock();
  return { repo, clock, service: new ApiKeyService(repo, accounts, clock) };
}

describe('ApiKeyService', () => {
  it('creates a key whose secret is returned once and stored only as a hash', async () => {
    const { service, repo } = setup();
    const { key, secret } = await service.create(me, { name: 'ci', scopes: ['tasks:read'] });
    expect(secret).toMatch(new RegExp(`^sk_${me.accountId}\\.${key.id}\\.[\\w-]{43}$`));
    expect(JSON.stringify([...repo.items.values()])).not.toContain(secret.split('.')[2]);
  });

  it('verifies a key into a principal with its own scopes and the account plan', async () => {
    const { service, repo } = setup();
    const { key, secret } = await service.create(me, { name: 'ci', scopes: ['tasks:read', 'workflows:read'] });
    expect(await service.verify(secret)).toEqual({
      accountId: me.accountId, userId: me.userId, role: me.role, scopes: ['tasks:read', 'workflows:read'], authMethod: 'api_key', credentialId: key.id, plan: 'enterprise',
    });
    expect(repo.touched).toBe(1);
  });

  it('refuses to grant scopes the creator lacks', async () => {
    const { service } = setup();
    const viewer = principal({ role: 'viewer', scopes: ROLE_SCOPES.viewer });
    await expect(service.create(viewer, { name: 'x', scopes: ['tasks:write'] })).rejects.toMatchObject({ code: 'validation_error', field: 'scopes' });
  });

  it('rejects wrong secrets, revoked and expired keys alike', async () => {
    const { service, clock } = setup();
    const { key, secret } = await service.create(me, { name: 'ci', scopes: ['tasks:read'], expiresAt: '2026-01-02T00:00:00.000Z' });
    await expect(service.verify(`${secret.slice(0, -3)}abc`)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(service.verify('sk_nonsense')).rejects.toMatchObject({ code: 'unauthorized' });
    clock.advance(2 * 86_400_000);
    await expect(service.verify(secret)).rejects.toMatchObject({ code: 'unauthorized' });
    const fresh = await service.create(me, { name: 'ci2', scopes: ['tasks:read'] });
    await service.revoke(me, fresh.key.id);
    await expect(service.verify(fresh.secret)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(key.id).toMatch(/^key_/);
  });

  it('lets members see and revoke only their own keys; other accounts get 404', async () => {
    const { service } = setup();
    const admin = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, userId: 'usr_admin' });
    const mine = await service.create(me, { name: 'mine', scopes: ['tasks:read'] });
    const theirs = await service.create(admin, { name: 'theirs', scopes: ['tasks:read'] });
    expect((await service.list(me, { limit: 10, offset: 0, cursor: undefined })).items.map((k) => k.name)).toEqual(['mine']);
    expect((await service.list(admin, { limit: 10, offset: 0, cursor: undefined })).total).toBe(2);
    await expect(service.revoke(me, theirs.key.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.revoke(principal({ accountId: 'acct_other' }), mine.key.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.create(me, { name: 'x', scopes: ['tasks:read'], expiresAt: '2020-01-01T00:00:00.000Z' })).rejects.toMatchObject({ field: 'expires_at' });
  });

  describe('issue 13 #1 (High): narrowed admin credentials', () => {
    it('an admin key without admin:full lists and revokes only its own user’s keys', async () => {
      const { service, repo } = setup();
      const admin = principal({ role: 'admin', scopes: ROLE_SCOPES.admin, userId: 'usr_admin' });
      const other = await service.create(me, { name: 'members', scopes: ['tasks:read'] });
      const narrowed = { ...admin, scopes: ['tasks:read' as const] };
      expect((await service.list(narrowed, { limit: 20, offset: 0, cursor: undefined })).items.map((k) => k.id)).not.toContain(other.key.id);
      await expect(service.revoke(narrowed, other.key.id)).rejects.toMatchObject({ code: 'not_found' });
      expect(repo.items.has(other.key.id)).toBe(true);
    });

    it('a client token (no user) sees no keys and revokes none', async () => {
      const { service } = setup();
      const k = await service.create(me, { name: 'k', scopes: ['tasks:read'] });
      const client = principal({ role: 'member', userId: undefined, authMethod: 'oauth_client' });
      expect((await service.list(client, { limit: 20, offset: 0, cursor: undefined })).items).toEqual([]);
      await expect(service.revoke(client, k.key.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
