import { unauthorized } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { AccessTokenVerifier, CredentialVerifier, SessionStore } from './ports.ts';

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
    /** Whether an OAuth client still exists: deleting a client ends its tokens at once. */
    private readonly clientExists: (accountId: string, clientId: string) => Promise<boolean> = async () => true,
  ) {}

  verifyApiKey(key: string): Promise<Principal> {
    return this.apiKeys.verify(key);
  }

  async verifyAccessToken(token: string): Promise<Principal> {
    const principal = await this.tokens.verifyAccessToken(token);
    if (principal.authMethod === 'password' || principal.authMethod === 'oauth_user') {
      const session = await this.sessions.get(principal.accountId, principal.credentialId);
      if (!session || session.status !== 'active' || session.userId !== principal.userId) {
        throw unauthorized('The session has ended; log in again');
      }
    }
    if (principal.authMethod === 'oauth_client' && !(await this.clientExists(principal.accountId, principal.credentialId))) {
      throw unauthorized('The OAuth client has been deleted');
    }
    return principal;
  }
}
