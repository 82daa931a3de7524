import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ulid } from 'ulid';

export const SIGNING_ALG = 'ES256';

/** Shape of the signing-key secret (AWS) and of the local key file: newest key first. */
export interface SigningKeyFile {
  keys: { kid: string; alg: typeof SIGNING_ALG; privateJwk: JWK; created_at: string }[];
}

export interface PublicKeySet {
  keys: JWK[];
}

/** Where signing keys come from: Secrets Manager on AWS, a file under the data dir locally. */
export interface SigningKeySource {
  /** The newest private key; only credential-issuing functions can read it. */
  signingKey(): Promise<{ kid: string; privateJwk: JWK }>;
  /** Public keys for verification. `refresh` bypasses caches after an unknown `kid`. */
  publicKeys(refresh?: boolean): Promise<PublicKeySet>;
}

export async function generateSigningKey(now = new Date()): Promise<SigningKeyFile['keys'][number]> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { kid: ulid(now.getTime()), alg: SIGNING_ALG, privateJwk, created_at: now.toISOString() };
}

/** Drops the private part (`d`) and labels the key for JWKS consumers. */
export function publicJwk(key: SigningKeyFile['keys'][number]): JWK {
  const { d: _private, ...rest } = key.privateJwk;
  return { ...rest, kid: key.kid, alg: key.alg, use: 'sig' };
}
