import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtTokenService } from '../../../../functions/adapters/tokens/jwt-token-service.ts';
import { generateSigningKey, publicJwk, type SigningKeyFile, type SigningKeySource } from '../../../../functions/adapters/tokens/signing-keys.ts';
import { principal } from '../../../support/fakes.ts';

const settings = { issuer: 'urn:stepwise:test', audience: 'urn:stepwise:api' };

class MemoryKeys implements SigningKeySource {
  refreshes = 0;
  constructor(public file: SigningKeyFile, public published: JWK[] = file.keys.map(publicJwk)) {}
  async signingKey() {
    const k = this.file.keys[0]!;
    return { kid: k.kid, privateJwk: k.privateJwk };
  }
  async publicKeys(refresh = false) {
    if (refresh) this.refreshes++;
    return { keys: this.published };
  }
}

describe('JwtTokenService', () => {
  let keys: MemoryKeys;
  let service: JwtTokenService;
  let token: string;

  beforeAll(async () => {
    keys = new MemoryKeys({ keys: [await generateSigningKey()] });
    service = new JwtTokenService(keys, settings);
    token = (await service.issueAccessToken(principal())).token;
  });

  const payload = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());

  it('round-trips a principal through an ES256 access token that lives 15 minutes', async () => {
    const claims = payload(token);
    expect(claims.exp - claims.iat).toBe(900);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: keys.file.keys[0]!.kid });
    expect(await service.verifyAccessToken(token)).toEqual(principal());
  });

  it('rejects alg none', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`;
    await expect(service.verifyAccessToken(none)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const pub = keys.published[0]!;
    const secret = new TextEncoder().encode(JSON.stringify(pub));
    const forged = await new SignJWT(payload(token)).setProtectedHeader({ alg: 'HS256', kid: pub.kid! }).sign(secret);
    await expect(service.verifyAccessToken(forged)).rejects.toMatchObject({ code: 'unauthorized' });
    const { publicKey } = await generateKeyPair('ES256');
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    const forgedPem = await new SignJWT(payload(token)).setProtectedHeader({ alg: 'HS256', kid: pub.kid! }).sign(pem);
    await expect(service.verifyAccessToken(forgedPem)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects a token signed by an unknown key, after re-reading the key set once', async () => {
    const stranger = await generateSigningKey();
    const other = new JwtTokenService(new MemoryKeys({ keys: [{ ...stranger, kid: keys.file.keys[0]!.kid }] }), settings);
    const foreign = (await other.issueAccessToken(principal())).token;
    await expect(service.verifyAccessToken(foreign)).rejects.toMatchObject({ code: 'unauthorized' });
    const unknownKid = (await new JwtTokenService(new MemoryKeys({ keys: [stranger] }), settings).issueAccessToken(principal())).token;
    const before = keys.refreshes;
    await expect(service.verifyAccessToken(unknownKid)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(keys.refreshes).toBe(before + 1);
  });

  it('accepts a freshly rotated key once the key set is re-read', async () => {
    const rotated = await generateSigningKey();
    const signer = new JwtTokenService(new MemoryKeys({ keys: [rotated, ...keys.file.keys] }), settings);
    const fresh = (await signer.issueAccessToken(principal())).token;
    const verifierKeys = new MemoryKeys(keys.file);
    const verifier = new JwtTokenService(verifierKeys, settings);
    verifierKeys.published = [...keys.published];
    const original = verifierKeys.publicKeys.bind(verifierKeys);
    verifierKeys.publicKeys = async (refresh = false) => (refresh ? { keys: [publicJwk(rotated), ...keys.published] } : original(false));
    expect((await verifier.verifyAccessToken(fresh)).accountId).toBe(principal().accountId);
  });

  it('follows the key set it is given: the verifier kept between requests never outlives a key taken out of the set', async () => {
    const own = new MemoryKeys({ keys: [await generateSigningKey()] });
    const verifier = new JwtTokenService(own, settings);
    const signed = (await verifier.issueAccessToken(principal())).token;
    // A new set object with the same keys (local mode reads its file each time) keeps verifying.
    for (let i = 0; i < 3; i++) {
      own.published = own.file.keys.map(publicJwk);
      expect((await verifier.verifyAccessToken(signed)).accountId).toBe(principal().accountId);
    }
    own.published = [publicJwk(await generateSigningKey())];
    await expect(verifier.verifyAccessToken(signed)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it.each([
    ['wrong audience', { ...settings, audience: 'urn:other' }],
    ['wrong issuer', { ...settings, issuer: 'urn:evil' }],
  ])('rejects a token with the %s', async (_name, other) => {
    const bad = (await new JwtTokenService(keys, other).issueAccessToken(principal())).token;
    await expect(service.verifyAccessToken(bad)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects an expired token with a message that says so', async () => {
    const past = new JwtTokenService(keys, { ...settings, now: () => new Date(Date.now() - 16 * 60 * 1000) });
    const expired = (await past.issueAccessToken(principal())).token;
    await expect(service.verifyAccessToken(expired)).rejects.toMatchObject({ code: 'unauthorized', message: 'The access token has expired' });
  });

  it('rejects a validly signed token that is not an access token', async () => {
    const { privateJwk, kid } = await keys.signingKey();
    const { importJWK } = await import('jose');
    const key = await importJWK(privateJwk, 'ES256');
    const refresh = await new SignJWT({ ...payload(token), token_use: 'refresh' }).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
    await expect(service.verifyAccessToken(refresh)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('never publishes the private part of a key', async () => {
    const jwk = publicJwk(keys.file.keys[0]!);
    expect(jwk).not.toHaveProperty('d');
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(await exportJWK((await generateKeyPair('ES256')).publicKey)).not.toHaveProperty('d');
  });

  describe('issue 13 #15 (Low): one valid encoding per token (low-s ECDSA)', () => {
    const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const sOf = (t: string) => BigInt(`0x${Buffer.from(t.split('.')[2]!, 'base64url').subarray(32).toString('hex')}`);
    const withS = (t: string, s: bigint) => {
      const [h, p, sig] = t.split('.');
      const bytes = Buffer.from(sig!, 'base64url');
      return `${h}.${p}.${Buffer.concat([bytes.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]).toString('base64url')}`;
    };

    it('issues every token with s ≤ n/2, and refuses the (r, n − s) twin that verifies mathematically', async () => {
      const tokens = await Promise.all(Array.from({ length: 24 }, () => service.issueAccessToken(principal())));
      for (const { token: t } of tokens) {
        expect(sOf(t) <= N / 2n).toBe(true);
        await expect(service.verifyAccessToken(withS(t, N - sOf(t)))).rejects.toMatchObject({ code: 'unauthorized' });
        expect(await service.verifyAccessToken(t)).toEqual(principal());
      }
    });

    it('refuses signatures that are not exactly r || s in canonical base64url', async () => {
      const [h, p, sig] = token.split('.');
      await expect(service.verifyAccessToken(`${h}.${p}.${sig}=`)).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(service.verifyAccessToken(`${h}.${p}.${sig}AA`)).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(service.verifyAccessToken(withS(token, 0n))).rejects.toMatchObject({ code: 'unauthorized' });
    });
  });
});
