import { describe, expect, it, vi } from 'vitest';
import { AuthService } from '../../../../functions/core/auth/auth-service.ts';
import type { Account, User } from '../../../../functions/core/auth/identity.ts';
import type { AccessTokenIssuer, IdentityRepository, PasswordHasher } from '../../../../functions/core/auth/ports.ts';
import { conflict } from '../../../../functions/core/errors.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';

class MemoryIdentities implements IdentityRepository {
  accounts = new Map<string, Account>();
  users = new Map<string, User>();
  logins = new Map<string, User>();
  async createAccountWithOwner(account: Account, owner: User) {
    for (const [field, value] of [['username', owner.username], ['email', owner.email]] as const) {
      if (value && this.logins.has(value)) throw conflict(`That ${field} is already registered`, field);
    }
    this.accounts.set(account.id, account);
    this.users.set(owner.id, owner);
    this.logins.set(owner.username, owner);
    if (owner.email) this.logins.set(owner.email, owner);
  }
  async findUserByLogin(login: string) {
    return this.logins.get(login);
  }
  async getUser(_accountId: string, userId: string) {
    return this.users.get(userId);
  }
  async getAccount(accountId: string) {
    return this.accounts.get(accountId);
  }
}

const hasher: PasswordHasher = {
  hash: async (p) => `h(${p})`,
  verify: vi.fn(async (p: string, stored: string) => stored === `h(${p})`),
};
const tokens: AccessTokenIssuer = {
  issueAccessToken: vi.fn(async () => ({ token: 'jwt', expiresAt: new Date('2026-01-01T00:15:00Z') })),
};

function setup() {
  const identities = new MemoryIdentities();
  return { identities, service: new AuthService(identities, hasher, tokens, fixedClock()) };
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
    const byEmail = await service.login('AMY@example.com', 'pw-123456');
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
    await expect(service.login('amy', 'wrong')).rejects.toMatchObject({ code: 'unauthorized', message: 'Invalid username or password' });
    await expect(service.login('nobody', 'wrong')).rejects.toMatchObject({ code: 'unauthorized', message: 'Invalid username or password' });
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
    await expect(service.login('gone', 'pw-123456')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(service.me(principal({ accountId: user.accountId, userId: user.id }))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
