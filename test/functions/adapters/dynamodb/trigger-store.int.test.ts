import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoTriggerStore } from '../../../../functions/adapters/dynamodb/trigger-store.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { TriggerState } from '../../../../functions/core/triggers/ports.ts';

describe('DynamoTriggerStore (DynamoDB Local)', () => {
  const tableName = `triggers-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoTriggerStore(db, tableName);
  const account = newId('account');
  const other = newId('account');

  const state = (workflowId: string, trigger: TriggerState['trigger'], accountId = account): TriggerState => ({ accountId, workflowId, trigger, enabled: true, updatedAt: '2026-03-01T00:00:00.000Z' });
  const raw = async (pk: string, sk: string) => (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  it('keeps one index row per listened event type, replacing the previous set in one write', async () => {
    const wf = newId('workflow');
    const first = state(wf, { type: 'event', events: ['task.created', 'workflow.failed'], filter: { 'data.status': ['failed', 'timed_out'] } });
    await store.saveState(undefined, first);
    expect(await store.state(account, wf)).toEqual(first);
    expect(await store.subscribers(account, 'workflow.failed')).toEqual([{ accountId: account, workflowId: wf, event: 'workflow.failed', filter: { 'data.status': ['failed', 'timed_out'] } }]);
    expect(await store.subscribers(other, 'workflow.failed')).toEqual([]);

    const second = state(wf, { type: 'event', events: ['workflow.failed', 'task.updated'] });
    await store.saveState(first, second);
    expect(await store.subscribers(account, 'task.created')).toEqual([]);
    expect(await store.subscribers(account, 'task.updated')).toEqual([{ accountId: account, workflowId: wf, event: 'task.updated' }]);
    expect(await store.subscribers(account, 'workflow.failed')).toEqual([{ accountId: account, workflowId: wf, event: 'workflow.failed' }]);

    await store.deleteState(second);
    expect(await store.state(account, wf)).toBeUndefined();
    expect(await store.subscribers(account, 'workflow.failed')).toEqual([]);
  });

  it('lists schedules of every account for the local loop, and only schedules', async () => {
    const a = state(newId('workflow'), { type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' });
    const b = state(newId('workflow'), { type: 'schedule', cron: '*/5 * * * *', timezone: 'Europe/Berlin' }, other);
    const hook = state(newId('workflow'), { type: 'webhook' });
    for (const s of [a, b, hook]) await store.saveState(undefined, s);
    const listed = (await store.schedules()).filter((s) => [a.workflowId, b.workflowId, hook.workflowId].includes(s.workflowId));
    expect(listed.toSorted((x, y) => x.workflowId.localeCompare(y.workflowId))).toEqual([a, b].toSorted((x, y) => x.workflowId.localeCompare(y.workflowId)));
    // Switching away from a schedule takes it off the loop's index.
    await store.saveState(a, { ...a, trigger: { type: 'manual' } });
    expect((await store.schedules()).map((s) => s.workflowId)).not.toContain(a.workflowId);
  });

  it('keeps webhook credentials by workflow id, never handing one to another account', async () => {
    const wf = newId('workflow');
    const credential = { workflowId: wf, accountId: account, tokenHash: 'a'.repeat(64), createdAt: '2026-03-01T00:00:00.000Z' };
    await store.saveWebhook(credential);
    expect(await store.webhook(wf)).toEqual(credential);
    expect(await raw(`HOOK#${wf}`, 'HOOK')).toMatchObject({ token_hash: 'a'.repeat(64), account_id: account });
    await expect(store.saveWebhook({ ...credential, accountId: other, tokenHash: 'b'.repeat(64) })).rejects.toThrow(/conditional request failed/i);
    await store.deleteWebhook(other, wf);
    expect((await store.webhook(wf))?.tokenHash).toBe('a'.repeat(64));
    await store.saveWebhook({ ...credential, tokenHash: 'c'.repeat(64) });
    expect((await store.webhook(wf))?.tokenHash).toBe('c'.repeat(64));
    await store.deleteWebhook(account, wf);
    expect(await store.webhook(wf)).toBeUndefined();
    await store.deleteWebhook(account, wf);
  });
});
