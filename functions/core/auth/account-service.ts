import type { Clock } from '../clock.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import { actsAsPlatformAdmin, type Principal } from '../principal.ts';
import { normaliseLogin, type Account, type Plan, type User } from './identity.ts';
import { createWithGatewayKey, updateWithGatewayKey } from './gateway-key-lifecycle.ts';
import type { GatewayKeys, IdentityRepository, PasswordHasher } from './ports.ts';

export interface NewAccount {
  name: string;
  email: string;
  password: string;
  plan?: Plan | undefined;
}

/** Something else that keeps per-account data outside the table (secrets, state machines). */
export interface AccountDataOwner {
  deleteAll(accountId: string): Promise<void>;
}

/** Reading or changing other tenants needs the role and `admin:full`: a platform admin's narrowed key sees only its own account. */
const isPlatform = (p: Principal) => actsAsPlatformAdmin(p);

/**
 * Accounts are tenants (FlowRunner). Platform admins (the stage operator) list and create them;
 * an account's own admin reads, renames and deletes it. Another account is always 404.
 */
export class AccountService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly owners: readonly AccountDataOwner[],
    private readonly clock: Clock,
    /** Per-account API Gateway keys (usage plans); absent, accounts are created without one. */
    private readonly gatewayKeys?: GatewayKeys,
  ) {}

  async list(principal: Principal, page: PageRequest): Promise<Page<Account>> {
    if (isPlatform(principal)) return this.identities.listAccounts(page);
    const own = await this.identities.getAccount(principal.accountId);
    const items = own && page.offset === 0 && !page.cursor ? [own] : [];
    return { items, total: own ? 1 : 0, nextCursor: undefined };
  }

  /** Creates the tenant and its first admin, who signs in with `email`. */
  async create(principal: Principal, input: NewAccount): Promise<{ account: Account; owner: User }> {
    // A new tenant with its first admin is what public registration creates too, so any signed-in
    // caller may do it (FlowRunner's POST /accounts); only the plan is the operators' to choose.
    if (input.plan && input.plan !== 'free' && !isPlatform(principal)) throw forbidden('Only platform admins can create accounts on a paid plan');
    const now = this.clock.now();
    const at = now.toISOString();
    const account: Account = { id: newId('account', now.getTime()), name: input.name, plan: input.plan ?? 'free', createdAt: at, updatedAt: at, version: 1 };
    const owner: User = {
      id: newId('user', now.getTime()),
      accountId: account.id,
      username: normaliseLogin(input.email),
      email: normaliseLogin(input.email),
      name: null,
      lastname: null,
      role: 'admin',
      active: true,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const keyed = await createWithGatewayKey(this.gatewayKeys, account, (a) => this.identities.createAccountWithOwner(a, owner));
    return { account: keyed, owner };
  }

  async get(principal: Principal, accountId: string): Promise<Account> {
    const visible = isPlatform(principal) || accountId === principal.accountId;
    const account = visible && isId('account', accountId) ? await this.identities.getAccount(accountId) : undefined;
    if (!account) throw notFound('Account', accountId);
    return account;
  }

  async update(principal: Principal, accountId: string, changes: { name?: string | undefined; plan?: Plan | undefined }): Promise<Account> {
    const current = await this.get(principal, accountId);
    if (changes.plan !== undefined && changes.plan !== current.plan && !isPlatform(principal)) {
      throw forbidden('Only platform admins can change an account’s plan');
    }
    const next: Account = {
      ...current,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.plan !== undefined ? { plan: changes.plan } : {}),
      updatedAt: this.clock.now().toISOString(),
      version: current.version + 1,
    };
    const result = await updateWithGatewayKey(this.gatewayKeys, current, next, (n) => this.identities.updateAccount(current, n));
    if (!result.written) throw conflict('The account was modified concurrently; retry');
    return result.account;
  }

  /**
   * Removes everything the tenant owns: the gateway key first (it stops the traffic, and a retry
   * finds it already gone), then outside stores, so nothing is left unreachable but alive.
   */
  async delete(principal: Principal, accountId: string): Promise<void> {
    const account = await this.get(principal, accountId);
    if (this.gatewayKeys && account.gatewayKeyId) await this.gatewayKeys.remove(account.gatewayKeyId);
    for (const owner of this.owners) await owner.deleteAll(accountId);
    await this.identities.deleteAccount(accountId);
  }
}
