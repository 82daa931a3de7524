import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSecretMetadataRepository } from '../../../../functions/adapters/dynamodb/secret-metadata-repository.ts';
import { EncryptedTableSecretStore, FileSecretKey } from '../../../../functions/adapters/local/encrypted-table-secret-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const B = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';
const VALUE = 'postgres://app:correct-horse-battery-staple@db.internal:5432/prod';
const at = '2026-01-01T00:00:00.000Z';
const meta = (accountId: string, key: string) => ({ accountId, key, createdAt: at, updatedAt: at });
const conditionFailed = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

type Item = Record<string, unknown>;

/** Just enough of DynamoDB for this repository's calls, so tests can look at and tamper with stored items. */
function emulateTable(): Map<string, Item> {
  const table = new Map<string, Item>();
  const id = (k: Item) => `${String(k.pk)}|${String(k.sk)}`;
  ddb.on(PutCommand).callsFake(async (input: { Item: Item; ConditionExpression?: string }) => {
    if (input.ConditionExpression === 'attribute_not_exists(pk)' && table.has(id(input.Item))) throw conditionFailed;
    table.set(id(input.Item), { ...input.Item });
    return {};
  });
  ddb.on(GetCommand).callsFake(async (input: { Key: Item }) => ({ Item: table.get(id(input.Key)) }));
  ddb.on(UpdateCommand).callsFake(async (input: { Key: Item; ConditionExpression: string; ExpressionAttributeValues: Item }) => {
    const current = table.get(id(input.Key));
    if (!current || input.ConditionExpression !== 'attribute_exists(pk)') throw conditionFailed;
    const next = { ...current };
    for (const [name, value] of Object.entries(input.ExpressionAttributeValues)) next[name.slice(1)] = value;
    table.set(id(input.Key), next);
    return { Attributes: next };
  });
  ddb.on(DeleteCommand).callsFake(async (input: { Key: Item }) => {
    if (!table.delete(id(input.Key))) throw conditionFailed;
    return {};
  });
  ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Item }) => ({
    Items: [...table.values()].filter((i) => i.pk === input.ExpressionAttributeValues[':pk']),
  }));
  return table;
}

/** Every byte an item holds, binary attributes included. */
function itemBytes(item: Item): Buffer {
  return Buffer.concat(
    Object.values(item).map((v) => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(JSON.stringify(v) ?? '', 'utf8'))),
  );
}

describe('FileSecretKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates 32 random bytes, owner-only, on first use and reuses them', async () => {
    const path = join(dir, 'keys', 'secrets.key');
    const first = await new FileSecretKey(path).key();
    expect(readFileSync(path)).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    const second = await new FileSecretKey(path).key();
    expect(second.equals(first)).toBe(true);
  });

  it('lets two processes starting together agree on one key', async () => {
    const path = join(dir, 'keys', 'secrets.key');
    const [a, b] = await Promise.all([new FileSecretKey(path).key(), new FileSecretKey(path).key()]);
    expect(a.equals(b)).toBe(true);
  });

  it('refuses a key file of the wrong size instead of silently re-keying', async () => {
    const path = join(dir, 'secrets.key');
    writeFileSync(path, Buffer.alloc(16));
    await expect(new FileSecretKey(path).key()).rejects.toThrow(/exactly 32 bytes/);
  });
});

