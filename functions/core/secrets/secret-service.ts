import type { Clock } from '../clock.ts';
import { conflict, forbidden, notFound, validationError } from '../errors.ts';
import { actsAsAdmin, type Principal } from '../principal.ts';
import type { SecretCache, SecretStore } from './ports.ts';
import { isAcceptableSecretValue, isSecretKey, SECRET_KEY_RULE, SECRET_VALUE_RULE, type SecretMetadata } from './secret.ts';

/** Changing a secret changes what every workflow of the account sends to third parties: admins only. */
const canWrite = (p: Principal) => actsAsAdmin(p);

/**
 * Account secrets for the API. The route's account must be the caller's own: another account's
 * secrets are a 404 for everyone, platform admins included, so a secret can only ever be reached
 * from inside its tenant and a probe cannot tell whether another account exists.
 */
export class SecretService {
  constructor(
    private readonly store: SecretStore,
    private readonly clock: Clock,
    private readonly cache?: SecretCache,
  ) {}

  async list(principal: Principal, accountId: string): Promise<SecretMetadata[]> {
    ownAccount(principal, accountId);
    return this.store.list(principal.accountId);
  }

  async create(principal: Principal, accountId: string, input: { key: string; value: string }): Promise<SecretMetadata> {
    ownAccount(principal, accountId);
    writer(principal);
    checkKey(input.key);
    checkValue(input.value);
    const at = this.clock.now().toISOString();
    const secret: SecretMetadata = { accountId: principal.accountId, key: input.key, createdAt: at, updatedAt: at };
    try {
      const created = await this.store.create(secret, input.value);
      if (!created) throw conflict(`Secret '${input.key}' already exists; use PUT to replace its value`, 'key');
      return secret;
    } finally {
      this.cache?.invalidate(secret.accountId, secret.key);
    }
  }

  async replace(principal: Principal, accountId: string, key: string, value: string): Promise<SecretMetadata> {
    ownAccount(principal, accountId);
    writer(principal);
    checkKey(key);
    checkValue(value);
    try {
      const secret = await this.store.replace(principal.accountId, key, value, this.clock.now().toISOString());
      if (!secret) throw notFound('Secret', key);
      return secret;
    } finally {
      // Also after a failure: the store may have changed the value before the error.
      this.cache?.invalidate(principal.accountId, key);
    }
  }

  async delete(principal: Principal, accountId: string, key: string): Promise<void> {
    ownAccount(principal, accountId);
    writer(principal);
    checkKey(key);
    try {
      if (!(await this.store.delete(principal.accountId, key))) throw notFound('Secret', key);
    } finally {
      this.cache?.invalidate(principal.accountId, key);
    }
  }

  /** For account deletion, which has authorised the caller already. */
  async deleteAll(accountId: string): Promise<void> {
    try {
      await this.store.deleteAll(accountId);
    } finally {
      this.cache?.invalidate(accountId);
    }
  }
}

function ownAccount(principal: Principal, accountId: string): void {
  if (accountId !== principal.accountId) throw notFound('Account', accountId);
}

function writer(principal: Principal): void {
  if (!canWrite(principal)) throw forbidden('Only account admins (with the admin:full scope) can change secrets');
}

function checkKey(key: string): void {
  if (!isSecretKey(key)) throw validationError('key', SECRET_KEY_RULE);
}

function checkValue(value: string): void {
  if (!isAcceptableSecretValue(value)) throw validationError('value', SECRET_VALUE_RULE);
}
