import { describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';
import { FAILURE_WINDOW_SECONDS } from '../../functions/core/auth/login-policy.ts';

describe('sessions (end to end)', () => {
  it('login returns a refresh token; refresh rotates it (body or Bearer) and reuse ends the session', async () => {
    const { username, password } = await newAccount('sess');
    const login = await api().post('/api/v1/auth/login', { username, password });
    expect(login.body.refresh_token).toMatch(/^rt_/);
    const r1 = await api().post('/api/v1/auth/refresh', { refresh_token: login.body.refresh_token });
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ account_id: login.body.account_id, user: { username } });
    expect(r1.body.refresh_token).not.toBe(login.body.refresh_token);
    // FlowRunner: Bearer refresh token, no body.
    const r2 = await api().post('/api/v1/auth/refresh', undefined, { Authorization: `Bearer ${r1.body.refresh_token}` });
    expect(r2.status).toBe(200);
    expect((await api(r2.body.token).get('/api/v1/me')).status).toBe(200);

    // Reusing a rotated token revokes the family, including access tokens issued from it.
    const reuse = await api().post('/api/v1/auth/refresh', { refresh_token: login.body.refresh_token });
    expect(reuse.status).toBe(401);
    expect((await api(r2.body.token).get('/api/v1/me')).status).toBe(401);
    expect((await api(login.body.token).get('/api/v1/tasks')).status).toBe(401);
    expect((await api().post('/api/v1/auth/refresh', { refresh_token: r2.body.refresh_token })).status).toBe(401);
  });

  it('logout stops the access token at once and only that session', async () => {
    const { username, password, token: other } = await newAccount('logout');
    const { body } = await api().post('/api/v1/auth/login', { username, password });
    expect((await api(body.token).get('/api/v1/tasks')).status).toBe(200);
    const out = await api(body.token).post('/api/v1/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ message: 'Logged out successfully' });
    expect((await api(body.token).get('/api/v1/tasks')).status).toBe(401);
    expect((await api().post('/api/v1/auth/refresh', { refresh_token: body.refresh_token })).status).toBe(401);
    expect((await api(other).get('/api/v1/tasks')).status).toBe(200);
  });

  it('refuses a refresh without a token, naming the field', async () => {
    const res = await api().post('/api/v1/auth/refresh', {});
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('refresh_token');
  });

  it('slows repeated failed logins and then refuses them with 429 and Retry-After', async () => {
    const { username } = await newAccount('lock');
    // Failures count in fixed windows (functions/adapters/dynamodb/login-failures.ts); the slowed
    // attempts take about 20 s, so start in a window that outlasts them, not one about to close.
    const toBoundary = FAILURE_WINDOW_SECONDS * 1000 - (Date.now() % (FAILURE_WINDOW_SECONDS * 1000));
    if (toBoundary < 45_000) await new Promise((r) => setTimeout(r, toBoundary + 1_000));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = await api().post('/api/v1/auth/login', { username, password: `wrong-${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(last!.body.error).toMatchObject({ code: 'rate_limit_exceeded', retry_after: expect.any(Number) });
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.error.message).toMatch(/too many failed login attempts/i);
  }, 110_000);
});
