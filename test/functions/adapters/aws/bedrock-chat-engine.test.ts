import { BedrockRuntimeClient, ConverseCommand, type ContentBlock, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BedrockChatEngine, CHAT_TOOLS, toolIntent } from '../../../../functions/adapters/aws/bedrock-chat-engine.ts';
import type { ChatContext } from '../../../../functions/core/chat/chat.ts';
import { ChatService } from '../../../../functions/core/chat/chat-service.ts';
import { FallbackChatEngine } from '../../../../functions/core/chat/fallback-engine.ts';
import { RulesChatEngine } from '../../../../functions/core/chat/rules-engine.ts';
import { TaskService } from '../../../../functions/core/tasks/task-service.ts';
import { fixedClock, InMemoryTaskRepository, principal } from '../../../support/fakes.ts';
import { MemoryChatSessions } from '../../core/chat/memory-chat-sessions.ts';

const bedrock = mockClient(BedrockRuntimeClient);
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOW = new Date('2026-01-07T10:00:00Z');
const TASK = 'task_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const context: ChatContext = {
  now: NOW,
  recent: [
    { seq: 1, role: 'user', text: 'create a task to buy milk', createdAt: '2026-01-07T09:59:00.000Z', taskIds: [] },
    { seq: 2, role: 'assistant', text: 'Created “Buy milk” — medium priority.', createdAt: '2026-01-07T09:59:00.000Z', taskIds: [TASK], engine: 'bedrock' },
  ],
  lastTasks: [{ id: TASK, name: 'Buy milk' }],
};

const toolUse = (name: string, input: unknown, id = 'tu_1'): ContentBlock => ({ toolUse: { toolUseId: id, name, input: input as never } });
const answer = (...content: ContentBlock[]): Partial<ConverseCommandOutput> => ({ output: { message: { role: 'assistant', content } }, stopReason: 'tool_use' });

describe('BedrockChatEngine', () => {
  let engine: BedrockChatEngine;

  beforeEach(() => {
    bedrock.reset();
    engine = new BedrockChatEngine(new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), { modelId: MODEL });
  });

  it('sends one Converse request: the model, a system prompt with today and the tasks in play, the conversation, and the five tools', async () => {
    bedrock.on(ConverseCommand).resolves(answer(toolUse('update_task', { task: 'it', priority: 'urgent' })) as ConverseCommandOutput);
    await engine.interpret('make it urgent', context);
    const calls = bedrock.commandCalls(ConverseCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      modelId: MODEL,
      system: [
        {
          text: [
            'You are the task assistant of Stepwise. Turn the user’s latest message into calls of the provided tools: several calls if it asks for several things, none if it asks for nothing they can do. Never invent tasks, ids or workflows.',
            'Today is Wed 2026-01-07 (UTC). A deadline given as a day means the end of that day. Weeks start on Monday.',
            'Tasks the conversation is about, in order:',
            `1. ${TASK}: Buy milk`,
          ].join('\n'),
        },
      ],
      messages: [
        { role: 'user', content: [{ text: 'create a task to buy milk' }] },
        { role: 'assistant', content: [{ text: 'Created “Buy milk” — medium priority.' }] },
        { role: 'user', content: [{ text: 'make it urgent' }] },
      ],
      toolConfig: { tools: CHAT_TOOLS },
      inferenceConfig: { maxTokens: 1024, temperature: 0 },
    });
    expect(CHAT_TOOLS.map((t) => t.toolSpec?.name)).toEqual(['create_task', 'list_tasks', 'update_task', 'delete_task', 'run_workflow']);
    expect(CHAT_TOOLS.map((t) => (t.toolSpec!.inputSchema!.json as { required?: string[] }).required)).toEqual([['name'], undefined, ['task'], ['task'], ['workflow']]);
  });

  it('starts the conversation with a user message, as Converse requires', async () => {
    bedrock.on(ConverseCommand).resolves(answer({ text: 'hi' }) as ConverseCommandOutput);
    await engine.interpret('hello', { now: NOW, lastTasks: [], recent: [context.recent[1]!, context.recent[0]!, context.recent[1]!] });
    const input = bedrock.commandCalls(ConverseCommand)[0]!.args[0].input;
    expect(input.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(input.system?.[0]).toEqual({ text: expect.not.stringContaining('Tasks the conversation is about') });
  });

  it('maps each toolUse block to the intent of the same operation, in order, ignoring text', async () => {
    bedrock.on(ConverseCommand).resolves(
      answer(
        { text: 'Sure, doing that.' },
        toolUse('create_task', { name: 'Review the docs', description: 'all of them', priority: 'high', due_date: '2026-01-09', tags: ['#docs', 'q1'] }, 'a'),
        toolUse('list_tasks', { status: 'blocked', tag: '#work', due_before: 'friday', due_after: '2026-01-05' }, 'b'),
        toolUse('update_task', { task: 'the second one', status: 'active', due_date: null, add_tags: ['x'] }, 'c'),
        toolUse('delete_task', { task: 'buy milk' }, 'd'),
        toolUse('run_workflow', { workflow: 'nightly export', input: { day: '2026-01-01' } }, 'e'),
      ) as ConverseCommandOutput,
    );
    expect(await engine.interpret('do several things', context)).toEqual({
      engine: 'bedrock',
      intents: [
        { kind: 'create_task', task: { name: 'Review the docs', description: 'all of them', priority: 'high', dueDate: '2026-01-09T23:59:59.000Z', tags: ['docs', 'q1'] } },
        { kind: 'list_tasks', filter: { status: 'blocked', tag: 'work', dueAfter: '2026-01-05T00:00:00.000Z', dueBefore: '2026-01-10T00:00:00.000Z', dueLabel: 'due 2026-01-05 to friday' } },
        { kind: 'update_task', target: { kind: 'ordinal', index: 1 }, changes: { status: 'in_progress', dueDate: null, addTags: ['x'] } },
        { kind: 'delete_task', target: { kind: 'name', query: 'buy milk' } },
        { kind: 'run_workflow', workflow: 'nightly export', input: { day: '2026-01-01' } },
      ],
    });
  });

  it.each([
    ['an unknown tool', 'send_email', { to: 'x' }],
    ['a missing required argument', 'create_task', { priority: 'high' }],
    ['an invalid priority', 'create_task', { name: 'x', priority: 'whenever' }],
    ['an unreadable date', 'create_task', { name: 'x', due_date: 'soonish' }],
    ['an update that changes nothing', 'update_task', { task: 'it' }],
    ['a non-object input', 'delete_task', 'buy milk'],
    ['a workflow input that is not an object', 'run_workflow', { workflow: 'x', input: [1, 2] }],
  ])('drops a call with %s', (_what, name, input) => {
    expect(toolIntent(name, input, NOW)).toBeUndefined();
  });

  it('maps list filters: overdue, exact instants, open-only and name search', () => {
    expect(toolIntent('list_tasks', { overdue: true, priority: 'urgent' }, NOW)).toEqual({ kind: 'list_tasks', filter: { priority: 'urgent', dueBefore: NOW.toISOString(), openOnly: true, dueLabel: 'overdue' } });
    expect(toolIntent('list_tasks', { due_before: '2026-01-09T12:00:00Z', open_only: true, name_contains: 'report' }, NOW)).toEqual({
      kind: 'list_tasks',
      filter: { nameQuery: 'report', dueBefore: '2026-01-09T12:00:00.001Z', dueLabel: 'due by 2026-01-09T12:00:00Z', openOnly: true },
    });
  });

  it('passes an abort signal so a slow model gives way to the rules parser', async () => {
    bedrock.on(ConverseCommand).resolves(answer(toolUse('delete_task', { task: 'it' })) as ConverseCommandOutput);
    await engine.interpret('delete it', context);
    expect((bedrock.commandCalls(ConverseCommand)[0]!.args as unknown[])[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });
  });
});

