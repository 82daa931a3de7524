import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';

type Client = ReturnType<typeof api>;

describe('chat (end to end)', () => {
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    [alice, bob] = (await Promise.all([newAccount('chatalice'), newAccount('chatbob')])).map((a) => a.client) as [Client, Client];
  });

  const say = (client: Client, message: string, session_id?: string) => client.post('/api/v1/chat', { message, ...(session_id ? { session_id } : {}) });

  it('creates a task, refers back to it, lists, asks which one, deletes, and keeps the history', async () => {
    const created = await say(alice, 'Create a task to review project documentation by 2030-01-04 #docs');
    expect(created.status).toBe(200);
    expect(created.body.response).toBe('Created “Review project documentation” — medium priority, due Fri 2030-01-04, #docs.');
    expect(created.body.session_id).toMatch(/^chat_[0-9A-Z]{26}$/);
    const [task] = created.body.tasks;
    expect(task).toMatchObject({ task_id: task.id, name: 'Review project documentation', status: 'pending', priority: 'medium', due_date: '2030-01-04T23:59:59.000Z', tags: ['docs'], version: 1 });
    const session = created.body.session_id as string;

    // "it" is the task the conversation is about; the change goes through the tasks API's service.
    const urgent = await say(alice, 'make it urgent', session);
    expect(urgent.body.response).toBe('Set “Review project documentation” to urgent priority.');
    expect((await alice.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ priority: 'urgent', version: 2 });

    const listed = await say(alice, 'show my urgent tasks', session);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect(listed.body.response).toMatch(/^You have 1 urgent-priority task:\n1\. “Review project documentation” — pending, urgent priority/);

    // Two tasks match "documentation": the assistant asks, and the next message answers.
    const other = (await alice.post('/api/v1/tasks', { name: 'Update API documentation' })).body;
    const question = await say(alice, 'mark the documentation as done', session);
    expect(question.body.response).toMatch(/^Which task do you mean\?\n1\. “Update API documentation”.*\n2\. “Review project documentation”/);
    expect(question.body.tasks.map((t: { id: string }) => t.id)).toEqual([other.id, task.id]);
    const answer = await say(alice, 'the second one', session);
    expect(answer.body.response).toBe('Marked “Review project documentation” as done.');
    expect((await alice.get(`/api/v1/tasks/${task.id}`)).body.status).toBe('completed');
    expect((await alice.get(`/api/v1/tasks/${other.id}`)).body.status).toBe('pending');

    const deleted = await say(alice, 'delete the API documentation task', session);
    expect(deleted.body.response).toBe('Deleted “Update API documentation”.');
    expect(deleted.body.tasks).toEqual([]);
    expect((await alice.get(`/api/v1/tasks/${other.id}`)).status).toBe(404);

    const history = await alice.get(`/api/v1/chat/sessions/${session}`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ id: session, session_id: session });
    expect(history.body.messages).toHaveLength(12);
    expect(history.body.messages.map((m: { role: string }) => m.role)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? 'assistant' : 'user')));
    expect(history.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { text: string }) => m.text)).toEqual([
      'Create a task to review project documentation by 2030-01-04 #docs',
      'make it urgent',
      'show my urgent tasks',
      'mark the documentation as done',
      'the second one',
      'delete the API documentation task',
    ]);
    expect(history.body.messages[1]).toMatchObject({ text: created.body.response, task_ids: [task.id], engine: 'rules' });
    expect(history.body.messages[11]).toMatchObject({ task_ids: [other.id] });
    for (const m of history.body.messages) expect(Date.parse(m.created_at)).not.toBeNaN();
  });

  it('answers what it cannot do with help, and rejects bad input in the standard error shape', async () => {
    const help = await say(alice, 'tell me a joke');
    expect(help.status).toBe(200);
    expect(help.body.response).toMatch(/^Sorry, I didn’t understand/);

    const empty = await alice.post('/api/v1/chat', { message: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'validation_error', field: 'message' });
    expect(empty.body.error.request_id).toBe(empty.headers.get('x-request-id'));
    const long = await alice.post('/api/v1/chat', { message: 'x'.repeat(4001) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'validation_error', field: 'message', message: 'message: message must be at most 4000 characters' });
    const unknown = await alice.post('/api/v1/chat', { message: 'hi', account_id: 'acct_x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('account_id');
    const missing = await say(alice, 'hi', 'chat_01BX5ZZKBKACTAV9WEVGEMMVRZ');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', field: 'session_id' });
  });

  it('keeps sessions (and the tasks they touch) inside their account', async () => {
    const mine = await say(alice, 'remind me to renew the lease in 3 days');
    const session = mine.body.session_id as string;

    const foreign = await say(bob, 'mark it as done', session);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: 'not_found', field: 'session_id' });
    expect((await bob.get(`/api/v1/chat/sessions/${session}`)).status).toBe(404);

    // Bob's own chat cannot see or change Alice's task by name either.
    const guess = await say(bob, 'delete the lease task');
    expect(guess.status).toBe(200);
    expect(guess.body.response).toBe('I couldn’t find a task matching “lease”. Say “show my tasks” to see them.');
    expect((await say(bob, 'show my tasks')).body.tasks).toEqual([]);
    expect((await alice.get(`/api/v1/tasks/${mine.body.tasks[0].id}`)).body).toMatchObject({ name: 'Renew the lease', status: 'pending' });
  });
});
