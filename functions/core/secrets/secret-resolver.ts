import type { Clock } from '../clock.ts';
import { isId } from '../ids.ts';
import type { SecretCache, SecretReader } from './ports.ts';
import { isSecretKey } from './secret.ts';

export interface SecretResolverOptions {
  /** How long a warm container reuses a value; a write elsewhere is seen after at most this long. */
  readonly ttlMs?: number;
  /** Bound on cached values, so one busy container cannot grow without limit. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly value: Promise<string | undefined>;
  readonly expiresAt: number;
}

/**
 * Resolves `{{secrets.KEY}}` for the task runner. The account id must come from the execution
 * record, never from workflow input or a template, so an execution can only read its own tenant.
 *
 * Found values are cached per container (Secrets Manager bills per call and a busy workflow
 * resolves the same key many times a minute); misses are not cached, so a secret created just
 * after a failed run is seen by the next one. Writes through the SecretService in this container
 * invalidate at once; writes elsewhere show up within the TTL.
 */
export class SecretResolver implements SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: SecretReader,
    private readonly clock: Clock,
    options: SecretResolverOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 1_000;
  }

  resolve(accountId: string, key: string): Promise<string | undefined> {
    // Malformed names cannot exist; answering here keeps odd template text away from storage names.
    if (!isSecretKey(key) || !isId('account', accountId)) return Promise.resolve(undefined);
    const id = cacheKey(accountId, key);
    const now = this.clock.now().getTime();
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > now) return hit.value;
    this.entries.delete(id);

    const value = this.store.read(accountId, key);
    const entry: Entry = { value, expiresAt: now + this.ttlMs };
    this.entries.set(id, entry);
    this.evictOverflow();
    // Concurrent resolves share the one read; only a found value outlives it.
    value.then(
      (v) => {
        if (v === undefined) this.drop(id, entry);
      },
      () => this.drop(id, entry),
    );
    return value;
  }

  /** Every distinct key once, read in parallel; missing keys map to undefined. */
  async resolveMany(accountId: string, keys: Iterable<string>): Promise<Map<string, string | undefined>> {
    const distinct = [...new Set(keys)];
    const values = await Promise.all(distinct.map((key) => this.resolve(accountId, key)));
    return new Map(distinct.map((key, i) => [key, values[i]]));
  }

  /** Drops one key, or every key of the account when `key` is omitted. */
  invalidate(accountId: string, key?: string): void {
    if (key !== undefined) {
      this.entries.delete(cacheKey(accountId, key));
      return;
    }
    const prefix = cacheKey(accountId, '');
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }

  private drop(id: string, entry: Entry): void {
    if (this.entries.get(id) === entry) this.entries.delete(id);
  }

  /** Map iteration is insertion order, so the first entries are the oldest reads. */
  private evictOverflow(): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(id);
    }
  }
}

// NUL cannot occur in an account id or a key, so no two pairs share a cache key.
const cacheKey = (accountId: string, key: string) => `${accountId}\u0000${key}`;
