import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatOperations } from '../../../functions/chat/operations.ts';
import { ChatService } from '../../../functions/core/chat/chat-service.ts';
import { RulesChatEngine } from '../../../functions/core/chat/rules-engine.ts';
import { unauthorized } from '../../../functions/core/errors.ts';
import { ROLE_SCOPES } from '../../../functions/core/principal.ts';
import { TaskService } from '../../../functions/core/tasks/task-service.ts';
import { createJsonLogger as createLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { httpHandler, type HttpHandler } from '../../../functions/http/pipeline.ts';
import { fixedClock, InMemoryTaskRepository, principal } from '../../support/fakes.ts';
import { proxyEvent } from '../../support/proxy-event.ts';
import { MemoryChatSessions } from '../core/chat/memory-chat-sessions.ts';

const PRINCIPALS = {
  alice: principal(),
  bob: principal({ accountId: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ', userId: 'usr_01BX5ZZKBKACTAV9WEVGEMMVRZ' }),
  viewer: principal({ role: 'viewer', scopes: ROLE_SCOPES.viewer }),
};
const verifier = {
  verifyApiKey: async () => Promise.reject(unauthorized()),
  verifyAccessToken: async (token: string) => {
    const p = PRINCIPALS[token as keyof typeof PRINCIPALS];
    if (!p) throw unauthorized('The access token is invalid');
    return p;
  },
};

describe('chat handler', () => {
  let handler: HttpHandler;

  beforeEach(() => {
    const clock = fixedClock('2026-01-07T10:00:00.000Z');
    const chat = new ChatService({
      sessions: new MemoryChatSessions(),
      tasks: new TaskService(new InMemoryTaskRepository(), clock),
      engine: new RulesChatEngine(),
      workflows: { run: async () => ({ kind: 'not_found' }) },
      clock,
    });
    handler = httpHandler('chat', chatOperations(() => chat), { verifier: () => verifier, logger: createLogger('error', () => undefined) });
  });

  const post = async (body: unknown, token = 'alice') => {
    const res = await handler(
      proxyEvent('POST', '/api/v1/chat', { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
      {} as Context,
    );
    return { status: res.statusCode, body: JSON.parse(res.body || 'null') };
  };
  const history = async (id: string, token = 'alice') => {
    const res = await handler(proxyEvent('GET', '/api/v1/chat/sessions/{id}', { headers: { Authorization: `Bearer ${token}` }, pathParameters: { id } }), {} as Context);
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  it('answers Behflow’s shape: response, session_id and the tasks in the tasks API’s view', async () => {
    const res = await post({ message: 'Create a task to review project documentation #docs', session_id: null });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).toSorted()).toEqual(['response', 'session_id', 'tasks']);
    expect(res.body.response).toBe('Created “Review project documentation” — medium priority, #docs.');
    expect(res.body.session_id).toMatch(/^chat_[0-9A-Z]{26}$/);
    const [task] = res.body.tasks;
    expect(task).toEqual({
      id: task.id,
      task_id: task.id,
      name: 'Review project documentation',
      description: null,
      status: 'pending',
      priority: 'medium',
      due_date: null,
      tags: ['docs'],
      created_at: '2026-01-07T10:00:00.000Z',
      updated_at: '2026-01-07T10:00:00.000Z',
      version: 1,
    });
  });

  it('continues a session and returns its history', async () => {
    const first = await post({ message: 'remind me to call Sam tomorrow' });
    const second = await post({ message: 'make it urgent', session_id: first.body.session_id });
    expect(second.body.tasks[0]).toMatchObject({ name: 'Call Sam', priority: 'urgent', version: 2 });
    const res = await history(first.body.session_id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.body.session_id, session_id: first.body.session_id, created_at: '2026-01-07T10:00:00.000Z', expires_at: '2026-02-06T10:00:00.000Z' });
    expect(res.body.messages).toEqual([
      { seq: 1, role: 'user', text: 'remind me to call Sam tomorrow', created_at: '2026-01-07T10:00:00.000Z', task_ids: [] },
      { seq: 2, role: 'assistant', text: first.body.response, created_at: '2026-01-07T10:00:00.000Z', task_ids: [first.body.tasks[0].id], engine: 'rules' },
      { seq: 3, role: 'user', text: 'make it urgent', created_at: '2026-01-07T10:00:00.000Z', task_ids: [] },
      { seq: 4, role: 'assistant', text: second.body.response, created_at: '2026-01-07T10:00:00.000Z', task_ids: [first.body.tasks[0].id], engine: 'rules' },
    ]);
  });

  it('answers what it cannot act on with help, not an error', async () => {
    const res = await post({ message: 'sing me a song' });
    expect(res.status).toBe(200);
    expect(res.body.response).toMatch(/^Sorry, I didn’t understand “sing me a song”\. Here is what I can do:/);
    expect(res.body.tasks).toEqual([]);
  });

  it.each([
    ['no message', {}, 'message', 'message: Invalid input: expected string, received undefined'],
    ['an empty message', { message: '' }, 'message', 'message: message must not be empty'],
    ['a blank message', { message: '  \n ' }, 'message', 'message: message must not be empty'],
    ['a message over 4,000 characters', { message: 'x'.repeat(4001) }, 'message', 'message: message must be at most 4000 characters'],
    ['a message that is not text', { message: 42 }, 'message', 'message: Invalid input: expected string, received number'],
    ['an unknown field', { message: 'hi', user_id: 'usr_x' }, 'user_id', expect.stringContaining('user_id')],
    ['an empty session_id', { message: 'hi', session_id: '' }, 'session_id', 'session_id: session_id must not be empty'],
    ['an overlong session_id', { message: 'hi', session_id: 'x'.repeat(65) }, 'session_id', expect.stringContaining('session_id')],
  ])('rejects %s with 400 naming the field', async (_what, body, field, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', field, message, request_id: 'req-123' });
  });

  it('rejects a body that is not JSON', async () => {
    const res = await post('{"message":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers 404 naming session_id for an unknown issued id or another account’s session', async () => {
    const { body } = await post({ message: 'hello' });
    for (const [sessionId, token] of [['chat_01BX5ZZKBKACTAV9WEVGEMMVRZ', 'alice'], [body.session_id, 'bob']]) {
      const res = await post({ message: 'hello', session_id: sessionId }, token);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', field: 'session_id', message: `Chat session '${sessionId}' was not found; omit session_id to start a new session` });
    }
    const foreign = await history(body.session_id, 'bob');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: 'not_found', message: `Chat session '${body.session_id}' was not found` });
  });

  it('starts a session under an id the client picks (Behflow’s "abc-123"), one per account, and refuses ids that could not be keys', async () => {
    const first = await post({ message: 'hello', session_id: 'abc-123' });
    expect(first.status).toBe(200);
    expect(first.body.session_id).toBe('abc-123');
    expect((await post({ message: 'hello again', session_id: 'abc-123' })).body.session_id).toBe('abc-123');
    expect((await history('abc-123', 'alice')).body.messages).toHaveLength(4);
    // Bob's account has its own "abc-123".
    const bob = await post({ message: 'hi', session_id: 'abc-123' }, 'bob');
    expect(bob.body.session_id).toBe('abc-123');
    expect((await history('abc-123', 'bob')).body.messages).toHaveLength(2);
    const bad = await post({ message: 'hi', session_id: 'x#MSG#000001' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('session_id');
  });

  it('needs a credential, and tasks:write to chat', async () => {
    expect((await post({ message: 'hi' }, 'nobody')).status).toBe(401);
    const viewer = await post({ message: 'hi' }, 'viewer');
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe('forbidden');
  });
});
