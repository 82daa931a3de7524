import type { Scope } from '../../../lib/definitions/scopes.ts';
import type { Account } from '../auth/identity.ts';
import type { Clock } from '../clock.ts';
import { forbidden, notFound, unauthorized, validationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import { actsAsAdmin, hasScope, type Principal } from '../principal.ts';
import { formatApiKey, hashApiKeySecret, newApiKeySecret, parseApiKey, secretMatches, type ApiKey } from './api-key.ts';
import type { ApiKeyRepository } from './ports.ts';

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  expiresAt?: string | undefined;
}

const INVALID_KEY = 'The API key is invalid, expired or revoked';

export class ApiKeyService {
  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly accounts: { getAccount(accountId: string): Promise<Account | undefined> },
    private readonly clock: Clock,
  ) {}

  /** Returns the key record and the full secret, which is never retrievable again. */
  async create(principal: Principal, input: NewApiKey): Promise<{ key: ApiKey; secret: string }> {
    if (!principal.userId) throw forbidden('Only users can create API keys');
    const excess = input.scopes.filter((s) => !hasScope(principal, s));
    if (excess.length > 0) throw validationError('scopes', `You cannot grant scopes you do not have: ${excess.join(', ')}`);
    const now = this.clock.now();
    if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime()) throw validationError('expires_at', 'expires_at must be in the future');
    const secret = newApiKeySecret();
    const key: ApiKey = {
      id: newId('apiKey', now.getTime()),
      accountId: principal.accountId,
      userId: principal.userId,
      role: principal.role,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      secretHash: hashApiKeySecret(secret),
      createdAt: now.toISOString(),
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
    };
    await this.repo.create(key);
    return { key, secret: formatApiKey(key.accountId, key.id, secret) };
  }

  /** Admins (with `admin:full`) see every key of the account; a user sees their own; a client token none. */
  async list(principal: Principal, page: PageRequest): Promise<Page<ApiKey>> {
    if (actsAsAdmin(principal)) return this.repo.list(principal.accountId, undefined, page);
    if (!principal.userId) return { items: [], total: 0, nextCursor: undefined };
    return this.repo.list(principal.accountId, principal.userId, page);
  }

  async revoke(principal: Principal, keyId: string): Promise<void> {
    const key = await this.repo.get(principal.accountId, keyId);
    const mayManage = key && ((principal.userId !== undefined && key.userId === principal.userId) || actsAsAdmin(principal));
    if (!key || !mayManage) throw notFound('API key', keyId);
    await this.repo.delete(principal.accountId, keyId);
  }

  /** `X-API-Key` → principal. Every failure looks the same to the caller. */
  async verify(value: string): Promise<Principal> {
    const parsed = parseApiKey(value);
    if (!parsed) throw unauthorized(INVALID_KEY);
    const [key, account] = await Promise.all([this.repo.get(parsed.accountId, parsed.keyId), this.accounts.getAccount(parsed.accountId)]);
    const now = this.clock.now();
    if (!key || !account || !secretMatches(parsed.secret, key.secretHash) || (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime())) {
      throw unauthorized(INVALID_KEY);
    }
    if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) > 60_000) {
      // Bookkeeping must not fail the request it describes.
      this.repo.touch(key.accountId, key.id, now).catch(() => undefined);
    }
    return {
      accountId: key.accountId,
      userId: key.userId,
      role: key.role,
      scopes: key.scopes,
      authMethod: 'api_key',
      credentialId: key.id,
      plan: account.plan,
    };
  }
}
