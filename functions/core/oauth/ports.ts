import type { AuthorizationCode, OAuthClient } from './client.ts';

export interface OAuthClientRepository {
  create(client: OAuthClient): Promise<void>;
  get(accountId: string, clientId: string): Promise<OAuthClient | undefined>;
  list(accountId: string): Promise<OAuthClient[]>;
  delete(accountId: string, clientId: string): Promise<boolean>;
}

export interface AuthorizationCodeStore {
  save(code: AuthorizationCode): Promise<void>;
  /** Returns the code and deletes it in one step: a second use finds nothing. */
  consume(codeHash: string): Promise<AuthorizationCode | undefined>;
}

export interface AssertionClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  scope?: string | undefined;
  jti?: string | undefined;
}

/** Verifies a client-signed RS256 assertion (jwt-bearer) against the client's registered key. */
export interface AssertionVerifier {
  verify(assertion: string, publicJwk: Record<string, unknown>, audience: readonly string[]): Promise<AssertionClaims>;
}

/**
/**
 * Remembers used jwt-bearer assertions until they expire, so each is accepted once (RFC 7523
 * §3: `jti`). The id is the assertion's `jti`, or a digest of the whole assertion without one.
 * One store serves both uses of a client-signed JWT: exchanged at the token endpoint it is spent
 * (`claim`); sent directly as a Bearer token (CloudFlow) the very same token may repeat, but
 * another token with its `jti`, or one already exchanged, may not (`claimBearer`).
 */
export interface AssertionReplays {
  /** Records the use; false when the same client already used this id. */
  claim(clientId: string, assertionId: string, expiresAt: Date): Promise<boolean>;
  /** Records a Bearer use of the token with digest `tokenHash`; false when the id was used otherwise. */
  claimBearer(clientId: string, assertionId: string, tokenHash: string, expiresAt: Date): Promise<boolean>;
}
