import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChatMessage, ChatSession, PendingQuestion, TaskHandle } from '../../core/chat/chat.ts';
import type { ChatSessionRepository } from '../../core/chat/ports.ts';
import { failedConditionIndexes, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

/**
 * Chat sessions in the account's partition: the session item (`CHAT#<id>`, with the context an
 * engine needs) and one item per message (`CHAT#<id>#MSG#<seq>`). Every item of a session carries
 * the session's expiry as `ttl`, so a conversation disappears as a whole.
 */
export class DynamoChatSessionRepository implements ChatSessionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(accountId: string, sessionId: string): Promise<ChatSession | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.chatSession(accountId, sessionId) }));
    return out.Item ? toSession(out.Item) : undefined;
  }

  async append(previous: ChatSession | undefined, next: ChatSession, messages: readonly ChatMessage[]): Promise<boolean> {
    const ttl = Math.floor(Date.parse(next.expiresAt) / 1000);
    const session = previous
      ? { ConditionExpression: '#turns = :turns', ExpressionAttributeNames: { '#turns': 'turns' }, ExpressionAttributeValues: { ':turns': previous.turns } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: sessionItem(next, ttl), ...session } },
            ...messages.map((m) => ({
              Put: { TableName: this.tableName, Item: messageItem(next, m, ttl), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          ],
        }),
      );
      return true;
    } catch (error) {
      // Another turn of the same session got there first.
      if (isConditionalCheckFailed(error) || failedConditionIndexes(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  async messages(accountId: string, sessionId: string): Promise<ChatMessage[]> {
    const out: ChatMessage[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.chatSession(accountId, sessionId).pk, ':prefix': keys.chatMessagePrefix(sessionId) },
      },
      async (items) => void out.push(...items.map(toMessage)),
    );
    return out;
  }
}

function sessionItem(s: ChatSession, ttl: number): Item {
  return {
    ...keys.chatSession(s.accountId, s.id),
    entity: 'chat_session',
    id: s.id,
    account_id: s.accountId,
    user_id: s.userId,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    expires_at: s.expiresAt,
    turns: s.turns,
    last_tasks: s.lastTasks.map((t) => ({ id: t.id, name: t.name })),
    // JSON text: a waiting workflow run may carry any JSON input, which a document map would reshape.
    pending: s.pending ? JSON.stringify(s.pending) : null,
    recent: s.recent.map(messageFields),
    ttl,
  };
}

function messageItem(s: ChatSession, m: ChatMessage, ttl: number): Item {
  return { ...keys.chatMessage(s.accountId, s.id, m.seq), entity: 'chat_message', session_id: s.id, ...messageFields(m), ttl };
}

function messageFields(m: ChatMessage): Item {
  return { seq: m.seq, role: m.role, text: m.text, created_at: m.createdAt, task_ids: [...m.taskIds], ...(m.engine ? { engine: m.engine } : {}) };
}

function toMessage(i: Item): ChatMessage {
  return {
    seq: Number(i.seq),
    role: i.role === 'assistant' ? 'assistant' : 'user',
    text: String(i.text),
    createdAt: String(i.created_at),
    taskIds: (i.task_ids as string[] | undefined) ?? [],
    ...(i.engine === 'rules' || i.engine === 'bedrock' ? { engine: i.engine } : {}),
  };
}

function toSession(i: Item): ChatSession {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    userId: (i.user_id as string | null | undefined) ?? null,
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    expiresAt: String(i.expires_at),
    turns: Number(i.turns),
    lastTasks: ((i.last_tasks as TaskHandle[] | undefined) ?? []).map((t) => ({ id: String(t.id), name: String(t.name) })),
    pending: typeof i.pending === 'string' ? (JSON.parse(i.pending) as PendingQuestion) : null,
    recent: ((i.recent as Item[] | undefined) ?? []).map(toMessage),
  };
}
