import { describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

describe('auth (end to end)', () => {
  it('registers with the Behflow body, logs in on both paths and reads /me with a bare or Bearer token', async () => {
    const anon = api();
    const username = `jdoe${Date.now().toString(36)}`;
    const reg = await anon.post('/register', { username, password: 'securepass123', name: 'John', lastname: 'Doe', email: `${username}@example.com` });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ username, name: 'John', lastname: 'Doe', email: `${username}@example.com`, role: 'admin' });
    expect(reg.body.user_id).toMatch(/^usr_/);
    expect(reg.body.account_id).toMatch(/^acct_/);
    expect(reg.body).not.toHaveProperty('password');
    expect(reg.body).not.toHaveProperty('password_hash');

    // FlowRunner logs in with the email in `username`.
    const login = await anon.post('/api/v1/auth/login', { username: `${username}@example.com`, password: 'securepass123' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ account_id: reg.body.account_id, token_type: 'Bearer', user: { user_id: reg.body.user_id, username } });
    const expiresIn = (Date.parse(login.body.expires_at) - Date.now()) / 1000;
    expect(expiresIn).toBeGreaterThan(800);
    expect(expiresIn).toBeLessThanOrEqual(900);

    const bare = await anon.get('/me', { Authorization: login.body.token });
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ user_id: reg.body.user_id, username, name: 'John', lastname: 'Doe' });
    const bearer = await api(login.body.token).get('/api/v1/me');
    expect(bearer.body.user_id).toBe(reg.body.user_id);

    const alias = await anon.post('/login', { username, password: 'securepass123' });
    expect(alias.status).toBe(200);
  });

  it('refuses a duplicate username or email with 409 naming the field', async () => {
    const { username } = await newAccount('dup');
    const again = await api().post('/api/v1/auth/register', { username: username.toUpperCase(), password: 'another-password' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', field: 'username' });

    const email = `${username}@mail.test`;
    const first = await api().post('/api/v1/auth/register', { username: `${username}x`, email, password: 'another-password' });
    expect(first.status).toBe(201);
    const second = await api().post('/api/v1/auth/register', { username: `${username}y`, email, password: 'another-password' });
    expect(second.status).toBe(409);
    expect(second.body.error.field).toBe('email');
  });

  it('rejects wrong passwords and unknown users with the same 401', async () => {
    const { username } = await newAccount('pw');
    const wrong = await api().post('/api/v1/auth/login', { username, password: 'not-the-password' });
    const unknown = await api().post('/api/v1/auth/login', { username: `${username}nobody`, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('validates registration input', async () => {
    const short = await api().post('/api/v1/auth/register', { username: 'someone', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'validation_error', field: 'password' });
    const none = await api().post('/api/v1/auth/register', { password: 'long-enough-password' });
    expect(none.body.error).toMatchObject({ code: 'validation_error', field: 'username' });
    const extra = await api().post('/api/v1/auth/register', { username: 'someone', password: 'long-enough-password', role: 'platform_admin' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.field).toBe('role');
  });

  it('rejects missing, malformed and tampered tokens with 401', async () => {
    const { token } = await newAccount('tok');
    expect((await api().get('/api/v1/me')).status).toBe(401);
    expect((await api('not-a-jwt').get('/api/v1/me')).status).toBe(401);
    const [h, p] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'platform_admin' })).toString('base64url');
    expect((await api(`${h}.${forged}.${token.split('.')[2]}`).get('/api/v1/me')).status).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const res = await api(none).get('/api/v1/tasks');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
  });
});
