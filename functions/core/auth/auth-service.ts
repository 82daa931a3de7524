import { AppError, unauthorized } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Scope } from '../../../lib/definitions/scopes.ts';
import { ROLE_SCOPES, type Principal, type Role } from '../principal.ts';
import { normaliseLogin, type Account, type User } from './identity.ts';
import { loginDelay } from './login-policy.ts';
import { createWithGatewayKey } from './gateway-key-lifecycle.ts';
import type { AccessTokenIssuer, GatewayKeys, IdentityRepository, IssuedToken, LoginFailures, PasswordHasher, SessionStore } from './ports.ts';
import {
  formatRefreshToken,
  hashSecret,
  newRefreshSecret,
  parseRefreshToken,
  sameHash,
  SESSION_LIFETIME_SECONDS,
  type Session,
} from './session.ts';

export interface RegisterInput {
  username?: string | undefined;
  email?: string | undefined;
  password: string;
  name?: string | undefined;
  lastname?: string | undefined;
  accountName?: string | undefined;
}

/** What login and refresh hand back: an access token, the session's refresh token, and who it is for. */
export interface SessionTokens {
  readonly access: IssuedToken;
  /** The scopes the access token carries. */
  readonly scopes: readonly Scope[];
  readonly refreshToken: string;
  readonly user: User;
  readonly account: Account;
}

export interface AuthDependencies {
  identities: IdentityRepository;
  hasher: PasswordHasher;
  tokens: AccessTokenIssuer;
  sessions: SessionStore;
  failures: LoginFailures;
  clock: Clock;
  /** Usernames of the stage operators, who act as `platform_admin` (stage configuration). */
  platformAdmins?: ReadonlySet<string>;
  /** Whether an OAuth client still exists: a session granted to a deleted client no longer refreshes. */
  clientExists?: (accountId: string, clientId: string) => Promise<boolean>;
  /** Injected so tests need not wait for the slow-down on repeated failures. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-account API Gateway keys (usage plans); absent, accounts are created without one. */
  gatewayKeys?: GatewayKeys;
}

const INVALID_LOGIN = 'Invalid username or password';
const INVALID_REFRESH = 'The refresh token is invalid or has been revoked';

