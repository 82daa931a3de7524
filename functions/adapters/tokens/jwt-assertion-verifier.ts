import { importJWK, jwtVerify, type JWK } from 'jose';
import type { AssertionClaims, AssertionVerifier } from '../../core/oauth/ports.ts';

/**
 * jwt-bearer assertions are RS256 only (CloudFlow), verified with the client's registered public
 * key. iss, sub, aud, iat and exp are all required; lifetime rules are the service's.
 */
export class JoseAssertionVerifier implements AssertionVerifier {
  async verify(assertion: string, publicJwk: Record<string, unknown>, audience: readonly string[]): Promise<AssertionClaims> {
    const key = await importJWK(publicJwk as JWK, 'RS256');
    const { payload } = await jwtVerify(assertion, key, {
      algorithms: ['RS256'],
      audience: [...audience],
      requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp'],
      clockTolerance: 60,
    });
    return {
      iss: String(payload.iss),
      sub: String(payload.sub),
      aud: payload.aud!,
      iat: payload.iat!,
      exp: payload.exp!,
      scope: typeof payload.scope === 'string' ? payload.scope : undefined,
      jti: payload.jti,
    };
  }
}
