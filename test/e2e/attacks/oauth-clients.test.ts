import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, clientCredentials, form, jwtBearerClient, newAccount, PASSWORD, type Account } from './support.ts';

const tokenEndpoint = (params: Record<string, string>) => form(api().baseUrl, '/oauth/token', params);

/** Issue 13 #5 (High): a client never acts with more than its owner may do now. */
describe('issue 13 #5 (High): OAuth clients are bounded by their owner’s current role', () => {
  let owner: Account;
  let admin: Awaited<ReturnType<typeof addUser>>;

  beforeAll(async () => {
    owner = await newAccount('oauthown');
  });

  it('a client_credentials client of an admin demoted to viewer mints only read scopes, and its earlier token stops working', async () => {
    admin = await addUser(owner, 'admin');
    const client = await clientCredentials(admin.client, ['admin:full']);
    const before = client.token;
    expect((await api(before).get('/api/v1/users')).status).toBe(200);

    expect((await owner.client.patch(`/api/v1/users/${admin.id}`, { role: 'viewer' })).status).toBe(200);

    // Minted before the demotion: refused at once rather than when it expires.
    const stale = await api(before).post('/api/v1/users', { email: `escalate${Date.now()}@example.com`, password: PASSWORD, role: 'admin' });
    expect([401, 403]).toContain(stale.status);
    const fresh = await tokenEndpoint({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret });
    expect(fresh.status).toBe(200);
    expect(fresh.body.scope.split(' ')).not.toContain('admin:full');
    expect(fresh.body.scope.split(' ').filter((s: string) => s.endsWith(':write'))).toEqual([]);
    const created = await api(fresh.body.access_token).post('/api/v1/users', { email: `escalate${Date.now()}@example.com`, password: PASSWORD, role: 'admin' });
    expect(created.status).toBe(403);
    expect((await api(fresh.body.access_token).get('/api/v1/tasks')).status).toBe(200);
    expect((await tokenEndpoint({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: 'admin:full' })).body.error).toBe('invalid_scope');
  });

  it('a jwt-bearer client of a demoted admin cannot assert the account owner to create admins', async () => {
    const maker = await addUser(owner, 'admin');
    const bearer = await jwtBearerClient(maker.client, ['admin:full']);
    expect((await owner.client.patch(`/api/v1/users/${maker.id}`, { role: 'member' })).status).toBe(200);
    const asOwner = await bearer.grant(await bearer.assertion({ sub: owner.userId, scope: 'admin:full' }));
    expect(asOwner.body.error).toBe('invalid_scope');
    const partly = await bearer.grant(await bearer.assertion({ sub: owner.userId, scope: 'tasks:write admin:full' }));
    expect(partly.status).toBe(200);
    expect(partly.body.scope).toBe('tasks:write');
    expect((await api(partly.body.access_token).post('/api/v1/users', { email: `jb${Date.now()}@example.com`, password: PASSWORD, role: 'admin' })).status).toBe(403);
    const asClient = await bearer.grant(await bearer.assertion({ scope: 'tasks:read tasks:write' }));
    expect(asClient.status).toBe(200);
    expect(asClient.body.scope).toBe('tasks:read tasks:write');
  });

  it('a client whose owner was deleted mints nothing, and its tokens stop working', async () => {
    const maker = await addUser(owner, 'admin');
    const client = await clientCredentials(maker.client, ['admin:full']);
    expect((await owner.client.delete(`/api/v1/users/${maker.id}`)).status).toBe(204);
    const minted = await tokenEndpoint({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret });
    expect(minted.status).toBe(401);
    expect(minted.body.error).toBe('invalid_client');
    expect((await api(client.token).get('/api/v1/users')).status).toBe(401);
  });

  it('a client whose owner was deactivated mints nothing until reactivated', async () => {
    const maker = await addUser(owner, 'admin');
    const client = await clientCredentials(maker.client, ['tasks:read']);
    expect((await owner.client.patch(`/api/v1/users/${maker.id}`, { active: false })).status).toBe(200);
    expect((await tokenEndpoint({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })).body.error).toBe('invalid_client');
    expect((await api(client.token).get('/api/v1/tasks')).status).toBe(401);
    expect((await owner.client.patch(`/api/v1/users/${maker.id}`, { active: true })).status).toBe(200);
    expect((await tokenEndpoint({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })).status).toBe(200);
  });
});

/** Issue 13 #6 (Medium): deleting a client ends the sessions users granted it. */
describe('issue 13 #6 (Medium): deleting an OAuth client ends its authorization-code sessions', () => {
  it('its access tokens and refresh tokens stop working at once, through both refresh endpoints', async () => {
    const admin = await newAccount('oauthdel');
    const redirect = 'https://app.example.com/callback';
    const { body: client } = await admin.client.post('/api/v1/oauth/clients', {
      name: 'web app', scopes: ['tasks:read', 'tasks:write'], grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [redirect],
    });
    const session = async () => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const { body: granted } = await admin.client.post('/api/v1/oauth/authorize', {
        response_type: 'code', client_id: client.client_id, redirect_uri: redirect, scope: 'tasks:read', code_challenge: challenge, code_challenge_method: 'S256',
      });
      const tokens = await tokenEndpoint({ grant_type: 'authorization_code', code: granted.code, redirect_uri: redirect, client_id: client.client_id, client_secret: client.client_secret, code_verifier: verifier });
      expect(tokens.status).toBe(200);
      return tokens.body as { access_token: string; refresh_token: string };
    };
    const first = await session();
    const second = await session();
    expect((await api(first.access_token).get('/api/v1/tasks')).status).toBe(200);

    expect((await admin.client.delete(`/api/v1/oauth/clients/${client.client_id}`)).status).toBe(204);

    expect((await api(first.access_token).get('/api/v1/tasks')).status).toBe(401);
    const viaOAuth = await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(viaOAuth.body.error).toBe('invalid_grant');
    const viaAuth = await api().post('/api/v1/auth/refresh', { refresh_token: second.refresh_token });
    expect(viaAuth.status).toBe(401);
    // The user's own session is untouched.
    expect((await admin.client.get('/api/v1/tasks')).status).toBe(200);
  });
});