export class AuthService {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: AuthDependencies) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Registration creates a tenant and makes the registering user its admin. */
  async register(input: RegisterInput): Promise<{ user: User; account: Account }> {
    const login = input.username ?? input.email;
    if (!login) throw new AppError('validation_error', 'Either username or email is required', { field: 'username' });
    const now = this.deps.clock.now();
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
      passwordHash: await this.deps.hasher.hash(input.password),
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const keyed = await createWithGatewayKey(this.deps.gatewayKeys, account, (a) => this.deps.identities.createAccountWithOwner(a, user));
    return { user, account: keyed };
  }

  /**
   * Unknown users and wrong passwords fail identically, in time as well as in message. Repeated
   * failures on one account identity (or from one address) are slowed down, then refused for a
   * while. A user's failures are counted under the user, not the name typed, so guesses through
   * the username and through the email share one count; an unknown name is counted by itself.
   */
  async login(login: string, password: string, sourceIp: string): Promise<SessionTokens> {
    const name = normaliseLogin(login);
    const user = await this.deps.identities.findUserByLogin(name);
    const identity = user ? `user:${user.id}` : `login:${name}`;
    const delay = loginDelay(await this.deps.failures.read(identity, sourceIp), this.deps.clock.now());
    if (delay > 0) await this.sleep(delay);
    const ok = user
      ? await this.deps.hasher.verify(password, user.passwordHash)
      : (await this.deps.hasher.verify(password, await this.dummyHash()), false);
    const account = user && ok && user.active ? await this.deps.identities.getAccount(user.accountId) : undefined;
    if (!user || !account) {
      await this.deps.failures.record(identity, sourceIp);
      throw new AppError('unauthorized', INVALID_LOGIN, delay > 0 ? { details: { slowed_down_ms: delay } } : {});
    }
    await this.deps.failures.reset(identity);
    return this.startSession(user, account);
  }

  /**
   * Rotates the refresh token. Presenting a token that was already rotated out means it leaked
   * (or a client raced itself): the whole session is revoked, access tokens included.
   */
  async refresh(token: string): Promise<SessionTokens> {
    const parsed = parseRefreshToken(token);
    const session = parsed ? await this.deps.sessions.get(parsed.accountId, parsed.sessionId) : undefined;
    if (!parsed || !session || session.status !== 'active' || Date.parse(session.expiresAt) <= this.deps.clock.now().getTime()) {
      throw invalidGrant();
    }
    const presented = hashSecret(parsed.secret);
    if (!sameHash(presented, session.refreshHash)) {
      if (session.usedHashes.some((h) => sameHash(h, presented))) {
        await this.deps.sessions.revoke(session.accountId, session.id, 'refresh_token_reuse');
      }
      throw invalidGrant();
    }
    if (session.clientId && this.deps.clientExists && !(await this.deps.clientExists(session.accountId, session.clientId))) {
      await this.deps.sessions.revoke(session.accountId, session.id, 'client_deleted');
      throw invalidGrant();
    }
    const secret = newRefreshSecret();
    if (!(await this.deps.sessions.rotate(session, hashSecret(secret)))) {
      // Another refresh with the same token won the race: this one is a reuse.
      await this.deps.sessions.revoke(session.accountId, session.id, 'refresh_token_reuse');
      throw invalidGrant();
    }
    const user = await this.deps.identities.getUser(session.accountId, session.userId);
    const account = await this.deps.identities.getAccount(session.accountId);
    if (!user || !user.active || !account) throw invalidGrant();
    const principal = principalFor(user, account, session.id, this.deps.platformAdmins, session);
    const access = await this.deps.tokens.issueAccessToken(principal);
    return { access, scopes: principal.scopes, refreshToken: formatRefreshToken({ accountId: account.id, sessionId: session.id, secret }), user, account };
  }

  /**
   * FlowRunner's refresh: `POST /auth/refresh` with only the (unexpired) access token of a live
   * session. The session gets a new access token; its refresh token is left as it is (rotating it
   * here would make the client's stored refresh token look stolen the next time it is used), so the
   * answer carries none. The caller verified the token, session included (Authenticator).
   */
  async reissue(principal: Principal): Promise<Omit<SessionTokens, 'refreshToken'>> {
    if (principal.authMethod !== 'password' || !principal.userId) throw unauthorized('Only a signed-in user’s access token (or a refresh token) can be refreshed');
    const session = await this.deps.sessions.get(principal.accountId, principal.credentialId);
    if (!session || session.status !== 'active' || Date.parse(session.expiresAt) <= this.deps.clock.now().getTime()) throw invalidGrant();
    const [user, account] = await Promise.all([this.deps.identities.getUser(session.accountId, session.userId), this.deps.identities.getAccount(session.accountId)]);
    if (!user || !user.active || !account) throw invalidGrant();
    const fresh = principalFor(user, account, session.id, this.deps.platformAdmins, session);
    return { access: await this.deps.tokens.issueAccessToken(fresh), scopes: fresh.scopes, user, account };
  }

  /**
   * Starts a session on behalf of an OAuth client (authorization_code grant): same refresh
   * rotation and reuse detection, but the tokens carry only the scopes the user granted.
   */
  async startClientSession(user: User, account: Account, clientId: string, scopes: readonly Scope[]): Promise<SessionTokens> {
    return this.startSession(user, account, { clientId, scopes });
  }

  /** Ends the caller's session: its refresh token and every access token issued from it stop working. */
  async logout(principal: Principal): Promise<void> {
    if (principal.authMethod !== 'password' && principal.authMethod !== 'oauth_user') return;
    await this.deps.sessions.revoke(principal.accountId, principal.credentialId, 'logout');
  }

  async me(principal: Principal): Promise<User> {
    const user = principal.userId ? await this.deps.identities.getUser(principal.accountId, principal.userId) : undefined;
    if (!user || !user.active) throw unauthorized('The token does not belong to an active user');
    return user;
  }

  private async startSession(user: User, account: Account, grant?: { clientId: string; scopes: readonly Scope[] }): Promise<SessionTokens> {
    const now = this.deps.clock.now();
    const secret = newRefreshSecret();
    const session: Session = {
      id: newId('session', now.getTime()),
      accountId: account.id,
      userId: user.id,
      status: 'active',
      refreshHash: hashSecret(secret),
      usedHashes: [],
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000).toISOString(),
      ...(grant ? { clientId: grant.clientId, scopes: [...grant.scopes] } : {}),
    };
    await this.deps.sessions.create(session);
    const principal = principalFor(user, account, session.id, this.deps.platformAdmins, session);
    const access = await this.deps.tokens.issueAccessToken(principal);
    return { access, scopes: principal.scopes, refreshToken: formatRefreshToken({ accountId: account.id, sessionId: session.id, secret }), user, account };
  }

  private dummy: Promise<string> | undefined;
  private dummyHash(): Promise<string> {
    this.dummy ??= this.deps.hasher.hash('timing-equaliser');
    return this.dummy;
  }
}

/** The role a user acts with: stage operators (by username) act as `platform_admin`. */
export function roleOf(user: Pick<User, 'username' | 'role'>, platformAdmins?: ReadonlySet<string>): Role {
  return platformAdmins?.has(user.username) ? 'platform_admin' : user.role;
}

function invalidGrant() {
  return new AppError('unauthorized', INVALID_REFRESH, { details: { oauth_error: 'invalid_grant' } });
}

/**
 * The principal a session carries; `sessionId` identifies the session for revocation. An OAuth
 * client's session carries the granted scopes, never more than the user's role allows.
 */
export function principalFor(
  user: User,
  account: Account,
  sessionId: string,
  platformAdmins?: ReadonlySet<string>,
  grant?: { clientId?: string | undefined; scopes?: readonly Scope[] | undefined },
): Principal {
  const role = roleOf(user, platformAdmins);
  const allowed = ROLE_SCOPES[role];
  return {
    accountId: account.id,
    userId: user.id,
    role,
    scopes: grant?.clientId ? (grant.scopes ?? []).filter((s) => allowed.includes(s)) : allowed,
    authMethod: grant?.clientId ? 'oauth_user' : 'password',
    credentialId: sessionId,
    plan: account.plan,
  };
}

