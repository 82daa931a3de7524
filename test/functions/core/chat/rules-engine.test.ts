import { describe, expect, it } from 'vitest';
import { parseChoice, parseMessage, parseOrdinal, parseTaskRef, RulesChatEngine } from '../../../../functions/core/chat/rules-engine.ts';

const NOW = new Date('2026-01-07T10:00:00Z');
const kinds = (message: string) => parseMessage(message, NOW).map((i) => i.kind);

describe('RulesChatEngine', () => {
  it('is the offline engine and reports itself as "rules"', async () => {
    const engine = new RulesChatEngine();
    expect(engine.name).toBe('rules');
    expect(await engine.interpret('show my tasks', { now: NOW, recent: [], lastTasks: [] })).toEqual({ engine: 'rules', intents: [{ kind: 'list_tasks', filter: {} }] });
  });

  it('splits a message into commands on ";", "and then", new sentences that are commands, and "and <verb> it"', () => {
    expect(kinds('create a task to buy milk; show my tasks')).toEqual(['create_task', 'list_tasks']);
    expect(kinds('create a task to buy milk and then mark it as done')).toEqual(['create_task', 'update_task']);
    expect(kinds('Create a task to buy milk. Make it urgent.')).toEqual(['create_task', 'update_task']);
    expect(kinds('create a task to buy bread and milk')).toEqual(['create_task']);
    // A sentence that is not a command stays with the description before it.
    expect(parseMessage('add a task to write docs with description: cover auth. Keep it short.', NOW)).toEqual([
      { kind: 'create_task', task: { name: 'Write docs', description: 'cover auth. Keep it short' } },
    ]);
  });

  it('answers greetings, thanks and help requests, and says when it does not understand', () => {
    expect(parseMessage('Hello!', NOW)).toEqual([{ kind: 'help', reason: 'greeting' }]);
    expect(parseMessage('thanks a lot', NOW)).toEqual([{ kind: 'help', reason: 'thanks' }]);
    expect(parseMessage('what can you do?', NOW)).toEqual([{ kind: 'help', reason: 'help' }]);
    expect(parseMessage('the quick brown fox', NOW)).toEqual([{ kind: 'help', reason: 'unknown' }]);
    expect(parseMessage('create a task', NOW)).toEqual([{ kind: 'help', reason: 'missing_name' }]);
    expect(parseMessage('run the export workflow with {not json}', NOW)).toEqual([{ kind: 'help', reason: 'invalid_workflow_input' }]);
    // "ok, delete it" is a command, not thanks.
    expect(kinds('ok, delete it')).toEqual(['delete_task']);
  });

  it('keeps a date that is part of a name in the name', () => {
    expect(parseMessage('add a task to plan the monday meeting by friday', NOW)).toEqual([
      { kind: 'create_task', task: { name: 'Plan the monday meeting', dueDate: '2026-01-09T23:59:59.000Z' } },
    ]);
  });

  it('treats "start X" as starting a task unless it names a workflow', () => {
    expect(parseMessage('start the report', NOW)).toEqual([{ kind: 'update_task', target: { kind: 'name', query: 'report' }, changes: { status: 'in_progress' } }]);
    expect(parseMessage('start the report workflow', NOW)).toEqual([{ kind: 'run_workflow', workflow: 'report' }]);
    expect(parseMessage('run nightly export', NOW)).toEqual([{ kind: 'run_workflow', workflow: 'nightly export' }]);
  });

  it('does not read commands that mention tasks as lists', () => {
    expect(kinds('delete all done tasks')).toEqual(['delete_task']);
    expect(kinds('get rid of the milk task')).toEqual(['delete_task']);
    expect(kinds('check off the milk task')).toEqual(['update_task']);
  });
});

describe('parseTaskRef', () => {
  it.each([
    ['it', { kind: 'last' }],
    ['that one', { kind: 'last' }],
    ['the one I just created', { kind: 'last' }],
    ['the second one', { kind: 'ordinal', index: 1 }],
    ['the 3rd task', { kind: 'ordinal', index: 2 }],
    ['the last one', { kind: 'ordinal', index: -1 }],
    ['number 4', { kind: 'ordinal', index: 3 }],
    ['#2', { kind: 'ordinal', index: 1 }],
    ['task_01arz3ndektsv4rrffq69g5fav', { kind: 'id', id: 'task_01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
    ['the report task', { kind: 'name', query: 'report' }],
    ['my task called "Buy milk"', { kind: 'name', query: 'Buy milk' }],
    ['"Go to market"', { kind: 'name', query: 'Go to market' }],
  ])('%j → %j', (text, ref) => {
    expect(parseTaskRef(text)).toEqual(ref);
  });

  it('reads positions', () => {
    expect(parseOrdinal('first')).toBe(0);
    expect(parseOrdinal('the tenth one')).toBe(9);
    expect(parseOrdinal('12')).toBe(11);
    expect(parseOrdinal('option 2')).toBe(1);
    expect(parseOrdinal('banana')).toBeUndefined();
  });
});

describe('parseChoice', () => {
  const candidates = [
    { id: 'task_A', name: 'Annual report' },
    { id: 'task_Q', name: 'Quarterly report' },
  ];

  it.each([
    ['the second one', { kind: 'pick', index: 1 }],
    ['2', { kind: 'pick', index: 1 }],
    ['First.', { kind: 'pick', index: 0 }],
    ['the last one please', { kind: 'pick', index: -1 }],
    ['Quarterly report', { kind: 'pick', index: 1 }],
    ['I mean the annual', { kind: 'pick', index: 0 }],
    ['quartely', { kind: 'pick', index: 1 }],
    ['task_Q', { kind: 'pick', index: 1 }],
    ['both', { kind: 'all' }],
    ['never mind', { kind: 'cancel' }],
    ['none of them', { kind: 'cancel' }],
  ])('%j → %j', (message, choice) => {
    expect(parseChoice(message, candidates)).toEqual(choice);
  });

  it('leaves anything else to be a new request', () => {
    expect(parseChoice('show my tasks', candidates)).toBeUndefined();
    expect(parseChoice('create a task to buy milk', candidates)).toBeUndefined();
    expect(parseChoice('report', candidates)).toBeUndefined(); // still ambiguous
  });
});
