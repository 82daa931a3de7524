import type { Page, PageRequest } from '../pagination.ts';
import type { Principal, Role } from '../principal.ts';
import type { Account, Plan, User } from './identity.ts';
import type { Session } from './session.ts';

export interface UserFilter {
  role?: Role | undefined;
  active?: boolean | undefined;
}

export interface IdentityRepository {
  /**
   * Creates the account, its first user and the username/email uniqueness claims atomically.
   * Throws a `conflict` AppError naming `username` or `email` when either is taken.
   */
  createAccountWithOwner(account: Account, owner: User): Promise<void>;
  /** Finds a user by username or email (already normalised). */
  findUserByLogin(login: string): Promise<User | undefined>;
  getUser(accountId: string, userId: string): Promise<User | undefined>;
  getAccount(accountId: string): Promise<Account | undefined>;
  /** Adds a user with its username/email claims; `conflict` naming the taken field. */
  createUser(user: User): Promise<void>;
  /** Conditional on `previous.version`; false when it changed meanwhile. */
  updateUser(previous: User, next: User): Promise<boolean>;
  /** Removes the user and its login claims. */
  deleteUser(user: User): Promise<void>;
  listUsers(accountId: string, filter: UserFilter, page: PageRequest): Promise<Page<User>>;
  listAccounts(page: PageRequest): Promise<Page<Account>>;
  updateAccount(previous: Account, next: Account): Promise<boolean>;
  /** Deletes every item of the tenant (its partition) and its users' global login claims. */
  deleteAccount(accountId: string): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface AccessTokenIssuer {
  issueAccessToken(principal: Principal): Promise<IssuedToken>;
}

/** Turns a presented access token into a principal, or rejects it with `unauthorized`. */
export interface AccessTokenVerifier {
  verifyAccessToken(token: string): Promise<Principal>;
}

/** Every credential type the API accepts: access tokens (sessions, OAuth) and API keys. */
export interface CredentialVerifier extends AccessTokenVerifier {
  verifyApiKey(key: string): Promise<Principal>;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(accountId: string, sessionId: string): Promise<Session | undefined>;
  /** Swaps the current refresh hash for `nextHash` if it is still `currentHash`; false when another refresh won. */
  rotate(session: Session, nextHash: string): Promise<boolean>;
  revoke(accountId: string, sessionId: string, reason: string): Promise<void>;
  /** Revokes every session of the user, except `exceptSessionId` when given (the caller's own). */
  revokeAllForUser(accountId: string, userId: string, reason: string, exceptSessionId?: string): Promise<void>;
}

export interface FailureWindow {
  readonly count: number;
  /** When the current counting window ends. */
  readonly resetAt: Date;
}

/**
 * Counts failed logins per account identity and per source address, in fixed windows. The
 * identity is `user:<user id>` for a known user (whichever of its names was typed) and
 * `login:<normalised name>` for an unknown one.
 */
export interface LoginFailures {
  read(login: string, sourceIp: string): Promise<{ login: FailureWindow; ip: FailureWindow }>;
  record(login: string, sourceIp: string): Promise<void>;
  reset(login: string): Promise<void>;
}

/** An API Gateway API key: `value` is the usage identifier the authorizer returns for the account. */
export interface GatewayKey {
  readonly id: string;
  readonly value: string;
}

/**
 * Per-account keys in the usage plan of the account's tier, so API Gateway throttles each tenant
 * on its own (docs/deploy.md#gateway-authorizer-usage-plans-and-per-account-keys). Every method is safe to retry: a key already gone or already in the
 * target plan counts as done.
 */
export interface GatewayKeys {
  /** Creates a key for the account in its plan's usage plan. */
  provision(account: { readonly id: string; readonly plan: Plan }): Promise<GatewayKey>;
  /** Moves the key from one plan's usage plan to the other's. */
  changePlan(keyId: string, from: Plan, to: Plan): Promise<void>;
  /** Deletes the key (and with it its usage plan membership). */
  remove(keyId: string): Promise<void>;
}