describe('Bedrock with the rules fallback, through the chat service', () => {
  const alice = principal();

  const build = () => {
    const clock = fixedClock(NOW.toISOString());
    const repo = new InMemoryTaskRepository();
    const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const warnings: string[] = [];
    const engine = new FallbackChatEngine(new BedrockChatEngine(client, { modelId: MODEL }), new RulesChatEngine(), (reason) => warnings.push(reason));
    const chat = new ChatService({ sessions: new MemoryChatSessions(), tasks: new TaskService(repo, clock), engine, workflows: { run: async () => ({ kind: 'not_found' }) }, clock });
    return { chat, repo, warnings };
  };

  beforeEach(() => bedrock.reset());

  it('acts on the model’s tool calls and records that Bedrock understood the message', async () => {
    bedrock.on(ConverseCommand).resolves(answer(toolUse('create_task', { name: 'Plan the offsite', priority: 'urgent', due_date: '2026-01-12' })) as ConverseCommandOutput);
    const { chat, repo } = build();
    const reply = await chat.send(alice, { message: 'we really must plan the offsite by monday' });
    expect(reply.response).toBe('Created “Plan the offsite” — urgent priority, due Mon 2026-01-12.');
    expect([...repo.items.values()].map((t) => [t.name, t.priority, t.dueDate])).toEqual([['Plan the offsite', 'urgent', '2026-01-12T23:59:59.000Z']]);
    expect((await chat.history(alice, reply.session.id)).messages[1]!.engine).toBe('bedrock');
  });

  it('falls back to the rules parser when Bedrock throws', async () => {
    bedrock.on(ConverseCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { chat, repo, warnings } = build();
    const reply = await chat.send(alice, { message: 'create a task to water the plants tomorrow' });
    expect(reply.response).toBe('Created “Water the plants” — medium priority, due Thu 2026-01-08.');
    expect(repo.items.size).toBe(1);
    expect(warnings).toEqual(['error']);
    expect((await chat.history(alice, reply.session.id)).messages[1]!.engine).toBe('rules');
  });

  it('falls back when Bedrock answers with text only, or with calls that do not validate', async () => {
    bedrock
      .on(ConverseCommand)
      .resolvesOnce(answer({ text: 'I have created the task for you!' }) as ConverseCommandOutput)
      .resolvesOnce(answer(toolUse('create_task', { title: 'wrong field' })) as ConverseCommandOutput)
      .resolvesOnce({ output: undefined } as ConverseCommandOutput);
    const { chat, repo, warnings } = build();
    await chat.send(alice, { message: 'create a task to buy milk' });
    await chat.send(alice, { message: 'create a task to buy eggs' });
    await chat.send(alice, { message: 'create a task to buy bread' });
    expect([...repo.items.values()].map((t) => t.name).toSorted()).toEqual(['Buy bread', 'Buy eggs', 'Buy milk']);
    expect(warnings).toEqual(['unusable', 'unusable', 'unusable']);
  });
});
