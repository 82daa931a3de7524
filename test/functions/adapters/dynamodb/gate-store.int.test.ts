import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoGateStore } from '../../../../functions/adapters/dynamodb/gate-store.ts';
import { keys } from '../../../../functions/adapters/dynamodb/keys.ts';
import { DependencyGates } from '../../../../functions/core/runner/dependency-gates.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';

/**
 * Gate records against DynamoDB Local: the token and the ended dependencies land on one item, and a gate
 * whose token and dependencies arrive concurrently (separate invocations) is opened exactly once.
 */
describe('DynamoGateStore (DynamoDB Local)', () => {
  const tableName = `gate-store-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const now = new Date('2026-12-02T16:00:00.000Z');
  const store = new DynamoGateStore(db, tableName, () => now);

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  const run = () => {
    const accountId = newId('account');
    const executionId = newId('execution');
    return { accountId, executionId, execution_id: `arn:aws:states:us-east-1:123456789012:execution:stepwise-wf_x:${executionId}-${accountId}` };
  };

  it('keeps the token and the ended dependencies on the gate’s one item, under the account, with a TTL', async () => {
    const { accountId, executionId } = run();
    const key = { accountId, executionId, nodeId: 'c' };
    expect(await store.addEnded(key, 'a')).toEqual({ ended: ['a'] });
    expect(await store.setToken(key, 'T1')).toEqual({ token: 'T1', ended: ['a'] });
    expect((await store.addEnded(key, 'b')).ended.toSorted()).toEqual(['a', 'b']);
    expect((await store.addEnded(key, 'b')).ended.toSorted()).toEqual(['a', 'b']);
    const item = (await db.send(new GetCommand({ TableName: tableName, Key: keys.runGate(accountId, executionId, 'c') }))).Item;
    expect(item?.pk).toBe(`ACCT#${accountId}`);
    expect(item?.task_token).toBe('T1');
    expect(item?.ttl).toBe(Math.floor(now.getTime() / 1000) + 395 * 86_400);
    // Another iteration of the same node is another gate.
    expect(await store.setToken({ ...key, mapKey: '0.1' }, 'T2')).toEqual({ token: 'T2', ended: [] });
  });

  it('opens a gate exactly once when its token and its dependencies race', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const { accountId, execution_id } = run();
      const sent: string[] = [];
      const gates = new DependencyGates(store, { succeed: async (token) => void sent.push(token), fail: async () => undefined });
      const after = ['p0', 'p1', 'p2'];
      const base = { account_id: accountId, workflow_id: 'wf_x', execution_id };
      await Promise.all([
        gates.handle({ ...base, action: 'gate', node_id: 'v', after, task_token: `T${trial}` }),
        ...after.map((p) => gates.handle({ ...base, action: 'release', node_id: p, gates: [{ node_id: 'v', after }] })),
      ]);
      expect(sent, `trial ${trial}`).toEqual([`T${trial}`]);
    }
  });
});
