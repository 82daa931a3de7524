import { AppError, unauthorized } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { ROLE_SCOPES, type Principal } from '../principal.ts';
import { normaliseLogin, type Account, type User } from './identity.ts';
import type { AccessTokenIssuer, IdentityRepository, IssuedToken, PasswordHasher } from './ports.ts';

export interface RegisterInput {
  username?: string | undefined;
  email?: string | undefined;
  password: string;
  name?: string | undefined;
  lastname?: string | undefined;
  accountName?: string | undefined;
}

export interface LoginResult {
  readonly access: IssuedToken;
  readonly user: User;
  readonly account: Account;
}

export class AuthService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenIssuer,
    private readonly clock: Clock,
  ) {}

  /** Registration creates a tenant and makes the registering user its admin. */
  async register(input: RegisterInput): Promise<{ user: User; account: Account }> {
    const login = input.username ?? input.email;
    if (!login) throw new AppError('validation_error', 'Either username or email is required', { field: 'username' });
    const now = this.clock.now();
    const at = now.toISOString();
    const account: Account = {
      id: newId('account', now.getTime()),
      name: input.accountName ?? `${input.name ?? normaliseLogin(login)}'s account`,
      plan: 'free',
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const user: User = {
      id: newId('user', now.getTime()),
      accountId: account.id,
      username: normaliseLogin(login),
      email: input.email ? normaliseLogin(input.email) : null,
      name: input.name ?? null,
      lastname: input.lastname ?? null,
      role: 'admin',
      active: true,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await this.identities.createAccountWithOwner(account, user);
    return { user, account };
  }

  /** Unknown users and wrong passwords fail identically, in time as well as in message. */
  async login(login: string, password: string): Promise<LoginResult> {
    const user = await this.identities.findUserByLogin(normaliseLogin(login));
    const ok = user
      ? await this.hasher.verify(password, user.passwordHash)
      : (await this.hasher.verify(password, await this.dummyHash()), false);
    if (!user || !ok || !user.active) throw unauthorized('Invalid username or password');
    const account = await this.identities.getAccount(user.accountId);
    if (!account) throw unauthorized('Invalid username or password');
    const access = await this.tokens.issueAccessToken(principalFor(user, account, newId('session')));
    return { access, user, account };
  }

  async me(principal: Principal): Promise<User> {
    const user = principal.userId ? await this.identities.getUser(principal.accountId, principal.userId) : undefined;
    if (!user || !user.active) throw unauthorized('The token does not belong to an active user');
    return user;
  }

  private dummy: Promise<string> | undefined;
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash('timing-equaliser');
    return this.dummy;
  }
}

/** The principal a password login creates; `sessionId` identifies the session for revocation. */
export function principalFor(user: User, account: Account, sessionId: string): Principal {
  return {
    accountId: account.id,
    userId: user.id,
    role: user.role,
    scopes: ROLE_SCOPES[user.role],
    authMethod: 'password',
    credentialId: sessionId,
    plan: account.plan,
  };
}
