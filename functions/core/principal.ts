import type { Role, Scope } from '../../lib/definitions/routes.ts';

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
