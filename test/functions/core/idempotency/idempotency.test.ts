import { describe, expect, it, vi } from 'vitest';
import { fingerprintOf, idempotencyKeyOf, MAX_STORED_RESPONSE_BYTES, runIdempotent, type IdempotencyScope, type StoredResult } from '../../../../functions/core/idempotency/idempotency.ts';
import { MemoryIdempotency } from '../../../support/memory-idempotency.ts';

const scope: IdempotencyScope = { accountId: 'acct_1', operation: 'createTask', key: 'k-1' };
const now = new Date('2026-11-24T12:00:00Z');
const created = (id: string): StoredResult => ({ status: 201, body: { id }, headers: { Location: `/api/v1/tasks/${id}` } });

describe('runIdempotent', () => {
  it('runs once: a retry with the same body gets the first answer, marked as replayed', async () => {
    const store = new MemoryIdempotency();
    const run = vi.fn().mockResolvedValueOnce(created('t1')).mockResolvedValueOnce(created('t2'));
    const first = await runIdempotent(store, scope, 'fp', now, run);
    const again = await runIdempotent(store, scope, 'fp', now, run);
    expect(run).toHaveBeenCalledTimes(1);
    expect(first).toEqual(created('t1'));
    expect(again).toEqual({ ...created('t1'), headers: { Location: '/api/v1/tasks/t1', 'Idempotent-Replayed': 'true' } });
  });

  it('refuses the same key with another body, and while the first request is running, naming the header', async () => {
    const store = new MemoryIdempotency();
    await runIdempotent(store, scope, 'fp', now, async () => created('t1'));
    await expect(runIdempotent(store, scope, 'other', now, async () => created('t2'))).rejects.toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });

    const slow = { ...scope, key: 'k-slow' };
    let finish!: () => void;
    const pending = runIdempotent(store, slow, 'fp', now, () => new Promise<StoredResult>((resolve) => (finish = () => resolve(created('t3')))));
    await vi.waitFor(() => expect(finish).toBeTypeOf('function'));
    await expect(runIdempotent(store, slow, 'fp', now, async () => created('t4'))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('still being processed') });
    finish();
    await expect(pending).resolves.toEqual(created('t3'));
  });

  it('releases the key when the request fails (a throw or a 4xx), so the client may retry it', async () => {
    const store = new MemoryIdempotency();
    await expect(runIdempotent(store, scope, 'fp', now, async () => Promise.reject(new Error('table down')))).rejects.toThrow('table down');
    expect(store.items.size).toBe(0);
    expect(await runIdempotent(store, scope, 'fp', now, async () => ({ status: 409, body: { error: 'exists' }, headers: {} }))).toMatchObject({ status: 409 });
    expect(store.items.size).toBe(0);
    expect(await runIdempotent(store, scope, 'fp', now, async () => created('t1'))).toEqual(created('t1'));
  });

  it('keys are per account and per operation', async () => {
    const store = new MemoryIdempotency();
    await runIdempotent(store, scope, 'fp', now, async () => created('t1'));
    expect(await runIdempotent(store, { ...scope, accountId: 'acct_2' }, 'fp', now, async () => created('t2'))).toEqual(created('t2'));
    expect(await runIdempotent(store, { ...scope, operation: 'createWorkflow' }, 'fp', now, async () => created('w1'))).toEqual(created('w1'));
  });

  it('an answer too large to keep is still returned; a retry is told to read the resource instead', async () => {
    const store = new MemoryIdempotency();
    const big: StoredResult = { status: 201, body: { blob: 'x'.repeat(MAX_STORED_RESPONSE_BYTES) }, headers: {} };
    expect(await runIdempotent(store, scope, 'fp', now, async () => big)).toBe(big);
    await expect(runIdempotent(store, scope, 'fp', now, async () => big)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('too large') });
  });

  it('a failure to keep the answer does not turn a successful create into an error', async () => {
    const store = new MemoryIdempotency();
    store.complete = async () => Promise.reject(new Error('throttled'));
    const reported: unknown[] = [];
    expect(await runIdempotent(store, scope, 'fp', now, async () => created('t1'), (e) => reported.push(e))).toEqual(created('t1'));
    expect(reported).toEqual([new Error('throttled')]);
  });
});

describe('fingerprintOf and idempotencyKeyOf', () => {
  it('the same JSON in another key order or spacing is the same request; other values are not', () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(fingerprintOf(JSON.parse('{ "b": {"d":"x","c":[1,2]}, "a": 1 }')));
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
    expect(fingerprintOf({ a: [1, 2] })).not.toBe(fingerprintOf({ a: [2, 1] }));
    expect(fingerprintOf(undefined)).toBe(fingerprintOf(null));
  });

  it('reads the header (trimmed), ignores an empty one and refuses one over 255 characters naming it', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': '  abc ' })).toBe('abc');
    expect(idempotencyKeyOf({ 'idempotency-key': '' })).toBeUndefined();
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(() => idempotencyKeyOf({ 'idempotency-key': 'k'.repeat(256) })).toThrow(expect.objectContaining({ code: 'validation_error', field: 'Idempotency-Key' }));
  });
});
