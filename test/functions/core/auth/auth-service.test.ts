import { describe, expect, it, vi } from 'vitest';
import { AuthService } from '../../../../functions/core/auth/auth-service.ts';
import type { AccessTokenIssuer, FailureWindow, LoginFailures, PasswordHasher, SessionStore } from '../../../../functions/core/auth/ports.ts';
import type { Session } from '../../../../functions/core/auth/session.ts';
import { fixedClock, MemoryIdentities, principal } from '../../../support/fakes.ts';

const hasher: PasswordHasher = {
  hash: async (p) => `h(${p})`,
  verify: vi.fn(async (p: string, stored: string) => stored === `h(${p})`),
};
const tokens: AccessTokenIssuer = {
  issueAccessToken: vi.fn(async () => ({ token: 'jwt', expiresAt: new Date('2026-01-01T00:15:00Z') })),
};

class MemorySessions implements SessionStore {
  items = new Map<string, Session>();
  async create(s: Session) {
    this.items.set(s.id, s);
  }
  async get(_a: string, id: string) {
    return this.items.get(id);
  }
  async rotate(s: Session, next: string) {
    const cur = this.items.get(s.id);
    if (!cur || cur.refreshHash !== s.refreshHash || cur.status !== 'active') return false;
    this.items.set(s.id, { ...cur, refreshHash: next, usedHashes: [cur.refreshHash, ...cur.usedHashes] });
    return true;
  }
  async revoke(_a: string, id: string, reason: string) {
    const cur = this.items.get(id);
    if (cur) this.items.set(id, { ...cur, status: 'revoked', revokedReason: reason });
  }
  async revokeAllForUser(_a: string, userId: string, reason: string) {
    for (const s of this.items.values()) if (s.userId === userId) await this.revoke('', s.id, reason);
  }
}

