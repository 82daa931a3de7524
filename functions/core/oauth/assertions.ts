import { createHash } from 'node:crypto';
import { SCOPES, type Scope } from '../../../lib/definitions/scopes.ts';
import type { IdentityRepository } from '../auth/ports.ts';
import type { Clock } from '../clock.ts';
import { unauthorized } from '../errors.ts';
import { type Principal } from '../principal.ts';
import { clientAccount, type OAuthClient } from './client.ts';
import { scopesWithinRole, type ClientStanding } from './client-standing.ts';
import type { AssertionClaims, AssertionReplays, AssertionVerifier, OAuthClientRepository } from './ports.ts';
import { MAX_ASSERTION_LIFETIME_SECONDS } from './oauth-service.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Reads the unverified header and payload only to find the key to verify with. */
export function peekJwt(jwt: string): { alg?: string; iss?: string } {
  try {
    const [h, p] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return { ...(typeof header.alg === 'string' ? { alg: header.alg } : {}), ...(typeof payload.iss === 'string' ? { iss: payload.iss } : {}) };
  } catch {
    return {};
  }
}

/** The lifetime rules both uses share; a string describing the problem, or undefined. */
export function assertionLifetimeProblem(claims: AssertionClaims, now: Date): string | undefined {
  if (claims.exp - claims.iat > MAX_ASSERTION_LIFETIME_SECONDS) return `The assertion may live at most ${MAX_ASSERTION_LIFETIME_SECONDS} s (exp − iat)`;
  if (claims.iat > now.getTime() / 1000 + 60) return 'The assertion is issued in the future';
  return undefined;
}

export const assertionHash = (jwt: string) => createHash('sha256').update(jwt).digest('base64url');

/**
 * CloudFlow's "JWT Tokens": a client signs an RS256 JWT (`iss` its client id, `sub` itself or a user
 * of its account, `aud` this API, `exp` ≤ 3600 s after `iat`, `scope`) and sends it directly as
 * `Authorization: Bearer`. It is accepted when the client registered that public key for the
 * jwt-bearer grant; its scopes must lie within the client's (and the acting user's or client's
 * role). A `jti` is remembered until `exp` (AssertionReplays, shared with the jwt-bearer grant): the same token may be sent
 * again, another token with that jti, or one already exchanged at the token endpoint, may not.
 */
export class BearerAssertionVerifier {
  constructor(
    private readonly deps: {
      clients: Pick<OAuthClientRepository, 'get'>;
      identities: Pick<IdentityRepository, 'getUser' | 'getAccount'>;
      /** Bounds the client by its owner's current role (and the asserted user's), as for every client token. */
      standing: Pick<ClientStanding, 'of'>;
      assertions: AssertionVerifier;
      audiences: readonly string[];
      clock: Clock;
      /** Absent where the caller may only read (the gateway authorizer); the function behind it records the jti. */
      replays?: AssertionReplays | undefined;
    },
  ) {}

  /** Whether a bearer token is a client-signed assertion rather than a Stepwise access token (ES256). */
  static applies(token: string): boolean {
    return peekJwt(token).alg === 'RS256';
  }

  async verify(token: string): Promise<Principal> {
    const { iss } = peekJwt(token);
    const accountId = iss ? clientAccount(iss) : undefined;
    const client = accountId ? await this.deps.clients.get(accountId, iss!) : undefined;
    if (!client?.publicJwk || !client.grantTypes.includes(JWT_BEARER)) throw unauthorized('The token is not signed by a registered key');
    let claims: AssertionClaims;
    try {
      claims = await this.deps.assertions.verify(token, client.publicJwk, this.deps.audiences);
    } catch (error) {
      throw unauthorized(`The token is invalid: ${(error as Error).message}`);
    }
    const lifetime = assertionLifetimeProblem(claims, this.deps.clock.now());
    if (lifetime) throw unauthorized(lifetime);
    const account = await this.deps.identities.getAccount(client.accountId);
    if (!account) throw unauthorized('The token is not signed by a registered key');
    const userId = await this.actor(client, claims.sub);
    const standing = await this.deps.standing.of(client, userId);
    if ('refused' in standing) throw unauthorized(standing.refused);
    const scopes = boundedScopes(claims.scope, client, standing.role);
    if (claims.jti !== undefined && this.deps.replays) {
      if (!(await this.deps.replays.claimBearer(client.id, claims.jti, assertionHash(token), new Date(claims.exp * 1000)))) {
        throw unauthorized('The token’s jti was already used by another assertion, or exchanged at the token endpoint');
      }
    }
    return { accountId: account.id, userId, role: standing.role, scopes, authMethod: 'jwt', credentialId: client.id, plan: account.plan };
  }

  /** `sub` is the client itself (no user) or an active user of its account. */
  private async actor(client: OAuthClient, sub: string): Promise<string | undefined> {
    if (sub === client.id) return undefined;
    const user = await this.deps.identities.getUser(client.accountId, sub);
    if (!user?.active) throw unauthorized('sub is neither the client nor an active user of its account');
    return user.id;
  }
}

/** Requested scopes (all the client's when none are asked for), each within the client's and the role's. */
function boundedScopes(scope: string | undefined, client: OAuthClient, role: Principal['role']): Scope[] {
  const requested = scope?.trim() ? [...new Set(scope.trim().split(/\s+/))] : [...client.scopes];
  const unknown = requested.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw unauthorized(`Unknown scope: ${unknown.join(' ')}`);
  const excess = requested.filter((s) => !client.scopes.includes(s as Scope) && !client.scopes.includes('admin:full'));
  if (excess.length) throw unauthorized(`Scope not allowed for this client: ${excess.join(' ')}`);
  return scopesWithinRole(requested as Scope[], role);
}
