import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

type Admin = Awaited<ReturnType<typeof newAccount>>;

async function form(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${api().baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('OAuth 2.0 (end to end)', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = await newAccount('oauth');
  });

  it('client_credentials: form with Basic auth or JSON body; scopes bound the token', async () => {
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', { name: 'reporter', scopes: ['tasks:read', 'analytics:read'] });
    expect(client.client_secret).toMatch(/^cs_/);
    const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64');
    const viaForm = await form('/oauth/token', { grant_type: 'client_credentials', scope: 'tasks:read' }, { Authorization: `Basic ${basic}` });
    expect(viaForm.status).toBe(200);
    expect(viaForm.body).toMatchObject({ token_type: 'Bearer', scope: 'tasks:read', expires_in: expect.any(Number) });
    expect(viaForm.headers.get('cache-control')).toBe('no-store');
    const viaJson = await api().post('/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret });
    expect(viaJson.body.scope).toBe('tasks:read analytics:read');

    const token = viaForm.body.access_token;
    expect((await api(token).get('/api/v1/tasks')).status).toBe(200);
    expect((await api(token).post('/api/v1/tasks', { name: 'x' })).status).toBe(403);

    const listed = await admin.client.get('/api/v1/oauth/clients');
    expect(JSON.stringify(listed.body)).not.toContain(client.client_secret);
    expect((await admin.client.delete(`/api/v1/oauth/clients/${client.client_id}`)).status).toBe(204);
    expect((await api(token).get('/api/v1/tasks')).status).toBe(401);
  });

  it('answers token errors in RFC 6749’s shape', async () => {
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', { name: 'c', scopes: ['tasks:read'] });
    const badSecret = await form('/oauth/token', { grant_type: 'client_credentials', client_id: client.client_id, client_secret: 'cs_wrong' });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
    expect((await form('/oauth/token', { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await form('/oauth/token', {})).body.error).toBe('invalid_request');
    const scope = await form('/oauth/token', { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, scope: 'admin:full' });
    expect(scope.body.error).toBe('invalid_scope');
    const notAllowed = await form('/oauth/token', { grant_type: 'authorization_code', client_id: client.client_id, client_secret: client.client_secret, code: 'x', redirect_uri: 'https://a.io/cb', code_verifier: 'v' });
    expect(notAllowed.body.error).toBe('unauthorized_client');
  });

  it('authorization_code with PKCE S256, single-use codes, and rotating refresh tokens', async () => {
    const redirect = 'https://app.example.com/callback';
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', {
      name: 'web app', scopes: ['tasks:read', 'tasks:write'], grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [redirect],
    });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const approve = { response_type: 'code', client_id: client.client_id, redirect_uri: redirect, scope: 'tasks:read', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' };

    expect((await admin.client.post('/api/v1/oauth/authorize', { ...approve, redirect_uri: 'https://evil.example/cb' })).body.error.field).toBe('redirect_uri');
    expect((await admin.client.post('/api/v1/oauth/authorize', { ...approve, code_challenge_method: 'plain' })).status).toBe(400);
    expect((await api().post('/api/v1/oauth/authorize', approve)).status).toBe(401);

    const redirectRes = await fetch(`${api().baseUrl}/oauth/authorize?${new URLSearchParams(approve)}`, { headers: { Authorization: `Bearer ${admin.token}` }, redirect: 'manual' });
    expect(redirectRes.status).toBe(302);
    const location = new URL(redirectRes.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirect);
    expect(location.searchParams.get('state')).toBe('xyz');

    const { body: granted } = await admin.client.post('/api/v1/oauth/authorize', approve);
    const exchange = { grant_type: 'authorization_code', code: granted.code, redirect_uri: redirect, client_id: client.client_id, client_secret: client.client_secret, code_verifier: verifier };
    expect((await form('/oauth/token', { ...exchange, code_verifier: 'wrong-verifier' })).body.error).toBe('invalid_grant');
    // The failed attempt consumed the code: codes are single use whatever happens.
    expect((await form('/oauth/token', exchange)).body.error).toBe('invalid_grant');

    const { body: fresh } = await admin.client.post('/api/v1/oauth/authorize', approve);
    const tokens = await form('/oauth/token', { ...exchange, code: fresh.code });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ scope: 'tasks:read', refresh_token: expect.stringMatching(/^rt_/) });
    expect((await api(tokens.body.access_token).get('/api/v1/tasks')).status).toBe(200);
    expect((await api(tokens.body.access_token).post('/api/v1/tasks', { name: 'x' })).status).toBe(403);
    expect((await form('/oauth/token', { ...exchange, code: fresh.code })).body.error).toBe('invalid_grant');

    const refreshed = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('tasks:read');
    const reuse = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await api(refreshed.body.access_token).get('/api/v1/tasks')).status).toBe(401);
  });

  it('jwt-bearer: RS256 assertions from a registered key, CloudFlow’s claim rules', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', {
      name: 'service', scopes: ['workflows:read', 'workflows:write', 'tasks:read'], grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'], public_jwk: await exportJWK(publicKey),
    });
    const now = Math.floor(Date.now() / 1000);
    const assertion = (claims: Record<string, unknown>, ttl = 3600, alg: 'RS256' = 'RS256') =>
      new SignJWT({ scope: 'workflows:read tasks:read', ...claims })
        .setProtectedHeader({ alg })
        .setIssuer(client.client_id)
        .setSubject(String(claims.sub ?? client.client_id))
        .setAudience(String(claims.aud ?? 'urn:stepwise:api'))
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(privateKey);
    const grant = (a: string) => form('/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a });

    const ok = await grant(await assertion({}));
    expect(ok.status).toBe(200);
    expect(ok.body.scope).toBe('workflows:read tasks:read');
    expect((await api(ok.body.access_token).get('/api/v1/tasks')).status).toBe(200);

    const asUser = await grant(await assertion({ sub: admin.userId }));
    expect(asUser.status).toBe(200);
    expect((await api(asUser.body.access_token).get('/api/v1/me')).body.user_id).toBe(admin.userId);

    // A jti is spent by its first exchange (RFC 7523 §3), and then no longer works as a Bearer token either.
    const once = await assertion({ jti: 'grant-jti-1' });
    expect((await grant(once)).status).toBe(200);
    expect((await grant(once)).body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('jti') });
    expect((await api(once).get('/api/v1/workflows')).status).toBe(401);

    expect((await grant(await assertion({}, 3601))).body.error).toBe('invalid_grant');
    expect((await grant(await assertion({ aud: 'https://api.cloudflow.io' }))).body.error).toBe('invalid_grant');
    expect((await grant(await assertion({ sub: 'usr_01ARZ3NDEKTSV4RRFFQ69G5FAV' }))).body.error).toBe('invalid_grant');
    const hs = await new SignJWT({ scope: 'tasks:read' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(client.client_id).setSubject(client.client_id)
      .setAudience('urn:stepwise:api').setIssuedAt(now).setExpirationTime(now + 60).sign(new TextEncoder().encode(JSON.stringify(await exportJWK(publicKey))));
    expect((await grant(hs)).body.error).toBe('invalid_grant');
    const stranger = (await generateKeyPair('RS256')).privateKey;
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(client.client_id).setSubject(client.client_id)
      .setAudience('urn:stepwise:api').setIssuedAt(now).setExpirationTime(now + 60).sign(stranger);
    expect((await grant(forged)).body.error).toBe('invalid_grant');
  });

  it('publishes the JWKS that verifies its access tokens', async () => {
    const jwks = await api().get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(admin.token, createLocalJWKSet(jwks.body), { audience: 'urn:stepwise:api' });
    expect(payload.acct).toBe(admin.accountId);
  });
});
