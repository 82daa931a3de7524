import type { Principal } from '../principal.ts';
import type { Account, User } from './identity.ts';

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
