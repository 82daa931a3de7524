import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoSecretMetadataRepository } from '../../../../functions/adapters/dynamodb/secret-metadata-repository.ts';
import { EncryptedTableSecretStore, FileSecretKey } from '../../../../functions/adapters/local/encrypted-table-secret-store.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { SecretResolver } from '../../../../functions/core/secrets/secret-resolver.ts';
import { SecretService } from '../../../../functions/core/secrets/secret-service.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const VALUE = 'sk_live_correct-horse-battery-staple';
const admin = principal({ accountId: A, role: 'admin', scopes: ROLE_SCOPES.admin });

/** Local mode end to end against DynamoDB Local: real conditions, real binary marshalling. */
describe('local secrets on DynamoDB Local', () => {
  const tableName = `secrets-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-secrets-int-'));
  const store = new EncryptedTableSecretStore(new DynamoSecretMetadataRepository(db, tableName), new FileSecretKey(join(dir, 'keys', 'secrets.key')));
  const clock = fixedClock();
  const resolver = new SecretResolver(store, clock);
  const service = new SecretService(store, clock, resolver);

  beforeAll(async () => {
    await ensureTable(new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), tableName);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates, lists, resolves, replaces and deletes', async () => {
    await service.create(admin, A, { key: 'DATABASE_URL', value: 'postgres://x/db' });
    await service.create(admin, A, { key: 'API_KEY', value: VALUE });
    await expect(service.create(admin, A, { key: 'API_KEY', value: 'again-value' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await service.list(admin, A)).map((s) => s.key)).toEqual(['API_KEY', 'DATABASE_URL']);
    expect(Object.fromEntries(await resolver.resolveMany(A, ['API_KEY', 'DATABASE_URL']))).toEqual({ API_KEY: VALUE, DATABASE_URL: 'postgres://x/db' });

    const raw = await db.send(new GetCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: 'SECRET#API_KEY' } }));
    expect(raw.Item?.sealed_ct).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(raw.Item!.sealed_ct as Uint8Array).includes(Buffer.from(VALUE))).toBe(false);

    clock.advance(1000);
    await service.replace(admin, A, 'API_KEY', 'rotated-value');
    expect(await resolver.resolve(A, 'API_KEY')).toBe('rotated-value');
    await expect(service.replace(admin, A, 'MISSING', 'x-missing-value')).rejects.toMatchObject({ code: 'not_found' });

    await service.delete(admin, A, 'API_KEY');
    expect(await resolver.resolve(A, 'API_KEY')).toBeUndefined();
    await service.deleteAll(A);
    expect(await service.list(admin, A)).toEqual([]);
  });
});
