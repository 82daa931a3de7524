import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoApprovalStore } from '../../../../functions/adapters/dynamodb/approval-store.ts';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { newId } from '../../../../functions/core/ids.ts';

/** The approval records against DynamoDB Local: one pending request per node, one decision, the sparse pending list per account. */
describe('DynamoApprovalStore (DynamoDB Local)', () => {
  const tableName = `approvals-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoApprovalStore(db, tableName);
  const at = '2026-12-03T09:00:00.000Z';

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  const request = (accountId: string, executionId: string, nodeId = 'gate') => ({
    accountId,
    executionId,
    workflowId: newId('workflow'),
    nodeId,
    message: 'Ship?',
    approvers: ['ada@example.com'],
    onReject: 'fail' as const,
    requestedAt: at,
    expiresAt: null,
  });

  it('stores a request once, moves a replay to its new token, and lets exactly one decision claim it', async () => {
    const [account, other] = [newId('account'), newId('account')];
    const execution = newId('execution');
    const key = { accountId: account, executionId: execution, nodeId: 'gate' };
    expect(await store.request(request(account, execution), 'token-1', at)).toMatchObject({ status: 'pending', approvers: ['ada@example.com'] });
    expect(await store.get(key)).toMatchObject({ status: 'pending', token: 'token-1' });
    // A replay after a restart asks again: the same record, the new token.
    expect(await store.request(request(account, execution), 'token-2', at)).toMatchObject({ status: 'pending' });
    expect((await store.get(key))?.token).toBe('token-2');
    expect((await store.listPending(account, { limit: 10 })).map((a) => a.nodeId)).toEqual(['gate']);
    expect(await store.listPending(other, { limit: 10 })).toEqual([]);

    expect(await store.decide(key, { decision: 'approve', comment: 'ok', decidedBy: 'usr_1', decidedAt: at })).toEqual({ token: 'token-2' });
    expect(await store.decide(key, { decision: 'reject', comment: null, decidedBy: 'usr_2', decidedAt: at })).toBeUndefined();
    expect(await store.get(key)).toMatchObject({ status: 'approved', decision: 'approve', decidedBy: 'usr_1', token: null });
    expect(await store.listPending(account, { limit: 10 })).toEqual([]);
    // Asking after the decision answers the decision, unchanged.
    expect(await store.request(request(account, execution), 'token-3', at)).toMatchObject({ status: 'approved', decision: 'approve' });
  });

  it('closes the pending approvals of a run that ended without them, and only that run’s', async () => {
    const account = newId('account');
    const [ended, running] = [newId('execution'), newId('execution')];
    await store.request(request(account, ended, 'a'), 't-a', at);
    await store.request(request(account, ended, 'b'), 't-b', at);
    await store.request(request(account, running, 'c'), 't-c', at);
    expect((await store.listPending(account, { executionId: ended, limit: 10 })).map((a) => a.nodeId).toSorted()).toEqual(['a', 'b']);
    await store.close(account, ended, 'closed', at);
    expect((await store.listPending(account, { limit: 10 })).map((a) => a.nodeId)).toEqual(['c']);
    expect(await store.get({ accountId: account, executionId: ended, nodeId: 'a' })).toMatchObject({ status: 'closed', token: null });
  });
});
