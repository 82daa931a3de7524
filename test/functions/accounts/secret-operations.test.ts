import { beforeEach, describe, expect, it } from 'vitest';
import { secretOperations } from '../../../functions/accounts/secret-operations.ts';
import { isAppError } from '../../../functions/core/errors.ts';
import { ROLE_SCOPES, type Principal } from '../../../functions/core/principal.ts';
import { SecretService } from '../../../functions/core/secrets/secret-service.ts';
import type { Operation } from '../../../functions/http/operation.ts';
import { errorResponse, jsonResponse } from '../../../functions/http/responses.ts';
import { parsePart } from '../../../functions/http/validation.ts';
import { fixedClock, principal } from '../../support/fakes.ts';
import { InMemorySecretStore } from '../core/secrets/in-memory-secret-store.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const VALUE = 'sk_live_correct-horse-battery-staple';
const admin = principal({ accountId: A, role: 'admin', scopes: ROLE_SCOPES.admin });
const member = principal({ accountId: A, role: 'member', scopes: ROLE_SCOPES.member });

/** What the pipeline does around an operation: validate path and body, run, shape errors. */
async function call(op: Operation, request: { params: Record<string, string>; body?: unknown; principal?: Principal }) {
  try {
    const result = await op.run({
      params: op.spec.params ? parsePart(op.spec.params, request.params, 'path') : undefined,
      query: undefined,
      body: op.spec.body ? parsePart(op.spec.body, request.body ?? {}, 'body') : undefined,
      principal: request.principal ?? admin,
      headers: {},
      requestId: 'req-1',
      sourceIp: '127.0.0.1',
    });
    return jsonResponse(result.status, result.body, result.headers);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return errorResponse(error, 'req-1');
  }
}

const json = (res: { body: string }) => (res.body === '' ? undefined : JSON.parse(res.body));

describe('secret operations', () => {
  let store: InMemorySecretStore;
  let ops: Record<string, Operation>;

  beforeEach(() => {
    store = new InMemorySecretStore();
    const service = new SecretService(store, fixedClock('2026-01-01T00:00:00.000Z'));
    ops = secretOperations(() => service);
  });

  it('exposes the four operations the route table names', () => {
    expect(Object.keys(ops).toSorted()).toEqual(['createSecret', 'deleteSecret', 'listSecrets', 'replaceSecret']);
    expect(Object.values(ops).every((op) => op.authenticated)).toBe(true);
  });

  it('creates (201), lists sorted under both names, replaces (200) and deletes (200, FlowRunner’s message), never returning a value', async () => {
    const created = await call(ops.createSecret!, { params: { id: A }, body: { key: 'NEW_API_KEY', value: VALUE } });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toEqual({ key: 'NEW_API_KEY', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
    await call(ops.createSecret!, { params: { id: A }, body: { key: 'DATABASE_URL', value: 'postgres://x/db' } });

    const listed = await call(ops.listSecrets!, { params: { id: A }, principal: member });
    expect(listed.statusCode).toBe(200);
    const body = json(listed);
    expect(body.secrets.map((s: { key: string }) => s.key)).toEqual(['DATABASE_URL', 'NEW_API_KEY']);
    expect(body.data).toEqual(body.secrets);
    expect(Object.keys(body.secrets[0]).toSorted()).toEqual(['created_at', 'key', 'updated_at']);

    const replaced = await call(ops.replaceSecret!, { params: { id: A, key: 'NEW_API_KEY' }, body: { value: 'rotated-value' } });
    expect(replaced.statusCode).toBe(200);
    expect(json(replaced)).toMatchObject({ key: 'NEW_API_KEY' });
    expect(await store.read(A, 'NEW_API_KEY')).toBe('rotated-value');

    const deleted = await call(ops.deleteSecret!, { params: { id: A, key: 'NEW_API_KEY' } });
    expect(deleted.statusCode).toBe(200);
    expect(JSON.parse(deleted.body)).toEqual({ message: 'Secret deleted successfully' });

    for (const res of [created, listed, replaced]) expect(res.body).not.toContain(VALUE);
  });

  it.each([
    ['a number', 123456789],
    ['an empty string', ''],
    ['over 64 KB', `${VALUE}${'x'.repeat(65_536)}`],
    ['an object', { nested: VALUE }],
    ['an array', [VALUE]],
  ])('rejects a value that is %s with 400 and never echoes it', async (_name, value) => {
    for (const [op, params, body] of [
      [ops.createSecret!, { id: A }, { key: 'API_KEY', value }],
      [ops.replaceSecret!, { id: A, key: 'API_KEY' }, { value }],
    ] as const) {
      const res = await call(op, { params, body });
      expect(res.statusCode).toBe(400);
      const error = json(res).error;
      expect(error).toMatchObject({ code: 'validation_error', field: 'value' });
      expect(res.body).not.toContain(VALUE);
      expect(res.body).not.toContain('123456789');
      expect(res.body).not.toContain('input');
    }
    expect(store.secrets.size).toBe(0);
  });

  it('rejects unknown body fields, naming only the field', async () => {
    const res = await call(ops.createSecret!, { params: { id: A }, body: { key: 'API_KEY', value: VALUE, description: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({ code: 'validation_error', field: 'description' });
    expect(res.body).not.toContain(VALUE);
    const rekey = await call(ops.replaceSecret!, { params: { id: A, key: 'API_KEY' }, body: { key: 'OTHER', value: VALUE } });
    expect(json(rekey).error).toMatchObject({ code: 'validation_error', field: 'key' });
    expect(rekey.body).not.toContain(VALUE);
  });

  it('rejects malformed key names in the body and the path', async () => {
    const body = await call(ops.createSecret!, { params: { id: A }, body: { key: 'api-key', value: VALUE } });
    expect(json(body).error).toMatchObject({ code: 'validation_error', field: 'key' });
    const path = await call(ops.deleteSecret!, { params: { id: A, key: 'api-key' } });
    expect(json(path).error).toMatchObject({ code: 'validation_error', field: 'key' });
  });

  it('maps conflicts, missing keys, other accounts and members to 409, 404, 404 and 403', async () => {
    await call(ops.createSecret!, { params: { id: A }, body: { key: 'API_KEY', value: VALUE } });
    const cases = [
      [await call(ops.createSecret!, { params: { id: A }, body: { key: 'API_KEY', value: VALUE } }), 409, 'conflict'],
      [await call(ops.replaceSecret!, { params: { id: A, key: 'MISSING' }, body: { value: VALUE } }), 404, 'not_found'],
      [await call(ops.listSecrets!, { params: { id: B } }), 404, 'not_found'],
      [await call(ops.deleteSecret!, { params: { id: B, key: 'API_KEY' }, principal: principal({ accountId: B, role: 'platform_admin', scopes: ROLE_SCOPES.platform_admin }) }), 404, 'not_found'],
      [await call(ops.replaceSecret!, { params: { id: A, key: 'API_KEY' }, body: { value: 'x-member-value' }, principal: member }), 403, 'forbidden'],
      [await call(ops.deleteSecret!, { params: { id: A, key: 'API_KEY' }, principal: member }), 403, 'forbidden'],
    ] as const;
    for (const [res, status, code] of cases) {
      expect(res.statusCode).toBe(status);
      expect(json(res).error.code).toBe(code);
      expect(res.body).not.toContain(VALUE);
    }
  });
});
