import type { ChatService } from '../core/chat/chat-service.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath } from '../shared/schemas.ts';
import { taskView } from '../tasks/schemas.ts';
import { ChatBody, ChatResponseSchema, ChatSessionSchema, chatSessionView } from './schemas.ts';

export function chatOperations(chat: () => ChatService): Record<string, Operation> {
  return {
    chat: operation(
      {
        body: ChatBody,
        response: ChatResponseSchema,
        description:
          'Behflow’s assistant: create, list, change and delete tasks, or run a workflow, in plain English. A message the assistant cannot act on gets an answer listing what it can do, not an error. See docs/api.md#chat.',
      },
      async ({ principal, body }) => {
        const reply = await chat().send(principal, { message: body.message, sessionId: body.session_id ?? undefined });
        return { status: 200, body: { response: reply.response, session_id: reply.session.id, tasks: reply.tasks.map(taskView) } };
      },
    ),

    getChatSession: operation({ params: IdPath, response: ChatSessionSchema, description: 'A chat session of the caller with every message, oldest first.' }, async ({ principal, params }) => {
      const { session, messages } = await chat().history(principal, params.id);
      return { status: 200, body: chatSessionView(session, messages) };
    }),
  };
}
