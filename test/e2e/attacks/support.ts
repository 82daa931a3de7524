import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { api, apiAt, newAccount } from '../../support/api-client.ts';

/**
 * Credentials an attacker can hold, built the way a client builds them (issue 13's attack suite):
 * narrowed API keys, client_credentials tokens and jwt-bearer tokens of one admin's account.
 */
export type Account = Awaited<ReturnType<typeof newAccount>>;
export type Client = ReturnType<typeof apiAt>;

export const PASSWORD = 'correct horse battery staple';

/** `POST` a form to `path` (the token endpoint speaks application/x-www-form-urlencoded). */
export async function form(baseUrl: string, path: string, params: Record<string, string>) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** An admin-created user of `role` in the admin's account, signed in. */
export async function addUser(admin: Account, role: 'admin' | 'member' | 'viewer', baseUrl = admin.client.baseUrl) {
  const email = `${unique(role)}@example.com`;
  const created = await admin.client.post('/api/v1/users', { email, password: PASSWORD, role });
  if (created.status !== 201) throw new Error(`create ${role}: ${created.status} ${created.text}`);
  const login = await apiAt(baseUrl).post('/api/v1/auth/login', { username: email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login ${role}: ${login.status} ${login.text}`);
  return { id: created.body.id as string, email, token: login.body.token as string, client: apiAt(baseUrl, login.body.token) };
}

/** An API key of the signed-in caller, as a client that sends it as X-API-Key. */
export async function apiKey(owner: Client, scopes: string[]): Promise<{ id: string; key: string; client: Client }> {
  const created = await owner.post('/api/v1/api-keys', { name: unique('key'), scopes });
  if (created.status !== 201) throw new Error(`create key: ${created.status} ${created.text}`);
  const key = created.body.key as string;
  return { id: created.body.id, key, client: withApiKey(owner.baseUrl, key) };
}

export function withApiKey(baseUrl: string, key: string): Client {
  const plain = apiAt(baseUrl);
  const headers = (h?: Record<string, string>) => ({ 'X-API-Key': key, ...h });
  return {
    ...plain,
    get: (path, h) => plain.get(path, headers(h)),
    post: (path, body, h) => plain.post(path, body, headers(h)),
    put: (path, body, h) => plain.put(path, body, headers(h)),
    patch: (path, body, h) => plain.patch(path, body, headers(h)),
    delete: (path, h) => plain.delete(path, headers(h)),
    raw: (method, path, body, h) => plain.raw(method, path, body, headers(h)),
  };
}

/** A client_credentials client of the admin with `scopes`, and a token it minted. */
export async function clientCredentials(admin: Client, scopes: string[]) {
  const { body: client, status, text } = await admin.post('/api/v1/oauth/clients', { name: unique('cc'), scopes });
  if (status !== 201) throw new Error(`create client: ${status} ${text}`);
  const token = await form(admin.baseUrl, '/oauth/token', { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret });
  return { clientId: client.client_id as string, secret: client.client_secret as string, token: token.body.access_token as string, response: token };
}

/** A jwt-bearer client of the admin, and a signer for its assertions. */
export async function jwtBearerClient(admin: Client, scopes: string[]) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const { body: client, status, text } = await admin.post('/api/v1/oauth/clients', {
    name: unique('jb'),
    scopes,
    grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
    public_jwk: await exportJWK(publicKey),
  });
  if (status !== 201) throw new Error(`create jwt-bearer client: ${status} ${text}`);
  const clientId = client.client_id as string;
  const assertion = (claims: { sub?: string; scope?: string; jti?: string; ttl?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ scope: claims.scope ?? scopes.join(' '), ...(claims.jti ? { jti: claims.jti } : {}) })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(clientId)
      .setSubject(claims.sub ?? clientId)
      .setAudience('urn:stepwise:api')
      .setIssuedAt(now)
      .setExpirationTime(now + (claims.ttl ?? 300));
    return jwt.sign(privateKey);
  };
  const grant = async (a: string) => form(admin.baseUrl, '/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a });
  return { clientId, assertion, grant };
}

export { api, apiAt, newAccount };
