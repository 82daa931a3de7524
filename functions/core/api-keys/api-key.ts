import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../../../lib/definitions/scopes.ts';
import type { Role } from '../principal.ts';

/** A long-lived credential for servers (CloudFlow's `X-API-Key`). Only a hash of the secret is stored. */
export interface ApiKey {
  readonly id: string;
  readonly accountId: string;
  /** The user who created it; the key never has more rights than they had. */
  readonly userId: string;
  readonly role: Role;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly secretHash: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
}

const PREFIX = 'sk_';

/** `sk_<account id>.<key id>.<secret>`: the ids route the lookup to one item; only the secret is secret. */
export function formatApiKey(accountId: string, keyId: string, secret: string): string {
  return `${PREFIX}${accountId}.${keyId}.${secret}`;
}

/** The non-secret part, safe to list and log. */
export function apiKeyPrefix(accountId: string, keyId: string): string {
  return `${PREFIX}${accountId}.${keyId}`;
}

export function parseApiKey(value: string): { accountId: string; keyId: string; secret: string } | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const [accountId, keyId, secret, ...rest] = value.slice(PREFIX.length).split('.');
  if (!accountId || !keyId || !secret || rest.length > 0) return undefined;
  return { accountId, keyId, secret };
}

export const newApiKeySecret = () => randomBytes(32).toString('base64url');
export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKeySecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
