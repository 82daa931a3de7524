import { createLocalJWKSet, errors as joseErrors, importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { unauthorized } from '../../core/errors.ts';
import type { AccessTokenIssuer, AccessTokenVerifier, IssuedToken } from '../../core/auth/ports.ts';
import type { AuthMethod, Principal, Role } from '../../core/principal.ts';
import { SCOPES, type Scope } from '../../../lib/definitions/scopes.ts';
import { SIGNING_ALG, type PublicKeySet, type SigningKeySource } from './signing-keys.ts';

/** Access tokens are short-lived by design: revocation and refresh come from sessions, not long expiries. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** The order of P-256: (r, s) and (r, n − s) both verify, so only the low-s form is accepted. */
const P256_ORDER = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const HALF_ORDER = P256_ORDER >> 1n;
const SIGNATURE_BYTES = 64;

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/**
 * ES256 signatures are malleable: anyone can turn a valid token into a second valid token with
 * another signature. Tokens are issued in the canonical low-s form (s ≤ n/2, as Bitcoin's BIP 62
 * and most JOSE hardening guides require) and any other form is refused, so a token has exactly
 * one valid encoding.
 */
export function toLowS(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature ?? '', 'base64url');
  if (bytes.length !== SIGNATURE_BYTES) return token;
  const s = toBigInt(bytes.subarray(32));
  if (s <= HALF_ORDER) return token;
  const low = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
  return `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), low]).toString('base64url')}`;
}

export function hasCanonicalSignature(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const bytes = Buffer.from(parts[2]!, 'base64url');
  // base64url round trip: no padding, no stray characters, exactly r || s.
  if (bytes.length !== SIGNATURE_BYTES || bytes.toString('base64url') !== parts[2]) return false;
  const s = toBigInt(bytes.subarray(32));
  return s > 0n && s <= HALF_ORDER;
}

interface AccessClaims extends JWTPayload {
  acct: string;
  role: Role;
  scope: string;
  amr: AuthMethod;
  cid: string;
  plan: Principal['plan'];
  token_use: 'access';
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  now?: () => Date;
}

/** Issues and verifies ES256 access tokens. The algorithm is pinned: `none`, HS* and RS* are refused. */
export class JwtTokenService implements AccessTokenIssuer, AccessTokenVerifier {
  private readonly now: () => Date;

  /** The verifier of the last key set seen: jose keeps each key it imported, so a request does not import it again. */
  private verifier: { set: PublicKeySet; keys: string; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;

  constructor(
    private readonly keys: SigningKeySource,
    private readonly settings: TokenSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
  }

  /**
   * The same verifier while the key set is the same; a rotated set gets a new one. The AWS source
   * hands back the very object it cached, so the comparison by content is only for sources that
   * build the set anew (local mode's file).
   */
  private keySet(set: PublicKeySet): ReturnType<typeof createLocalJWKSet> {
    if (this.verifier?.set === set) return this.verifier.jwks;
    const keys = JSON.stringify(set);
    this.verifier = { set, keys, jwks: this.verifier?.keys === keys ? this.verifier.jwks : createLocalJWKSet(set) };
    return this.verifier.jwks;
  }

  async issueAccessToken(principal: Principal): Promise<IssuedToken> {
    const { kid, privateJwk } = await this.keys.signingKey();
    const key = await importJWK(privateJwk, SIGNING_ALG);
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
    const claims: AccessClaims = {
      acct: principal.accountId,
      role: principal.role,
      scope: principal.scopes.join(' '),
      amr: principal.authMethod,
      cid: principal.credentialId,
      plan: principal.plan,
      token_use: 'access',
    };
    const builder = new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(`${principal.credentialId}.${issuedAt}`);
    const token = toLowS(await (principal.userId ? builder.setSubject(principal.userId) : builder).sign(key));
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  async verifyAccessToken(token: string): Promise<Principal> {
    const payload = await this.verify(token);
    if (payload.token_use !== 'access' || typeof payload.acct !== 'string' || typeof payload.cid !== 'string') {
      throw unauthorized('The token is not an access token');
    }
    return {
      accountId: payload.acct,
      userId: payload.sub,
      role: payload.role,
      scopes: payload.scope.split(' ').filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
      authMethod: payload.amr,
      credentialId: payload.cid,
      plan: payload.plan === 'enterprise' ? 'enterprise' : 'free',
    };
  }

  private async verify(token: string): Promise<AccessClaims> {
    if (!hasCanonicalSignature(token)) throw unauthorized('The access token is invalid');
    const options = {
      algorithms: [SIGNING_ALG],
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      requiredClaims: ['exp', 'iat'],
      currentDate: this.now(),
    };
    try {
      try {
        return (await jwtVerify<AccessClaims>(token, this.keySet(await this.keys.publicKeys()), options)).payload;
      } catch (error) {
        // A kid we have not seen may be a freshly rotated key: re-read the key set once.
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        return (await jwtVerify<AccessClaims>(token, this.keySet(await this.keys.publicKeys(true)), options)).payload;
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthorized('The access token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthorized('The access token is invalid');
      throw error;
    }
  }
}
