import { describe, expect, it } from 'vitest';
import type { User } from '../../../../functions/core/auth/identity.ts';
import { roleOf } from '../../../../functions/core/auth/auth-service.ts';
import type { OAuthClient } from '../../../../functions/core/oauth/client.ts';
import { ClientStanding, scopesWithinRole, weakerRole } from '../../../../functions/core/oauth/client-standing.ts';
import { MemoryIdentities, principal } from '../../../support/fakes.ts';

const ACCT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const user = (id: string, role: User['role'], active = true): User => ({
  id, accountId: ACCT, username: id, email: null, name: null, lastname: null, role, active, passwordHash: 'h', createdAt: 't', updatedAt: 't', version: 1,
});
const client = (over: Partial<OAuthClient> = {}): OAuthClient => ({
  id: `${ACCT}.cli_1`, accountId: ACCT, name: 'c', secretHash: 'h', redirectUris: [], scopes: ['admin:full'], grantTypes: ['client_credentials'], publicJwk: null,
  role: 'admin', createdBy: 'usr_owner', createdAt: 't', ...over,
});

function setup(owner: User | undefined, clients: OAuthClient[] = [client()]) {
  const identities = new MemoryIdentities();
  if (owner) identities.users.set(owner.id, owner);
  const repo = { get: async (_a: string, id: string) => clients.find((c) => c.id === id) };
  return { identities, standing: new ClientStanding(repo, identities, (u) => roleOf(u)) };
}

describe('ClientStanding (issue 13 #5, High)', () => {
  it('bounds a client by its owner’s current role', async () => {
    expect(await setup(user('usr_owner', 'admin')).standing.of(client())).toEqual({ role: 'admin' });
    expect(await setup(user('usr_owner', 'viewer')).standing.of(client())).toEqual({ role: 'viewer' });
    expect(await setup(user('usr_owner', 'admin')).standing.of(client({ role: 'member' }))).toEqual({ role: 'member' });
  });

  it('refuses a client whose owner was deleted or deactivated', async () => {
    expect(await setup(undefined).standing.of(client())).toHaveProperty('refused');
    expect(await setup(user('usr_owner', 'admin', false)).standing.of(client())).toHaveProperty('refused');
  });

  it('bounds a token asserting another user by that user as well', async () => {
    const { identities, standing } = setup(user('usr_owner', 'admin'));
    identities.users.set('usr_v', user('usr_v', 'viewer'));
    expect(await standing.of(client(), 'usr_v')).toEqual({ role: 'viewer' });
    expect(await standing.of(client(), 'usr_gone')).toHaveProperty('refused');
  });

  it('refuses presented tokens minted under a stronger role than the owner has now, or by a deleted client', async () => {
    const { standing } = setup(user('usr_owner', 'viewer'));
    const token = principal({ accountId: ACCT, authMethod: 'oauth_client', userId: undefined, credentialId: `${ACCT}.cli_1`, role: 'admin' });
    expect(await standing.refusal(token)).toMatch(/no longer holds/);
    expect(await standing.refusal({ ...token, role: 'viewer' })).toBeUndefined();
    expect(await standing.refusal({ ...token, credentialId: `${ACCT}.cli_gone` })).toMatch(/deleted/);
  });

  it('turns admin:full into what the weaker role may do rather than nothing', () => {
    expect(scopesWithinRole(['admin:full'], 'admin')).toEqual(['admin:full']);
    expect(scopesWithinRole(['admin:full'], 'viewer')).toEqual(['tasks:read', 'workflows:read', 'pipelines:read', 'analytics:read']);
    expect(scopesWithinRole(['tasks:read', 'tasks:write'], 'viewer')).toEqual(['tasks:read']);
    expect(weakerRole('admin', 'member')).toBe('member');
    expect(weakerRole('viewer', 'platform_admin')).toBe('viewer');
  });
});
