import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SESSION_TURNS, type ChatContext } from '../../../../functions/core/chat/chat.ts';
import { ChatService } from '../../../../functions/core/chat/chat-service.ts';
import { FallbackChatEngine } from '../../../../functions/core/chat/fallback-engine.ts';
import type { ChatEngine, WorkflowRunner, WorkflowRunResult } from '../../../../functions/core/chat/ports.ts';
import { RulesChatEngine } from '../../../../functions/core/chat/rules-engine.ts';
import { AppError, conflict } from '../../../../functions/core/errors.ts';
import { TaskService } from '../../../../functions/core/tasks/task-service.ts';
import { fixedClock, InMemoryTaskRepository, principal } from '../../../support/fakes.ts';
import { MemoryChatSessions } from './memory-chat-sessions.ts';

const alice = principal();
const aliceColleague = principal({ userId: 'usr_01BX5ZZKBKACTAV9WEVGEMMVRZ' });
const bob = principal({ accountId: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ', userId: 'usr_01BX5ZZKBKACTAV9WEVGEMMVRZ' });

describe('ChatService', () => {
  let clock: ReturnType<typeof fixedClock>;
  let repo: InMemoryTaskRepository;
  let tasks: TaskService;
  let sessions: MemoryChatSessions;
  let runner: { run: ReturnType<typeof vi.fn<WorkflowRunner['run']>> };
  let engine: ChatEngine;
  let chat: ChatService;

  beforeEach(() => {
    clock = fixedClock('2026-01-07T10:00:00.000Z');
    repo = new InMemoryTaskRepository();
    tasks = new TaskService(repo, clock);
    sessions = new MemoryChatSessions();
    runner = { run: vi.fn<WorkflowRunner['run']>(async () => ({ kind: 'not_found' })) };
    engine = new RulesChatEngine();
    chat = new ChatService({ sessions, tasks, engine: { name: 'rules', interpret: (m, c) => engine.interpret(m, c) }, workflows: runner, clock });
  });

  const send = async (message: string, sessionId?: string, who = alice) => chat.send(who, { message, sessionId });

  it('creates a task, answers in words, and returns it in the tasks API shape', async () => {
    const reply = await send('Create a task to review project documentation by friday #docs high priority');
    expect(reply.response).toBe('Created “Review project documentation” — high priority, due Fri 2026-01-09, #docs.');
    expect(reply.tasks).toHaveLength(1);
    expect(reply.tasks[0]).toMatchObject({ name: 'Review project documentation', priority: 'high', dueDate: '2026-01-09T23:59:59.000Z', tags: ['docs'], status: 'pending', version: 1 });
    expect(reply.session).toMatchObject({ accountId: alice.accountId, userId: alice.userId, turns: 1, createdAt: '2026-01-07T10:00:00.000Z', expiresAt: '2026-02-06T10:00:00.000Z', pending: null });
    expect(reply.session.id).toMatch(/^chat_[0-9A-Z]{26}$/);
  });

  it('remembers what "it" is across messages of a session, and records the history', async () => {
    const first = await send('remind me to call the bank tomorrow');
    const id = first.session.id;
    const second = await send('make it urgent', id);
    expect(second.response).toBe('Set “Call the bank” to urgent priority.');
    const third = await send('mark it as done', id);
    expect(third.tasks[0]).toMatchObject({ name: 'Call the bank', priority: 'urgent', status: 'completed', version: 3 });

    clock.advance(60_000);
    const { session, messages } = await chat.history(alice, id);
    expect(session.turns).toBe(3);
    expect(messages.map((m) => [m.seq, m.role, m.text])).toEqual([
      [1, 'user', 'remind me to call the bank tomorrow'],
      [2, 'assistant', first.response],
      [3, 'user', 'make it urgent'],
      [4, 'assistant', second.response],
      [5, 'user', 'mark it as done'],
      [6, 'assistant', third.response],
    ]);
    const taskId = first.tasks[0]!.id;
    expect(messages.filter((m) => m.role === 'assistant').map((m) => [m.taskIds, m.engine])).toEqual([[[taskId], 'rules'], [[taskId], 'rules'], [[taskId], 'rules']]);
    expect(messages.filter((m) => m.role === 'user').every((m) => m.taskIds.length === 0)).toBe(true);
  });

  it('asks which task when a name matches several, and acts on the answer', async () => {
    await tasks.create(alice, { name: 'Quarterly report' });
    clock.advance(1000);
    await tasks.create(alice, { name: 'Annual report' });
    const question = await send('mark the report as done');
    expect(question.response).toBe(
      'Which task do you mean?\n1. “Annual report” — pending, medium priority\n2. “Quarterly report” — pending, medium priority\nReply with the number (“the second one”) or the name.',
    );
    expect(question.tasks.map((t) => t.name)).toEqual(['Annual report', 'Quarterly report']);
    expect(question.session.pending?.candidates.map((c) => c.name)).toEqual(['Annual report', 'Quarterly report']);

    const answer = await send('the second one', question.session.id);
    expect(answer.response).toBe('Marked “Quarterly report” as done.');
    expect(answer.session.pending).toBeNull();
    expect([...repo.items.values()].map((t) => [t.name, t.status]).toSorted()).toEqual([['Annual report', 'pending'], ['Quarterly report', 'completed']]);
  });

  it('applies an answer of "both" to every candidate, and drops the question on "never mind" or a new request', async () => {
    await tasks.create(alice, { name: 'Quarterly report' });
    await tasks.create(alice, { name: 'Annual report' });
    const q1 = await send('make the report urgent');
    await send('both', q1.session.id);
    expect([...repo.items.values()].every((t) => t.priority === 'urgent')).toBe(true);

    const q2 = await send('delete the report', q1.session.id);
    const cancelled = await send('never mind', q2.session.id);
    expect(cancelled.response).toBe('OK, I’ve left them as they are.');
    expect(cancelled.session.pending).toBeNull();
    expect(repo.items.size).toBe(2);

    const q3 = await send('delete the report', q2.session.id);
    const other = await send('show my tasks', q3.session.id);
    expect(other.session.pending).toBeNull();
    expect(other.tasks).toHaveLength(2);
    // An out-of-range answer asks again and keeps the question open.
    const q4 = await send('delete the report', other.session.id);
    const wrong = await send('the fifth one', q4.session.id);
    expect(wrong.response).toBe('Please answer with a number from 1 to 2, or the name.');
    expect(wrong.session.pending).not.toBeNull();
  });

  it('asks which one when "it" could be any task of the last list, and takes "the second one" from it', async () => {
    await tasks.create(alice, { name: 'A', tags: ['x'] });
    clock.advance(1000);
    await tasks.create(alice, { name: 'B', tags: ['x'] });
    const list = await send('list tasks tagged #x');
    expect(list.response).toBe('You have 2 tasks tagged #x:\n1. “B” — pending, medium priority, #x\n2. “A” — pending, medium priority, #x');
    const ask = await send('delete it', list.session.id);
    expect(ask.response).toMatch(/^Which task do you mean\?/);
    const second = await send('mark the second one as blocked', ask.session.id);
    expect(second.response).toBe('Marked “A” as blocked.');
  });

  it('says what it could not do instead of failing', async () => {
    expect((await send('mark it as done')).response).toBe('Which task do you mean? Name it, for example “mark Write the report as done”.');
    expect((await send('delete the dentist appointment')).response).toBe('I couldn’t find a task matching “dentist appointment”. Say “show my tasks” to see them.');
    expect((await send('mark the third one as done')).response).toBe('Which list do you mean? Ask me to show your tasks first.');
    const created = await send('create a task to buy milk');
    expect((await send('mark it as done', created.session.id)).response).toBe('Marked “Buy milk” as done.');
    expect((await send('mark it as done', created.session.id)).response).toBe('“Buy milk” already has that: done, medium priority.');
    await send('delete it', created.session.id);
    expect((await send('start it', created.session.id)).response).toBe('Which task do you mean? Name it, for example “mark Write the report as done”.');
    expect((await send(`create a task called "${'x'.repeat(201)}"`)).response).toBe('Task names can be at most 200 characters.');
    expect((await send('what is the meaning of life')).response).toMatch(/^Sorry, I didn’t understand “what is the meaning of life”. Here is what I can do:/);
  });

  it('lists with exact totals and says when more matched than it shows', async () => {
    for (let i = 0; i < 23; i++) await tasks.create(alice, { name: `t${i}`, priority: 'high' });
    const reply = await send('show my high priority tasks');
    expect(reply.tasks).toHaveLength(20);
    expect(reply.response).toMatch(/^You have 23 high-priority tasks:\n1\. /);
    expect(reply.response).toMatch(/…and 3 more \(showing the first 20\)\.$/);
  });

  it('runs workflows through the runner and words each outcome', async () => {
    const results: WorkflowRunResult[] = [
      { kind: 'started', workflow: { id: 'wf_1', name: 'Nightly export' }, execution: { id: 'exec_1', status: 'running' } },
      { kind: 'not_found' },
      { kind: 'ambiguous', candidates: [{ id: 'wf_a', name: 'Export A' }, { id: 'wf_b', name: 'Export B' }] },
      { kind: 'started', workflow: { id: 'wf_b', name: 'Export B' }, execution: { id: 'exec_2', status: 'pending' } },
    ];
    runner.run.mockImplementation(async () => results.shift()!);
    expect((await send('run the nightly export workflow with {"day": "2026-01-01"}')).response).toBe('Started the workflow “Nightly export”: execution exec_1 is running.');
    expect(runner.run).toHaveBeenLastCalledWith(alice, 'nightly export', { day: '2026-01-01' });
    expect((await send('run the missing workflow')).response).toBe('I couldn’t find a workflow called “missing”.');
    const ask = await send('run export');
    expect(ask.response).toBe('Which workflow do you mean?\n1. “Export A”\n2. “Export B”\nReply with the number (“the second one”) or the name.');
    const answer = await send('Export B', ask.session.id);
    expect(runner.run).toHaveBeenLastCalledWith(alice, 'wf_b', undefined);
    expect(answer.response).toBe('Started the workflow “Export B”: execution exec_2 is pending.');
  });

  it('issue 13 #16 (Low): asks before running a workflow that only loosely matches, and runs it on “yes”', async () => {
    const results: WorkflowRunResult[] = [
      { kind: 'unsure', candidate: { id: 'wf_c', name: 'conc-wf' } },
      { kind: 'started', workflow: { id: 'wf_c', name: 'conc-wf' }, execution: { id: 'exec_3', status: 'running' } },
      { kind: 'unsure', candidate: { id: 'wf_c', name: 'conc-wf' } },
    ];
    runner.run.mockImplementation(async () => results.shift()!);
    const ask = await send('run the A wf workflow');
    expect(ask.response).toBe('I found no workflow called “A wf”. Did you mean “conc-wf”? Reply “yes” to start it, or “no”.');
    expect(runner.run).toHaveBeenCalledTimes(1);
    const yes = await send('yes', ask.session.id);
    expect(runner.run).toHaveBeenLastCalledWith(alice, 'wf_c', undefined);
    expect(yes.response).toBe('Started the workflow “conc-wf”: execution exec_3 is running.');
    const again = await send('run the A wf workflow');
    expect((await send('no', again.session.id)).response).toMatch(/^OK/);
    expect(runner.run).toHaveBeenCalledTimes(3);
  });

  it('explains a refused run and needs the workflows:write scope to run at all', async () => {
    runner.run.mockRejectedValueOnce(conflict('The workflow is paused'));
    expect((await send('run the export workflow')).response).toBe('I couldn’t start “export”: The workflow is paused');
    const tasksOnly = principal({ scopes: ['tasks:read', 'tasks:write'] });
    expect((await send('run the export workflow', undefined, tasksOnly)).response).toBe('Running workflows needs the workflows:write scope, which this credential does not have.');
    expect(runner.run).toHaveBeenCalledTimes(1);
  });

  it('rejects empty and oversized messages, naming the field', async () => {
    for (const message of ['', '   ', 'x'.repeat(4001)]) {
      await expect(send(message)).rejects.toMatchObject({ code: 'validation_error', field: 'message' });
    }
    expect((await send('x'.repeat(4000))).response).toMatch(/^Sorry/);
  });

  it('keeps sessions to their user: unknown, foreign, colleague’s and expired sessions are 404 naming session_id', async () => {
    const { session } = await send('hello');
    const notFound = { code: 'not_found', status: 404, field: 'session_id' };
    await expect(send('hello', 'chat_01BX5ZZKBKACTAV9WEVGEMMVRZ')).rejects.toMatchObject(notFound);
    await expect(send('hello', session.id, bob)).rejects.toMatchObject(notFound);
    await expect(send('hello', session.id, aliceColleague)).rejects.toMatchObject(notFound);
    // A client-picked id is Alice's own session; her colleague's "abc-123" in the same account is not theirs.
    expect((await send('hello', 'abc-123')).session.id).toBe('abc-123');
    await expect(send('hello', 'abc-123', aliceColleague)).rejects.toMatchObject(notFound);
    expect((await send('hello', 'abc-123', bob)).session.id).toBe('abc-123');
    await expect(send('hello', 'no spaces allowed')).rejects.toMatchObject({ code: 'validation_error', field: 'session_id' });
    await expect(chat.history(bob, session.id)).rejects.toMatchObject({ code: 'not_found', field: undefined });
    clock.advance(30 * 86_400_000);
    await expect(send('hello', session.id)).rejects.toMatchObject(notFound);
  });

  it('stops a session at its turn limit', async () => {
    const { session } = await send('hello');
    const stored = sessions.sessions.get(`${alice.accountId}/${session.id}`)!;
    sessions.sessions.set(`${alice.accountId}/${session.id}`, { ...stored, turns: MAX_SESSION_TURNS });
    await expect(send('hello', session.id)).rejects.toMatchObject({ code: 'conflict', field: 'session_id' });
  });

  it('appends after a concurrent turn instead of overwriting it', async () => {
    const { session } = await send('hello');
    let raced = false;
    sessions.beforeAppend = () => {
      if (raced) return;
      raced = true;
      const key = `${alice.accountId}/${session.id}`;
      const current = sessions.sessions.get(key)!;
      sessions.sessions.set(key, { ...current, turns: current.turns + 1 });
      sessions.stored.get(key)!.push({ seq: 3, role: 'user', text: 'concurrent', createdAt: '', taskIds: [] }, { seq: 4, role: 'assistant', text: 'ok', createdAt: '', taskIds: [] });
    };
    const reply = await send('thanks', session.id);
    expect(reply.session.turns).toBe(3);
    expect((await chat.history(alice, session.id)).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives the engine the recent conversation and the tasks in play', async () => {
    const seen: ChatContext[] = [];
    engine = { name: 'rules', interpret: async (m, c) => (seen.push(c), new RulesChatEngine().interpret(m, c)) };
    const first = await send('create a task to buy milk');
    await send('make it urgent', first.session.id);
    expect(seen[1]!.recent.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(seen[1]!.lastTasks).toEqual([{ id: first.tasks[0]!.id, name: 'Buy milk' }]);
    expect(seen[1]!.now.toISOString()).toBe('2026-01-07T10:00:00.000Z');
  });

  it('propagates storage failures as errors (a 500), not as chat answers', async () => {
    repo.create = async () => {
      throw new Error('ddb down');
    };
    await expect(send('create a task to buy milk')).rejects.toThrow('ddb down');
    await expect(send('create a task to buy milk')).rejects.not.toBeInstanceOf(AppError);
  });
});

describe('FallbackChatEngine', () => {
  const context: ChatContext = { now: new Date('2026-01-07T10:00:00Z'), recent: [], lastTasks: [] };
  const rules = new RulesChatEngine();

  it('uses the primary engine when it returns intents', async () => {
    const primary: ChatEngine = { name: 'bedrock', interpret: async () => ({ engine: 'bedrock', intents: [{ kind: 'list_tasks', filter: { status: 'blocked' } }] }) };
    const onFallback = vi.fn();
    expect(await new FallbackChatEngine(primary, rules, onFallback).interpret('anything', context)).toEqual({ engine: 'bedrock', intents: [{ kind: 'list_tasks', filter: { status: 'blocked' } }] });
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('falls back to the rules parser when the primary throws or returns nothing usable', async () => {
    const error = new Error('ThrottlingException');
    const throwing: ChatEngine = { name: 'bedrock', interpret: async () => Promise.reject(error) };
    const empty: ChatEngine = { name: 'bedrock', interpret: async () => ({ engine: 'bedrock', intents: [] }) };
    const onFallback = vi.fn();
    expect(await new FallbackChatEngine(throwing, rules, onFallback).interpret('show my tasks', context)).toEqual({ engine: 'rules', intents: [{ kind: 'list_tasks', filter: {} }] });
    expect(await new FallbackChatEngine(empty, rules, onFallback).interpret('what is blocked', context)).toEqual({ engine: 'rules', intents: [{ kind: 'list_tasks', filter: { status: 'blocked' } }] });
    expect(onFallback.mock.calls).toEqual([['error', error], ['unusable']]);
  });
});
