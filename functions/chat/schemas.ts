import * as z from 'zod';
import { MAX_MESSAGE_CHARS, type ChatMessage, type ChatSession } from '../core/chat/chat.ts';
import { TaskSchema } from '../tasks/schemas.ts';

export const ChatBody = z
  .strictObject({
    message: z
      .string()
      .trim()
      .min(1, 'message must not be empty')
      .max(MAX_MESSAGE_CHARS, `message must be at most ${MAX_MESSAGE_CHARS} characters`)
      .meta({ description: `What to do, in plain English (at most ${MAX_MESSAGE_CHARS} characters)`, example: 'Create a task to review project documentation by Friday #docs' }),
    session_id: z
      .string()
      .min(1, 'session_id must not be empty')
      .max(64)
      .nullable()
      .optional()
      .meta({ description: 'Continue this conversation (the session_id of an earlier answer); omit or null to start a new one' }),
  })
  .meta({ id: 'ChatRequest' });

export const ChatResponseSchema = z
  .object({
    response: z.string().meta({ description: 'The assistant’s answer' }),
    session_id: z.string().meta({ description: 'Send it back to continue the conversation ("make it urgent")' }),
    tasks: z.array(TaskSchema).meta({ description: 'Tasks the message created, changed, listed or asks about, as the tasks API returns them' }),
  })
  .meta({ id: 'ChatResponse' });

export const ChatMessageSchema = z
  .object({
    seq: z.number().int(),
    role: z.enum(['user', 'assistant']),
    text: z.string(),
    created_at: z.string(),
    task_ids: z.array(z.string()).meta({ description: 'Tasks the turn touched (assistant messages), deleted ones included' }),
    engine: z.enum(['rules', 'bedrock']).optional().meta({ description: 'Which engine understood the message (assistant messages)' }),
  })
  .meta({ id: 'ChatMessage' });

export const ChatSessionSchema = z
  .object({
    id: z.string(),
    session_id: z.string().meta({ description: 'Same as id' }),
    created_at: z.string(),
    updated_at: z.string(),
    expires_at: z.string().meta({ description: 'The session and its messages are deleted after this' }),
    messages: z.array(ChatMessageSchema),
  })
  .meta({ id: 'ChatSession' });

export function chatMessageView(m: ChatMessage): z.output<typeof ChatMessageSchema> {
  return { seq: m.seq, role: m.role, text: m.text, created_at: m.createdAt, task_ids: [...m.taskIds], ...(m.engine ? { engine: m.engine } : {}) };
}

export function chatSessionView(s: ChatSession, messages: readonly ChatMessage[]): z.output<typeof ChatSessionSchema> {
  return { id: s.id, session_id: s.id, created_at: s.createdAt, updated_at: s.updatedAt, expires_at: s.expiresAt, messages: messages.map(chatMessageView) };
}