describe('EncryptedTableSecretStore', () => {
  let dir: string;
  let table: Map<string, Item>;
  let store: EncryptedTableSecretStore;
  const repo = new DynamoSecretMetadataRepository(db, 'tbl');
  const itemOf = (accountId: string, key: string) => table.get(`ACCT#${accountId}|SECRET#${key}`)!;

  beforeEach(() => {
    ddb.reset();
    table = emulateTable();
    dir = mkdtempSync(join(tmpdir(), 'stepwise-secrets-'));
    store = new EncryptedTableSecretStore(repo, new FileSecretKey(join(dir, 'keys', 'secrets.key')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips create, replace and delete', async () => {
    expect(await store.create(meta(A, 'DATABASE_URL'), VALUE)).toBe(true);
    expect(await store.read(A, 'DATABASE_URL')).toBe(VALUE);
    expect(await store.replace(A, 'DATABASE_URL', 'ünïcode ✓ 😀', 'later')).toEqual({ ...meta(A, 'DATABASE_URL'), updatedAt: 'later' });
    expect(await store.read(A, 'DATABASE_URL')).toBe('ünïcode ✓ 😀');
    expect(await store.list(A)).toEqual([{ ...meta(A, 'DATABASE_URL'), updatedAt: 'later' }]);
    expect(await store.delete(A, 'DATABASE_URL')).toBe(true);
    expect(await store.read(A, 'DATABASE_URL')).toBeUndefined();
  });

  it('keeps metadata and value in one conditional write: a duplicate is refused, a missing key not replaced', async () => {
    expect(await store.create(meta(A, 'API_KEY'), VALUE)).toBe(true);
    expect(await store.create(meta(A, 'API_KEY'), 'other')).toBe(false);
    expect(await store.read(A, 'API_KEY')).toBe(VALUE);
    expect(await store.replace(A, 'MISSING', VALUE, 'later')).toBeUndefined();
    expect(await store.delete(A, 'MISSING')).toBe(false);
    expect(table.size).toBe(1);
  });

  it('stores neither the plaintext nor the key in the item', async () => {
    await store.create(meta(A, 'API_KEY'), VALUE);
    const item = itemOf(A, 'API_KEY');
    const bytes = itemBytes(item);
    expect(bytes.includes(Buffer.from(VALUE))).toBe(false);
    expect(bytes.includes(Buffer.from(VALUE).toString('base64'))).toBe(false);
    expect(bytes.includes(readFileSync(join(dir, 'keys', 'secrets.key')))).toBe(false);
    expect(item).toMatchObject({ sealed_alg: 'A256GCM', key: 'API_KEY' });
    expect(item.sealed_iv).toHaveLength(12);
    expect(item.sealed_tag).toHaveLength(16);
  });

  it('uses a fresh nonce per write: the same value never seals to the same bytes', async () => {
    await store.create(meta(A, 'ONE'), VALUE);
    await store.create(meta(A, 'TWO'), VALUE);
    expect(Buffer.from(itemOf(A, 'ONE').sealed_iv as Uint8Array).equals(Buffer.from(itemOf(A, 'TWO').sealed_iv as Uint8Array))).toBe(false);
  });

  it.each([
    ['a flipped ciphertext bit', (i: Item) => ({ ...i, sealed_ct: flip(i.sealed_ct as Uint8Array) })],
    ['a flipped tag bit', (i: Item) => ({ ...i, sealed_tag: flip(i.sealed_tag as Uint8Array) })],
    ['a changed nonce', (i: Item) => ({ ...i, sealed_iv: flip(i.sealed_iv as Uint8Array) })],
  ])('detects tampering: %s', async (_name, tamper) => {
    await store.create(meta(A, 'API_KEY'), VALUE);
    table.set(`ACCT#${A}|SECRET#API_KEY`, tamper(itemOf(A, 'API_KEY')));
    const error: unknown = await store.read(A, 'API_KEY').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/failed authentication/);
    expect((error as Error).message).not.toContain(VALUE);
  });

  it('refuses a ciphertext moved to another key or another account', async () => {
    await store.create(meta(A, 'API_KEY'), VALUE);
    await store.create(meta(A, 'OTHER'), 'x');
    await store.create(meta(B, 'API_KEY'), 'y');
    const sealed = Object.fromEntries(Object.entries(itemOf(A, 'API_KEY')).filter(([k]) => k.startsWith('sealed_')));
    table.set(`ACCT#${A}|SECRET#OTHER`, { ...itemOf(A, 'OTHER'), ...sealed });
    table.set(`ACCT#${B}|SECRET#API_KEY`, { ...itemOf(B, 'API_KEY'), ...sealed });
    await expect(store.read(A, 'OTHER')).rejects.toThrow(/failed authentication/);
    await expect(store.read(B, 'API_KEY')).rejects.toThrow(/failed authentication/);
  });

  it('cannot open values under a different key file', async () => {
    await store.create(meta(A, 'API_KEY'), VALUE);
    const otherDir = mkdtempSync(join(tmpdir(), 'stepwise-secrets-'));
    try {
      const other = new EncryptedTableSecretStore(repo, new FileSecretKey(join(otherDir, 'secrets.key')));
      await expect(other.read(A, 'API_KEY')).rejects.toThrow(/failed authentication/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('deletes all of one account’s items', async () => {
    await store.create(meta(A, 'ONE'), VALUE);
    await store.create(meta(A, 'TWO'), VALUE);
    await store.create(meta(B, 'ONE'), VALUE);
    ddb.on(BatchWriteCommand).callsFake(async (input: { RequestItems: Record<string, { DeleteRequest: { Key: Item } }[]> }) => {
      for (const r of input.RequestItems.tbl ?? []) table.delete(`${String(r.DeleteRequest.Key.pk)}|${String(r.DeleteRequest.Key.sk)}`);
      return {};
    });
    await store.deleteAll(A);
    expect(await store.list(A)).toEqual([]);
    expect(await store.read(B, 'ONE')).toBe(VALUE);
  });
});

function flip(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
}
