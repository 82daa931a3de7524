import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoChatSessionRepository } from '../../../../functions/adapters/dynamodb/chat-session-repository.ts';
import type { ChatMessage, ChatSession } from '../../../../functions/core/chat/chat.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = new DynamoChatSessionRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const S = 'chat_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const TTL = Date.parse('2026-02-06T10:00:00.000Z') / 1000;

const messages: ChatMessage[] = [
  { seq: 3, role: 'user', text: 'make it urgent', createdAt: '2026-01-07T10:00:00.000Z', taskIds: [] },
  { seq: 4, role: 'assistant', text: 'Set “Buy milk” to urgent priority.', createdAt: '2026-01-07T10:00:00.000Z', taskIds: ['task_1'], engine: 'rules' },
];
const session: ChatSession = {
  id: S,
  accountId: A,
  userId: 'usr_1',
  createdAt: '2026-01-07T09:00:00.000Z',
  updatedAt: '2026-01-07T10:00:00.000Z',
  expiresAt: '2026-02-06T10:00:00.000Z',
  turns: 2,
  lastTasks: [{ id: 'task_1', name: 'Buy milk' }],
  pending: { intent: { kind: 'run_workflow', workflow: 'export', input: { nested: [1, { a: null }] } }, candidates: [{ id: 'wf_1', name: 'Export' }] },
  recent: messages,
};

describe('DynamoChatSessionRepository', () => {
  beforeEach(() => ddb.reset());

  it('appends a turn in one transaction: the session (conditional on its turn count) and each message, all with the session’s TTL', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo.append({ ...session, turns: 1 }, session, messages)).toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]).toEqual({
      Put: {
        TableName: 'tbl',
        Item: {
          pk: `ACCT#${A}`,
          sk: `CHAT#${S}`,
          entity: 'chat_session',
          id: S,
          account_id: A,
          user_id: 'usr_1',
          created_at: session.createdAt,
          updated_at: session.updatedAt,
          expires_at: session.expiresAt,
          turns: 2,
          last_tasks: [{ id: 'task_1', name: 'Buy milk' }],
          pending: JSON.stringify(session.pending),
          recent: [
            { seq: 3, role: 'user', text: 'make it urgent', created_at: '2026-01-07T10:00:00.000Z', task_ids: [] },
            { seq: 4, role: 'assistant', text: 'Set “Buy milk” to urgent priority.', created_at: '2026-01-07T10:00:00.000Z', task_ids: ['task_1'], engine: 'rules' },
          ],
          ttl: TTL,
        },
        ConditionExpression: '#turns = :turns',
        ExpressionAttributeNames: { '#turns': 'turns' },
        ExpressionAttributeValues: { ':turns': 1 },
      },
    });
    expect(items.slice(1).map((i) => [i.Put?.Item?.sk, i.Put?.Item?.ttl, i.Put?.ConditionExpression])).toEqual([
      [`CHAT#${S}#MSG#000003`, TTL, 'attribute_not_exists(pk)'],
      [`CHAT#${S}#MSG#000004`, TTL, 'attribute_not_exists(pk)'],
    ]);
  });

  it('creates a new session only if the id is unused', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.append(undefined, { ...session, turns: 1 }, messages);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('reports a lost race as false and other failures as errors', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }] }))
      .rejectsOnce(Object.assign(new Error('busy'), { name: 'ProvisionedThroughputExceededException' }));
    expect(await repo.append(session, session, messages)).toBe(false);
    await expect(repo.append(session, session, messages)).rejects.toThrow('busy');
  });

  it('reads a session back by its account-scoped key, pending question included', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.append(undefined, session, messages);
    const stored = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
    ddb.on(GetCommand).resolves({ Item: stored });
    expect(await repo.get(A, S)).toEqual(session);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'tbl', Key: { pk: `ACCT#${A}`, sk: `CHAT#${S}` } });
    ddb.on(GetCommand).resolves({});
    expect(await repo.get(A, S)).toBeUndefined();
  });

  it('reads every message of a session in order, page by page, from its own key range', async () => {
    const item = (seq: number) => ({ pk: `ACCT#${A}`, sk: `CHAT#${S}#MSG#${String(seq).padStart(6, '0')}`, seq, role: seq % 2 ? 'user' : 'assistant', text: `m${seq}`, created_at: 't', task_ids: [] });
    ddb.on(QueryCommand).resolvesOnce({ Items: [item(1), item(2)], LastEvaluatedKey: { pk: 'x', sk: 'y' } }).resolvesOnce({ Items: [item(3)] });
    expect((await repo.messages(A, S)).map((m) => [m.seq, m.role, m.text])).toEqual([[1, 'user', 'm1'], [2, 'assistant', 'm2'], [3, 'user', 'm3']]);
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toEqual({
      TableName: 'tbl',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ACCT#${A}`, ':prefix': `CHAT#${S}#MSG#` },
      ExclusiveStartKey: undefined,
    });
    expect(second?.ExclusiveStartKey).toEqual({ pk: 'x', sk: 'y' });
  });
});
