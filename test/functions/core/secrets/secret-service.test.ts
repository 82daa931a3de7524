import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import { ROLE_SCOPES, type Principal } from '../../../../functions/core/principal.ts';
import { SecretResolver } from '../../../../functions/core/secrets/secret-resolver.ts';
import { SecretService } from '../../../../functions/core/secrets/secret-service.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';
import { InMemorySecretStore } from './in-memory-secret-store.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const VALUE = 'sk_live_correct-horse-battery-staple';

const admin = principal({ accountId: A, role: 'admin', scopes: ROLE_SCOPES.admin });
const member = principal({ accountId: A, role: 'member', scopes: ROLE_SCOPES.member });
const viewer = principal({ accountId: A, role: 'viewer', scopes: ROLE_SCOPES.viewer });
const platformAdmin = principal({ accountId: B, role: 'platform_admin', scopes: ROLE_SCOPES.platform_admin });
const adminOfB = principal({ accountId: B, role: 'admin', scopes: ROLE_SCOPES.admin });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Everything about an error a client or a log line could see. */
const visible = (e: AppError) => JSON.stringify({ message: e.message, field: e.field, details: e.details, stack: e.stack });

describe('SecretService', () => {
  let store: InMemorySecretStore;
  let clock: ReturnType<typeof fixedClock>;
  let resolver: SecretResolver;
  let service: SecretService;

  beforeEach(() => {
    store = new InMemorySecretStore();
    clock = fixedClock('2026-01-01T00:00:00.000Z');
    resolver = new SecretResolver(store, clock);
    service = new SecretService(store, clock, resolver);
  });

  it('creates, lists (sorted, metadata only), replaces and deletes for an admin', async () => {
    const created = await service.create(admin, A, { key: 'DATABASE_URL', value: 'postgres://u:p@h/db' });
    expect(created).toEqual({ accountId: A, key: 'DATABASE_URL', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });

    expect((await service.list(viewer, A)).map((s) => s.key)).toEqual(['API_KEY', 'DATABASE_URL']);
    expect(JSON.stringify(await service.list(viewer, A))).not.toContain(VALUE);

    clock.advance(60_000);
    const replaced = await service.replace(admin, A, 'API_KEY', 'rotated-value');
    expect(replaced).toMatchObject({ key: 'API_KEY', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:01:00.000Z' });
    expect(await store.read(A, 'API_KEY')).toBe('rotated-value');

    await service.delete(admin, A, 'API_KEY');
    expect((await service.list(admin, A)).map((s) => s.key)).toEqual(['DATABASE_URL']);
  });

  it('lets a platform admin write their own account’s secrets', async () => {
    await expect(service.create(platformAdmin, B, { key: 'API_KEY', value: VALUE })).resolves.toMatchObject({ accountId: B });
  });

  it.each([
    ['member', member],
    ['viewer', viewer],
  ])('refuses writes by a %s with 403 forbidden', async (_role, who) => {
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    for (const attempt of [
      service.create(who, A, { key: 'OTHER', value: VALUE }),
      service.replace(who, A, 'API_KEY', VALUE),
      service.delete(who, A, 'API_KEY'),
    ]) {
      expect((await failure(attempt)).code).toBe('forbidden');
    }
    expect(await store.read(A, 'API_KEY')).toBe(VALUE);
    expect(store.secrets.size).toBe(1);
  });

  it('answers another account’s secrets with 404 for everyone, platform admins included, before checking the role', async () => {
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    const outsiders: Principal[] = [adminOfB, platformAdmin, principal({ accountId: B, role: 'member', scopes: ROLE_SCOPES.member })];
    for (const who of outsiders) {
      for (const attempt of [
        service.list(who, A),
        service.create(who, A, { key: 'NEW', value: VALUE }),
        service.replace(who, A, 'API_KEY', 'x'),
        service.delete(who, A, 'API_KEY'),
      ]) {
        const error = await failure(attempt);
        expect(error.code).toBe('not_found');
        expect(error.message).not.toContain('API_KEY');
      }
    }
    expect(await store.read(A, 'API_KEY')).toBe(VALUE);
  });

  it('gives 409 on a duplicate key and 404 on a missing one', async () => {
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    const dup = await failure(service.create(admin, A, { key: 'API_KEY', value: 'other-value' }));
    expect(dup).toMatchObject({ code: 'conflict', field: 'key' });
    expect(await store.read(A, 'API_KEY')).toBe(VALUE);
    expect((await failure(service.replace(admin, A, 'MISSING', VALUE))).code).toBe('not_found');
    expect((await failure(service.delete(admin, A, 'MISSING'))).code).toBe('not_found');
  });

  it.each([
    ['an empty value', 'API_KEY', ''],
    ['issue 13 #7 (Medium): a 7-character value, too short to mask', 'API_KEY', 'abc1234'],
    ['issue 13 #7 (Medium): 7 characters in more UTF-16 units', 'API_KEY', '😀😀😀😀abc'],
    ['a value over 65536 bytes (in UTF-8, not characters)', 'API_KEY', `${VALUE}${'é'.repeat(32_760)}`],
    ['a lone surrogate', 'API_KEY', `${VALUE}\ud800`],
    ['a lower-case key', 'api_key', VALUE],
    ['a key with a slash', 'A/B', VALUE],
    ['a key starting with a digit', '1KEY', VALUE],
    ['a key over 128 characters', `K${'X'.repeat(128)}`, VALUE],
  ])('rejects %s with a validation error that does not echo the value', async (_name, key, value) => {
    const error = await failure(service.create(admin, A, { key, value }));
    expect(error.code).toBe('validation_error');
    expect(visible(error)).not.toContain(VALUE);
    expect(store.secrets.size).toBe(0);
  });

  it('accepts exactly 8 characters', async () => {
    await expect(service.create(admin, A, { key: 'EIGHT', value: '12345678' })).resolves.toBeDefined();
  });

  it('accepts exactly 65536 bytes', async () => {
    await expect(service.create(admin, A, { key: 'BIG', value: 'é'.repeat(32_768) })).resolves.toBeDefined();
  });

  it('keeps the value out of every error it raises', async () => {
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    const errors = [
      await failure(service.create(admin, A, { key: 'API_KEY', value: VALUE })),
      await failure(service.replace(admin, A, 'NOPE', VALUE)),
      await failure(service.replace(member, A, 'API_KEY', VALUE)),
      await failure(service.replace(adminOfB, A, 'API_KEY', VALUE)),
      await failure(service.create(admin, A, { key: 'bad', value: VALUE })),
    ];
    for (const e of errors) expect(visible(e)).not.toContain(VALUE);
  });

  it('drops cached values when it writes, even when the write fails', async () => {
    await service.create(admin, A, { key: 'API_KEY', value: 'value-v1' });
    expect(await resolver.resolve(A, 'API_KEY')).toBe('value-v1');
    await service.replace(admin, A, 'API_KEY', 'value-v2');
    expect(await resolver.resolve(A, 'API_KEY')).toBe('value-v2');

    await store.replace(A, 'API_KEY', 'value-v3', 'later');
    store.failNext = new Error('storage outage after the write');
    await expect(service.replace(admin, A, 'API_KEY', 'value-v3')).rejects.toThrow('storage outage');
    expect(await resolver.resolve(A, 'API_KEY')).toBe('value-v3');

    await service.delete(admin, A, 'API_KEY');
    expect(await resolver.resolve(A, 'API_KEY')).toBeUndefined();
  });

  it('deletes all of one account’s secrets and forgets their cached values', async () => {
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    await service.create(admin, A, { key: 'OTHER', value: VALUE });
    await service.create(adminOfB, B, { key: 'API_KEY', value: 'b-account-value' });
    expect(await resolver.resolve(A, 'API_KEY')).toBe(VALUE);

    await service.deleteAll(A);
    expect(await service.list(admin, A)).toEqual([]);
    expect(await resolver.resolve(A, 'API_KEY')).toBeUndefined();
    expect(await resolver.resolve(B, 'API_KEY')).toBe('b-account-value');
  });
});
