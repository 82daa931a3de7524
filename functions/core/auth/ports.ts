import type { Principal } from '../principal.ts';
import type { Account, User } from './identity.ts';
import type { Session } from './session.ts';

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

/** Turns a presented credential into a principal, or rejects it with `unauthorized`. */
export interface CredentialVerifier {
  verifyAccessToken(token: string): Promise<Principal>;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(accountId: string, sessionId: string): Promise<Session | undefined>;
  /** Swaps the current refresh hash for `nextHash` if it is still `currentHash`; false when another refresh won. */
  rotate(session: Session, nextHash: string): Promise<boolean>;
  revoke(accountId: string, sessionId: string, reason: string): Promise<void>;
  revokeAllForUser(accountId: string, userId: string, reason: string): Promise<void>;
}

export interface FailureWindow {
  readonly count: number;
  /** When the current counting window ends. */
  readonly resetAt: Date;
}

/** Counts failed logins per login name and per source address, in fixed windows. */
export interface LoginFailures {
  read(login: string, sourceIp: string): Promise<{ login: FailureWindow; ip: FailureWindow }>;
  record(login: string, sourceIp: string): Promise<void>;
  reset(login: string): Promise<void>;
}
