import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../../../lib/definitions/scopes.ts';
import type { Role } from '../principal.ts';

export const GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** A registered OAuth client of one account (AstraFlow, CloudFlow). */
export interface OAuthClient {
  /** `<account id>.cli_<ULID>`: the account is part of the id so the token endpoint needs no global index. */
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly Scope[];
  readonly grantTypes: readonly GrantType[];
  /** Public key (JWK, RS256) for the jwt-bearer grant. */
  readonly publicJwk: Record<string, unknown> | null;
  /** The creator's role when registered; the client never acts with more. */
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: string;
}

export function clientAccount(clientId: string): string | undefined {
  const [account, local, ...rest] = clientId.split('.');
  return account && local?.startsWith('cli_') && rest.length === 0 ? account : undefined;
}

export const newClientSecret = () => `cs_${randomBytes(32).toString('base64url')}`;
export const hashClientSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export function clientSecretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashClientSecret(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 7636 S256: BASE64URL(SHA256(code_verifier)). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** A one-time authorization code, stored only as a hash and consumed atomically. */
export interface AuthorizationCode {
  readonly codeHash: string;
  readonly accountId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly Scope[];
  /** The PKCE S256 challenge; null when a confidential client authorized without PKCE (it must then redeem without a verifier). */
  readonly codeChallenge: string | null;
  readonly expiresAt: string;
}
