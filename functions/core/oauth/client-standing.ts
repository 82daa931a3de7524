import { ROLES, SCOPES, type Role, type Scope } from '../../../lib/definitions/scopes.ts';
import type { IdentityRepository } from '../auth/ports.ts';
import type { User } from '../auth/identity.ts';
import { ROLE_SCOPES, type Principal } from '../principal.ts';
import type { OAuthClient } from './client.ts';
import type { OAuthClientRepository } from './ports.ts';

/** The weaker of two roles (ROLES is weakest first). */
export function weakerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/**
 * The scopes a client may still hold under `role`. `admin:full` on a client whose owner is no
 * longer an admin stands for everything else the role allows, so a demoted admin's client keeps
 * working at the owner's new level rather than becoming useless or keeping admin rights.
 */
export function scopesWithinRole(scopes: readonly Scope[], role: Role): Scope[] {
  const allowed = ROLE_SCOPES[role];
  if (allowed.includes('admin:full')) return [...scopes];
  const expanded = scopes.includes('admin:full') ? SCOPES.filter((s) => s !== 'admin:full') : scopes;
  return expanded.filter((s) => allowed.includes(s));
}

/** Why a client (or a token it minted) may not act now; `undefined` when it may. */
export type StandingVerdict = { readonly role: Role } | { readonly refused: string };

/**
 * A client never acts with more than the user who registered it may do now (docs/api.md#oauth):
 * its rights are its registered role bounded by its owner's current role, the owner must still be
 * an active user of the account, and a token asserting another user is also bounded by that user.
 * Checked when a token is minted and again on every request that presents one, so demoting,
 * deactivating or deleting the owner takes effect at once, as it does for sessions and API keys.
 */
export class ClientStanding {
  constructor(
    private readonly clients: Pick<OAuthClientRepository, 'get'>,
    private readonly identities: Pick<IdentityRepository, 'getUser'>,
    /** The role a user acts with (stage operators act as platform_admin: functions/core/auth/auth-service.ts). */
    private readonly roleOf: (user: User) => Role,
  ) {}

  async exists(accountId: string, clientId: string): Promise<boolean> {
    return (await this.clients.get(accountId, clientId)) !== undefined;
  }

  /** The role the client may act with now, or why it may not act at all. */
  async of(client: OAuthClient, subjectUserId?: string): Promise<StandingVerdict> {
    const [owner, subject] = await Promise.all([
      this.identities.getUser(client.accountId, client.createdBy),
      subjectUserId && subjectUserId !== client.createdBy ? this.identities.getUser(client.accountId, subjectUserId) : undefined,
    ]);
    if (!owner?.active) return { refused: 'The OAuth client’s owner is no longer an active user of the account' };
    let role = weakerRole(client.role, this.roleOf(owner));
    if (subjectUserId) {
      const user = subjectUserId === client.createdBy ? owner : subject;
      if (!user?.active) return { refused: 'The token’s user is no longer active' };
      role = weakerRole(role, this.roleOf(user));
    }
    return { role };
  }

  /** For a presented client token: `undefined` when it may still act, else the reason it may not. */
  async refusal(principal: Pick<Principal, 'accountId' | 'credentialId' | 'userId' | 'role'>): Promise<string | undefined> {
    const client = await this.clients.get(principal.accountId, principal.credentialId);
    if (!client) return 'The OAuth client has been deleted';
    const verdict = await this.of(client, principal.userId);
    if ('refused' in verdict) return verdict.refused;
    return ROLES.indexOf(verdict.role) < ROLES.indexOf(principal.role) ? 'The OAuth client’s owner no longer holds the role this token was issued under' : undefined;
  }
}