class MemoryFailures implements LoginFailures {
  counts = new Map<string, number>();
  resetAt = new Date('2026-01-01T00:15:00Z');
  window = (key: string): FailureWindow => ({ count: this.counts.get(key) ?? 0, resetAt: this.resetAt });
  async read(login: string, ip: string) {
    return { login: this.window(`l:${login}`), ip: this.window(`i:${ip}`) };
  }
  async record(login: string, ip: string) {
    for (const k of [`l:${login}`, `i:${ip}`]) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  async reset(login: string) {
    this.counts.delete(`l:${login}`);
  }
}

function setup(clients: Set<string> = new Set()) {
  const identities = new MemoryIdentities();
  const sessions = new MemorySessions();
  const failures = new MemoryFailures();
  const sleep = vi.fn(async (_ms: number) => undefined);
  const clientExists = async (_a: string, id: string) => clients.has(id);
  const service = new AuthService({ identities, hasher, tokens, sessions, failures, clock: fixedClock(), sleep, clientExists });
  return { identities, sessions, failures, sleep, service };
}

describe('AuthService', () => {
  it('registers an account with its first user as admin, normalising login names', async () => {
    const { service, identities } = setup();
    const { user, account } = await service.register({ username: 'JohnDoe', email: 'John@Example.com', password: 'securepass123', name: 'John', lastname: 'Doe' });
    expect(user).toMatchObject({ username: 'johndoe', email: 'john@example.com', role: 'admin', active: true, accountId: account.id, passwordHash: 'h(securepass123)' });
    expect(account).toMatchObject({ plan: 'free', name: "John's account" });
    expect(identities.accounts.get(account.id)).toBeDefined();
  });

  it('uses the email as username when only an email is given', async () => {
    const { service } = setup();
    const { user } = await service.register({ email: 'solo@example.com', password: 'securepass123' });
    expect(user.username).toBe('solo@example.com');
  });

  it('logs in by username or email and issues a token for a password principal', async () => {
    const { service } = setup();
    const { user, account } = await service.register({ username: 'amy', email: 'amy@example.com', password: 'pw-123456' });
    const byEmail = await service.login('AMY@example.com', 'pw-123456', '10.0.0.1');
    expect(byEmail.user.id).toBe(user.id);
    expect(byEmail.account.id).toBe(account.id);
    expect(tokens.issueAccessToken).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: account.id, userId: user.id, role: 'admin', authMethod: 'password', credentialId: expect.stringMatching(/^ses_/) }),
    );
  });

  it('fails unknown users and wrong passwords identically, still spending a hash verification', async () => {
    const { service } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    vi.mocked(hasher.verify).mockClear();
    await expect(service.login('amy', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthorized', message: 'Invalid username or password' });
    await expect(service.login('nobody', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthorized', message: 'Invalid username or password' });
    expect(hasher.verify).toHaveBeenCalledTimes(2);
  });

  it('propagates the conflict naming the taken field', async () => {
    const { service } = setup();
    await service.register({ username: 'amy', email: 'a@x.io', password: 'pw-123456' });
    await expect(service.register({ username: 'amy', password: 'pw-123456' })).rejects.toMatchObject({ code: 'conflict', field: 'username' });
    await expect(service.register({ username: 'bea', email: 'A@x.io', password: 'pw-123456' })).rejects.toMatchObject({ code: 'conflict', field: 'email' });
  });

  it('refuses inactive users at login and at /me', async () => {
    const { service, identities } = setup();
    const { user } = await service.register({ username: 'gone', password: 'pw-123456' });
    identities.users.set(user.id, { ...user, active: false });
    identities.logins.set('gone', { ...user, active: false });
    await expect(service.login('gone', 'pw-123456', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(service.me(principal({ accountId: user.accountId, userId: user.id }))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('issue 13 #15 (Low): counts failed logins per account identity, so the username and the email share one lockout', async () => {
    const { service, failures } = setup();
    const { user } = await service.register({ username: 'amy', email: 'amy@x.io', password: 'pw-123456' });
    for (let i = 0; i < 10; i++) await expect(service.login(i % 2 ? 'amy' : 'AMY@x.io', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(failures.counts.get(`l:user:${user.id}`)).toBe(10);
    await expect(service.login('amy', 'pw-123456', '10.0.0.1')).rejects.toMatchObject({ code: 'rate_limit_exceeded' });
    await expect(service.login('amy@x.io', 'pw-123456', '10.0.0.2')).rejects.toMatchObject({ code: 'rate_limit_exceeded' });
    // Unknown names are counted by name.
    await expect(service.login('nobody', 'x', '10.0.0.3')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(failures.counts.get('l:login:nobody')).toBe(1);
  });

  it('starts a session on login and rotates its refresh token on refresh', async () => {
    const { service, sessions } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    const first = await service.login('amy', 'pw-123456', '10.0.0.1');
    expect(first.refreshToken).toMatch(/^rt_acct_[0-9A-Z]{26}\.ses_[0-9A-Z]{26}\.[\w-]{43}$/);
    const session = [...sessions.items.values()][0]!;
    expect(session.refreshHash).not.toContain(first.refreshToken.split('.')[2]);
    const second = await service.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.username).toBe('amy');
    const third = await service.refresh(second.refreshToken);
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('issue 13 #6 (Medium): a session granted to a deleted OAuth client no longer refreshes, and ends', async () => {
    const clients = new Set(['acct.cli_app']);
    const { service, sessions } = setup(clients);
    const { user, account } = await service.register({ username: 'amy', password: 'pw-123456' });
    const granted = await service.startClientSession(user, account, 'acct.cli_app', ['tasks:read']);
    const next = await service.refresh(granted.refreshToken);
    clients.delete('acct.cli_app');
    await expect(service.refresh(next.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
    expect([...sessions.items.values()][0]).toMatchObject({ status: 'revoked', revokedReason: 'client_deleted' });
  });

  it('revokes the whole session when a rotated refresh token is reused', async () => {
    const { service, sessions } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    const first = await service.login('amy', 'pw-123456', '10.0.0.1');
    const second = await service.refresh(first.refreshToken);
    await expect(service.refresh(first.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
    expect([...sessions.items.values()][0]).toMatchObject({ status: 'revoked', revokedReason: 'refresh_token_reuse' });
    await expect(service.refresh(second.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects malformed, unknown and forged refresh tokens without revoking anything', async () => {
    const { service, sessions } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    const { refreshToken } = await service.login('amy', 'pw-123456', '10.0.0.1');
    for (const bad of ['nonsense', 'rt_a.b', `${refreshToken.slice(0, -2)}xx`, refreshToken.replace(/ses_\w+/, 'ses_01ARZ3NDEKTSV4RRFFQ69G5FAV')]) {
      await expect(service.refresh(bad)).rejects.toMatchObject({ code: 'unauthorized' });
    }
    expect([...sessions.items.values()][0]!.status).toBe('active');
  });

  it('ends the session on logout', async () => {
    const { service, sessions } = setup();
    const { user, account } = await service.register({ username: 'amy', password: 'pw-123456' });
    const { refreshToken } = await service.login('amy', 'pw-123456', '10.0.0.1');
    const session = [...sessions.items.values()][0]!;
    await service.logout(principal({ accountId: account.id, userId: user.id, credentialId: session.id }));
    expect(sessions.items.get(session.id)!.status).toBe('revoked');
    await expect(service.refresh(refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('slows down repeated failures, then refuses the login name with 429 and retry_after', async () => {
    const { service, sleep, failures } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    for (let i = 0; i < 10; i++) await expect(service.login('amy', 'nope', '10.0.0.9')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    const refused = await service.login('amy', 'pw-123456', '10.0.0.9').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'rate_limit_exceeded', status: 429, details: { retry_after: expect.any(Number) } });
    failures.counts.clear();
    expect((await service.login('amy', 'pw-123456', '10.0.0.9')).user.username).toBe('amy');
  });

  it('forgets failures after a successful login', async () => {
    const { service, failures } = setup();
    await service.register({ username: 'amy', password: 'pw-123456' });
    await expect(service.login('amy', 'nope', '10.0.0.9')).rejects.toMatchObject({ code: 'unauthorized' });
    await service.login('amy', 'pw-123456', '10.0.0.9');
    expect(failures.counts.get('l:amy')).toBeUndefined();
  });
});
