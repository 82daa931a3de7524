import type { Clock } from '../clock.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import { roleAtLeast } from '../../../lib/definitions/scopes.ts';
import { actsAsAdmin, type Principal, type Role } from '../principal.ts';
import { normaliseLogin, type User } from './identity.ts';
import type { IdentityRepository, PasswordHasher, SessionStore, UserFilter } from './ports.ts';

export interface NewUser {
  email: string;
  password: string;
  role?: Exclude<Role, 'platform_admin'> | undefined;
  username?: string | undefined;
  name?: string | undefined;
  lastname?: string | undefined;
}

export interface UserChanges {
  name?: string | null | undefined;
  lastname?: string | null | undefined;
  password?: string | undefined;
  currentPassword?: string | undefined;
  role?: Exclude<Role, 'platform_admin'> | undefined;
  active?: boolean | undefined;
}

/** What else holds a user's credentials, to end them when the user is deactivated or removed. */
export interface CredentialRevoker {
  deleteAllForUser(accountId: string, userId: string): Promise<void>;
}


/**
 * Users of one account (AstraFlow). Admins manage everyone — with `admin:full` on the credential,
 * not only the role, so an admin's narrowed key stays read-only; a user reads and edits their own
 * profile. Deactivating or re-roling a user ends their sessions and removes their API keys, so
 * no credential outlives the rights it was issued under.
 */
export class UserService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionStore,
    private readonly apiKeys: CredentialRevoker,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal, filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    return this.identities.listUsers(principal.accountId, filter, page);
  }

  async create(principal: Principal, input: NewUser): Promise<User> {
    const role = input.role ?? 'member';
    if (!roleAtLeast(principal.role, role)) throw forbidden(`You cannot create a user with the ${role} role`);
    const now = this.clock.now();
    const user: User = {
      id: newId('user', now.getTime()),
      accountId: principal.accountId,
      username: normaliseLogin(input.username ?? input.email),
      email: normaliseLogin(input.email),
      name: input.name ?? null,
      lastname: input.lastname ?? null,
      role,
      active: true,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    await this.identities.createUser(user);
    return user;
  }

  async get(principal: Principal, userId: string): Promise<User> {
    const user = isId('user', userId) ? await this.identities.getUser(principal.accountId, userId) : undefined;
    if (!user) throw notFound('User', userId);
    if (user.id !== principal.userId && !actsAsAdmin(principal)) throw forbidden('Only admins (with the admin:full scope) can see other users');
    return user;
  }

  async update(principal: Principal, userId: string, changes: UserChanges): Promise<User> {
    const current = await this.get(principal, userId);
    const self = current.id === principal.userId;
    if ((changes.role !== undefined || changes.active !== undefined) && !actsAsAdmin(principal)) {
      throw forbidden('Only admins (with the admin:full scope) can change role or active');
    }
    if (self && ((changes.role !== undefined && changes.role !== current.role) || changes.active === false)) {
      throw forbidden('You cannot change your own role or deactivate yourself');
    }
    if (changes.role !== undefined && !roleAtLeast(principal.role, changes.role)) throw forbidden(`You cannot grant the ${changes.role} role`);
    if (changes.password !== undefined && self) {
      const ok = changes.currentPassword !== undefined && (await this.hasher.verify(changes.currentPassword, current.passwordHash));
      if (!ok) throw new AppError('validation_error', 'current_password is required and must match to change your password', { field: 'current_password' });
    }
    const next: User = {
      ...current,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.lastname !== undefined ? { lastname: changes.lastname } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      ...(changes.password !== undefined ? { passwordHash: await this.hasher.hash(changes.password) } : {}),
      updatedAt: this.clock.now().toISOString(),
      version: current.version + 1,
    };
    if (!(await this.identities.updateUser(current, next))) throw conflict('The user was modified concurrently; retry');
    const demoted = next.role !== current.role;
    if (!next.active || demoted || (changes.password !== undefined && !self)) await this.endCredentials(next, !next.active ? 'deactivated' : 'changed');
    else if (changes.password !== undefined) {
      // Your own new password ends every other session (and so their refresh tokens): whoever
      // knew the old one is signed out. The session that changed it stays; API keys are separate
      // credentials, listed and revoked on their own (docs/api.md#accounts-and-users).
      const own = principal.authMethod === 'password' || principal.authMethod === 'oauth_user' ? principal.credentialId : undefined;
      await this.sessions.revokeAllForUser(next.accountId, next.id, 'password_changed', own);
    }
    return next;
  }

  async delete(principal: Principal, userId: string): Promise<void> {
    const user = await this.get(principal, userId);
    if (user.id === principal.userId) throw forbidden('You cannot delete yourself');
    await this.identities.deleteUser(user);
    await this.endCredentials(user, 'deleted');
  }

  private async endCredentials(user: User, reason: string) {
    await Promise.all([this.sessions.revokeAllForUser(user.accountId, user.id, reason), this.apiKeys.deleteAllForUser(user.accountId, user.id)]);
  }
}
