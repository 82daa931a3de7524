import type { SecretStore } from '../../../../functions/core/secrets/ports.ts';
import type { SecretMetadata } from '../../../../functions/core/secrets/secret.ts';

/** A SecretStore in memory with the same contract as the real ones; `reads` counts value reads. */
export class InMemorySecretStore implements SecretStore {
  readonly secrets = new Map<string, { meta: SecretMetadata; value: string }>();
  reads = 0;
  /** Lets a test make the next call fail the way a storage outage would. */
  failNext: Error | undefined;

  private id = (accountId: string, key: string) => `${accountId}/${key}`;

  private maybeFail() {
    const error = this.failNext;
    this.failNext = undefined;
    if (error) throw error;
  }

  async list(accountId: string) {
    this.maybeFail();
    return [...this.secrets.values()]
      .map((s) => s.meta)
      .filter((m) => m.accountId === accountId)
      .toSorted((a, b) => (a.key < b.key ? -1 : 1));
  }
  async create(secret: SecretMetadata, value: string) {
    this.maybeFail();
    const id = this.id(secret.accountId, secret.key);
    if (this.secrets.has(id)) return false;
    this.secrets.set(id, { meta: secret, value });
    return true;
  }
  async replace(accountId: string, key: string, value: string, updatedAt: string) {
    this.maybeFail();
    const current = this.secrets.get(this.id(accountId, key));
    if (!current) return undefined;
    const meta = { ...current.meta, updatedAt };
    this.secrets.set(this.id(accountId, key), { meta, value });
    return meta;
  }
  async delete(accountId: string, key: string) {
    this.maybeFail();
    return this.secrets.delete(this.id(accountId, key));
  }
  async read(accountId: string, key: string) {
    this.maybeFail();
    this.reads++;
    return this.secrets.get(this.id(accountId, key))?.value;
  }
  async deleteAll(accountId: string) {
    this.maybeFail();
    for (const [id, s] of this.secrets) if (s.meta.accountId === accountId) this.secrets.delete(id);
  }
}
