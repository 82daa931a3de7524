import { unauthorized } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { AccessTokenVerifier, CredentialVerifier, SessionStore } from './ports.ts';
import { BearerAssertionVerifier } from '../oauth/assertions.ts';

/** What the authenticator asks about OAuth clients; ClientStanding implements it. */
export interface ClientTokenCheck {
  exists(accountId: string, clientId: string): Promise<boolean>;
  /** Why a client token may no longer act, or `undefined`. */
  refusal(principal: Principal): Promise<string | undefined>;
}

/**
 * Token signature and expiry are checked without I/O; a session-bound token is then checked
 * against its session, so logout, refresh-token reuse and user deactivation take effect at once
 * instead of when the access token expires.
 */
export class Authenticator implements CredentialVerifier {
  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly sessions: SessionStore,
    private readonly apiKeys: { verify(key: string): Promise<Principal> },
    /**
     * The OAuth clients' standing (functions/core/oauth/client-standing.ts): deleting a client ends
     * its tokens and the sessions users granted it, and demoting, deactivating or deleting its
     * owner bounds or ends its tokens, at once rather than when they expire.
     */
    private readonly clients: ClientTokenCheck = { exists: async () => true, refusal: async () => undefined },
    /** Client-signed RS256 JWTs sent directly as Bearer (CloudFlow); without one they are refused like any foreign token. */
    private readonly assertions?: { verify(token: string): Promise<Principal> },
  ) {}

  verifyApiKey(key: string): Promise<Principal> {
    return this.apiKeys.verify(key);
  }

  async verifyAccessToken(token: string): Promise<Principal> {
    // Stepwise signs its own tokens with ES256 only, so an RS256 token can only be a client's assertion.
    if (this.assertions && BearerAssertionVerifier.applies(token)) return this.assertions.verify(token);
    const principal = await this.tokens.verifyAccessToken(token);
    if (principal.authMethod === 'password' || principal.authMethod === 'oauth_user') {
      const session = await this.sessions.get(principal.accountId, principal.credentialId);
      if (!session || session.status !== 'active' || session.userId !== principal.userId) {
        throw unauthorized('The session has ended; log in again');
      }
      if (session.clientId && !(await this.clients.exists(principal.accountId, session.clientId))) {
        throw unauthorized('The OAuth client this session was granted to has been deleted');
      }
    }
    if (principal.authMethod === 'oauth_client') {
      const refusal = await this.clients.refusal(principal);
      if (refusal) throw unauthorized(refusal);
    }
    return principal;
  }
}
