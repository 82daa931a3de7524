import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoDataSourceRepository } from '../../../../functions/adapters/dynamodb/data-source-repository.ts';
import { DynamoEmailTemplateRepository } from '../../../../functions/adapters/dynamodb/email-template-repository.ts';
import { DynamoOutbox } from '../../../../functions/adapters/dynamodb/outbox-repository.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';

/** Email templates, the outbox and data sources against DynamoDB Local: conditional writes, per-account partitions, paging. */
describe('data-slice repositories (DynamoDB Local)', () => {
  const tableName = `data-repos-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const at = '2026-12-03T09:00:00.000Z';

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  it('email templates: create only when absent, replace only when present, delete once, per account', async () => {
    const repo = new DynamoEmailTemplateRepository(db, tableName);
    const [a, b] = [newId('account'), newId('account')];
    const t = { accountId: a, id: 'tpl_welcome_v2', subject: 'Hi {{name}}', text: 't', html: '<p>h</p>', createdAt: at, updatedAt: at };
    expect(await repo.put(t, { mustNotExist: true })).toBe('created');
    expect(await repo.put(t, { mustNotExist: true })).toBe('exists');
    expect(await repo.put({ ...t, subject: 'Hello' }, { mustExist: true })).toBe('replaced');
    expect(await repo.put({ ...t, accountId: b, id: 'other' }, { mustExist: true })).toBe('missing');
    expect(await repo.get(a, 'tpl_welcome_v2')).toEqual({ ...t, subject: 'Hello' });
    expect(await repo.get(b, 'tpl_welcome_v2')).toBeUndefined();
    expect((await repo.list(a)).map((x) => x.id)).toEqual(['tpl_welcome_v2']);
    expect(await repo.delete(a, 'tpl_welcome_v2')).toBe(true);
    expect(await repo.delete(a, 'tpl_welcome_v2')).toBe(false);
  });

  it('the outbox: newest first, paged with an exact total, per account', async () => {
    const outbox = new DynamoOutbox(db, tableName);
    const [a, b] = [newId('account'), newId('account')];
    for (const n of [1, 2, 3]) await outbox.append(a, { id: `msg_0${n}`, to: `u${n}@example.com`, subject: `s${n}`, text: '', html: '', sentAt: at });
    const first = await outbox.list(a, { limit: 2, offset: 0, cursor: undefined });
    expect(first.items.map((e) => e.id)).toEqual(['msg_03', 'msg_02']);
    expect(first.total).toBe(3);
    const rest = await outbox.list(a, { limit: 2, offset: 0, cursor: first.nextCursor });
    expect(rest.items.map((e) => e.to)).toEqual(['u1@example.com']);
    expect((await outbox.list(b, { limit: 10, offset: 0, cursor: undefined })).total).toBe(0);
  });

  it('data sources: create only when absent, replace only when present, keep only the fields given', async () => {
    const repo = new DynamoDataSourceRepository(db, tableName);
    const a = newId('account');
    const s = { accountId: a, name: 'users_table', type: 'postgres' as const, url: 'postgres://app:{{secrets.DB}}@db/crm', table: 'users', createdAt: at, updatedAt: at };
    expect(await repo.put(s, 'create')).toBe(true);
    expect(await repo.put(s, 'create')).toBe(false);
    expect(await repo.put({ ...s, name: 'nope' }, 'replace')).toBe(false);
    const { table: _dropped, ...withoutTable } = s;
    expect(await repo.put(withoutTable, 'replace')).toBe(true);
    expect(await repo.get(a, 'users_table')).toEqual(withoutTable);
    expect((await repo.list(a)).map((x) => x.name)).toEqual(['users_table']);
    expect(await repo.delete(a, 'users_table')).toBe(true);
    expect(await repo.get(a, 'users_table')).toBeUndefined();
  });
});
