import { beforeEach, describe, expect, it } from 'vitest';
import { SecretResolver } from '../../../../functions/core/secrets/secret-resolver.ts';
import { fixedClock } from '../../../support/fakes.ts';
import { InMemorySecretStore } from './in-memory-secret-store.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const at = '2026-01-01T00:00:00.000Z';

describe('SecretResolver', () => {
  let store: InMemorySecretStore;
  let clock: ReturnType<typeof fixedClock>;
  let resolver: SecretResolver;

  const put = (accountId: string, key: string, value: string) =>
    store.secrets.set(`${accountId}/${key}`, { meta: { accountId, key, createdAt: at, updatedAt: at }, value });

  beforeEach(() => {
    store = new InMemorySecretStore();
    clock = fixedClock(at);
    resolver = new SecretResolver(store, clock, { ttlMs: 60_000 });
    put(A, 'API_KEY', 'a-key');
    put(B, 'API_KEY', 'b-key');
  });

  it('caches per account and key for the TTL, then reads again', async () => {
    expect(await resolver.resolve(A, 'API_KEY')).toBe('a-key');
    expect(await resolver.resolve(B, 'API_KEY')).toBe('b-key');
    put(A, 'API_KEY', 'changed elsewhere');
    clock.advance(59_999);
    expect(await resolver.resolve(A, 'API_KEY')).toBe('a-key');
    expect(store.reads).toBe(2);
    clock.advance(1);
    expect(await resolver.resolve(A, 'API_KEY')).toBe('changed elsewhere');
    expect(store.reads).toBe(3);
  });

  it('shares one read among concurrent resolves', async () => {
    const values = await Promise.all([resolver.resolve(A, 'API_KEY'), resolver.resolve(A, 'API_KEY'), resolver.resolve(A, 'API_KEY')]);
    expect(values).toEqual(['a-key', 'a-key', 'a-key']);
    expect(store.reads).toBe(1);
  });

  it('does not cache misses or failures', async () => {
    expect(await resolver.resolve(A, 'LATER')).toBeUndefined();
    put(A, 'LATER', 'now here');
    expect(await resolver.resolve(A, 'LATER')).toBe('now here');

    store.failNext = new Error('throttled');
    await expect(resolver.resolve(A, 'OTHER')).rejects.toThrow('throttled');
    put(A, 'OTHER', 'x');
    expect(await resolver.resolve(A, 'OTHER')).toBe('x');
  });

  it('answers malformed key names without touching the store', async () => {
    expect(await resolver.resolve(A, '../acct_01BX5ZZKBKACTAV9WEVGEMMVRZ/API_KEY')).toBeUndefined();
    expect(await resolver.resolve(A, 'api_key')).toBeUndefined();
    expect(await resolver.resolve(`${A}/../x`, 'API_KEY')).toBeUndefined();
    expect(store.reads).toBe(0);
  });

  it('resolves many keys once each, reporting missing ones as undefined', async () => {
    put(A, 'DATABASE_URL', 'postgres://');
    const out = await resolver.resolveMany(A, ['API_KEY', 'DATABASE_URL', 'API_KEY', 'MISSING']);
    expect([...out]).toEqual([
      ['API_KEY', 'a-key'],
      ['DATABASE_URL', 'postgres://'],
      ['MISSING', undefined],
    ]);
    expect(store.reads).toBe(3);
  });

  it('invalidates one key or a whole account', async () => {
    put(A, 'OTHER', 'o');
    await resolver.resolveMany(A, ['API_KEY', 'OTHER']);
    await resolver.resolve(B, 'API_KEY');
    put(A, 'API_KEY', 'a2');
    put(A, 'OTHER', 'o2');
    put(B, 'API_KEY', 'b2');

    resolver.invalidate(A, 'API_KEY');
    expect(await resolver.resolve(A, 'API_KEY')).toBe('a2');
    expect(await resolver.resolve(A, 'OTHER')).toBe('o');

    resolver.invalidate(A);
    expect(await resolver.resolve(A, 'OTHER')).toBe('o2');
    expect(await resolver.resolve(B, 'API_KEY')).toBe('b-key');
  });

  it('keeps at most maxEntries values, dropping the oldest', async () => {
    const small = new SecretResolver(store, clock, { maxEntries: 2 });
    put(A, 'K1', '1');
    put(A, 'K2', '2');
    put(A, 'K3', '3');
    await small.resolve(A, 'K1');
    await small.resolve(A, 'K2');
    await small.resolve(A, 'K3');
    expect(store.reads).toBe(3);
    await small.resolve(A, 'K3');
    await small.resolve(A, 'K2');
    expect(store.reads).toBe(3);
    await small.resolve(A, 'K1');
    expect(store.reads).toBe(4);
  });
});
