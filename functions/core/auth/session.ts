import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../../../lib/definitions/scopes.ts';

/** Refresh tokens outlive access tokens by far; a session ends at this age however often it is refreshed. */
export const SESSION_LIFETIME_SECONDS = 30 * 24 * 3600;
/** How many rotated refresh tokens a session remembers, to recognise reuse. */
export const REMEMBERED_REFRESH_TOKENS = 20;

/**
 * A login session: the family of refresh tokens one login starts. Every access token names its
 * session (`cid`), so revoking the session (logout, reuse, user deactivation) stops them at once.
 */
export interface Session {
  readonly id: string;
  readonly accountId: string;
  readonly userId: string;
  readonly status: 'active' | 'revoked';
  /** SHA-256 of the current refresh token's secret; the secret itself is never stored. */
  readonly refreshHash: string;
  /** Hashes of rotated-out refresh tokens: presenting one of them is reuse. */
  readonly usedHashes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedReason?: string | undefined;
  /** Set when an OAuth client holds the session (authorization_code): the client and the scopes granted to it. */
  readonly clientId?: string | undefined;
  readonly scopes?: readonly Scope[] | undefined;
}

export interface RefreshToken {
  readonly accountId: string;
  readonly sessionId: string;
  readonly secret: string;
}

const PREFIX = 'rt_';

export function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatRefreshToken(t: RefreshToken): string {
  return `${PREFIX}${t.accountId}.${t.sessionId}.${t.secret}`;
}

export function parseRefreshToken(value: string): RefreshToken | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const [accountId, sessionId, secret, ...rest] = value.slice(PREFIX.length).split('.');
  if (!accountId || !sessionId || !secret || rest.length > 0) return undefined;
  return { accountId, sessionId, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
