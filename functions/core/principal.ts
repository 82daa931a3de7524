import type { Role, Scope } from '../../lib/definitions/scopes.ts';

export type { Role };
/** `trigger`: no caller at all — a schedule, webhook token or domain event started the run (core/triggers). */
export type AuthMethod = 'password' | 'jwt' | 'api_key' | 'oauth_client' | 'oauth_user' | 'trigger';

/**
 * Who is calling. Every service call takes one; every storage key derives from `accountId`, so a
 * principal can only ever reach its own tenant. Built by the authenticator from any credential
 * type (session JWT today; API keys and OAuth clients fit the same shape).
 */
export interface Principal {
  readonly accountId: string;
  /** The acting user, when the credential belongs to one (absent for client-credentials tokens). */
  readonly userId: string | undefined;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  readonly authMethod: AuthMethod;
  /** Stable id of the credential: session id, API key id or OAuth client id. Used for revocation and rate limits. */
  readonly credentialId: string;
  readonly plan: 'free' | 'enterprise';
}

const READ: Scope[] = ['tasks:read', 'workflows:read', 'pipelines:read', 'analytics:read'];
const WRITE: Scope[] = ['tasks:write', 'workflows:write', 'pipelines:write'];

/** What a role may do at most; a credential's own scopes are intersected with this. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: READ,
  member: [...READ, ...WRITE],
  admin: [...READ, ...WRITE, 'admin:full'],
  platform_admin: [...READ, ...WRITE, 'admin:full'],
};

/** `admin:full` implies every other scope. */
export function hasScope(principal: Pick<Principal, 'scopes'>, required: Scope): boolean {
  return principal.scopes.includes(required) || principal.scopes.includes('admin:full');
}

/**
 * Acting as an admin — on other users, their keys, the account's clients, secrets and the
 * account itself — needs the role and `admin:full` both: an admin's API key or token narrowed to
 * `tasks:read` is a read-only credential, whatever its role (docs/api.md#scopes-and-narrowed-credentials).
 */
export function actsAsAdmin(principal: Pick<Principal, 'role' | 'scopes'>): boolean {
  return (principal.role === 'admin' || principal.role === 'platform_admin') && principal.scopes.includes('admin:full');
}

/** A platform admin acting as one: the role and `admin:full`. */
export function actsAsPlatformAdmin(principal: Pick<Principal, 'role' | 'scopes'>): boolean {
  return principal.role === 'platform_admin' && principal.scopes.includes('admin:full');
}

/** The credential carries every scope its role allows: not narrowed (a session, or an unrestricted key or token). */
export function isUnrestricted(principal: Pick<Principal, 'role' | 'scopes'>): boolean {
  return ROLE_SCOPES[principal.role].every((s) => hasScope(principal, s));
}
