import type { ChatMessage, ChatSession } from '../../../../functions/core/chat/chat.ts';
import type { ChatSessionRepository } from '../../../../functions/core/chat/ports.ts';

/** Chat sessions in memory, with the DynamoDB repository's conditional-append contract. */
export class MemoryChatSessions implements ChatSessionRepository {
  readonly sessions = new Map<string, ChatSession>();
  readonly stored = new Map<string, ChatMessage[]>();
  /** Called before an append's condition is checked; lets a test slip in a concurrent turn. */
  beforeAppend: (() => void) | undefined;

  private key = (accountId: string, id: string) => `${accountId}/${id}`;

  async get(accountId: string, sessionId: string) {
    const s = this.sessions.get(this.key(accountId, sessionId));
    return s ? structuredClone(s) : undefined;
  }

  async append(previous: ChatSession | undefined, next: ChatSession, messages: readonly ChatMessage[]) {
    this.beforeAppend?.();
    const k = this.key(next.accountId, next.id);
    const current = this.sessions.get(k);
    if (previous ? current?.turns !== previous.turns : current !== undefined) return false;
    // A JSON round trip, as DynamoDB stores it: nothing the service keeps may depend on object identity.
    this.sessions.set(k, JSON.parse(JSON.stringify(next)) as ChatSession);
    this.stored.set(k, [...(this.stored.get(k) ?? []), ...structuredClone([...messages])]);
    return true;
  }

  async messages(accountId: string, sessionId: string) {
    return structuredClone(this.stored.get(this.key(accountId, sessionId)) ?? []);
  }
}
