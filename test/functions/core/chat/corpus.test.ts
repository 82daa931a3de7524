/**
 * The rules engine's phrasing corpus: each row is a message (or a short conversation) and exactly
 * what it must do to the account's tasks — the full resulting fields of every task, the tasks a
 * list answers with, or the workflow run it asks for. Messages go through the real ChatService
 * and TaskService over in-memory storage, with the clock fixed at Wednesday 2026-01-07 10:00 UTC.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ChatService } from '../../../../functions/core/chat/chat-service.ts';
import type { WorkflowRunner } from '../../../../functions/core/chat/ports.ts';
import { RulesChatEngine } from '../../../../functions/core/chat/rules-engine.ts';
import type { Task, TaskPriority, TaskStatus } from '../../../../functions/core/tasks/task.ts';
import { TaskService } from '../../../../functions/core/tasks/task-service.ts';
import { fixedClock, InMemoryTaskRepository, principal } from '../../../support/fakes.ts';
import { MemoryChatSessions } from './memory-chat-sessions.ts';

interface Fields {
  name: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  due_date: string | null;
  tags: string[];
}

const EOD = (day: string) => `${day}T23:59:59.000Z`;

/** Created in this order (so newest first is the reverse). */
const SEEDS: Fields[] = [
  { name: 'Quarterly report', description: null, status: 'pending', priority: 'high', due_date: EOD('2026-01-09'), tags: ['work'] },
  { name: 'Annual report', description: null, status: 'in_progress', priority: 'medium', due_date: EOD('2026-01-20'), tags: ['work'] },
  { name: 'Buy milk', description: null, status: 'pending', priority: 'low', due_date: null, tags: ['home'] },
  { name: 'Fix login bug', description: null, status: 'blocked', priority: 'urgent', due_date: EOD('2026-01-06'), tags: ['work', 'bugs'] },
  { name: 'Call mom', description: null, status: 'completed', priority: 'medium', due_date: EOD('2026-01-07'), tags: ['home'] },
  { name: 'Plan offsite', description: null, status: 'pending', priority: 'medium', due_date: EOD('2026-01-15'), tags: [] },
];

const created = (f: Partial<Fields> & { name: string }): Fields => ({ description: null, status: 'pending', priority: 'medium', due_date: null, tags: [], ...f });

type Expectation =
  | { created: Partial<Fields> & { name: string } }
  | { updated: string; to: Partial<Fields> }
  | { deleted: string }
  | { listed: string[] }
  | { ran: { workflow: string; input?: unknown } }
  | { help: RegExp };

type Row = [say: string | string[], expectation: Expectation];

const CORPUS: Row[] = [
  // Creating: names, descriptions, priorities, due dates and tags.
  ['Create a task to review project documentation', { created: { name: 'Review project documentation' } }],
  ['add an urgent task to fix the payment webhook by friday #work', { created: { name: 'Fix the payment webhook', priority: 'urgent', due_date: EOD('2026-01-09'), tags: ['work'] } }],
  ['remind me to call the dentist tomorrow at 5pm', { created: { name: 'Call the dentist', due_date: '2026-01-08T17:00:00.000Z' } }],
  ['todo: pay rent on 2026-02-01', { created: { name: 'Pay rent', due_date: EOD('2026-02-01') } }],
  ['create a high priority task called "Deploy v2" due next monday #ops #release', { created: { name: 'Deploy v2', priority: 'high', due_date: EOD('2026-01-12'), tags: ['ops', 'release'] } }],
  ['new task: write the launch blog post with description: cover pricing and the roadmap', { created: { name: 'Write the launch blog post', description: 'cover pricing and the roadmap' } }],
  ['add buy stamps to my list', { created: { name: 'Buy stamps' } }],
  ['I need to renew my passport in 3 days', { created: { name: 'Renew my passport', due_date: EOD('2026-01-10') } }],
  ['create a low priority task to clean the garage next week', { created: { name: 'Clean the garage', priority: 'low', due_date: EOD('2026-01-18') } }],
  ['Add task Prepare slides for the all-hands, priority: high, due 2026-03-01', { created: { name: 'Prepare slides for the all-hands', priority: 'high', due_date: EOD('2026-03-01') } }],
  ['create a task to book flights to Lisbon tagged travel and family', { created: { name: 'Book flights to Lisbon', tags: ['travel', 'family'] } }],
  ['please create a task to update the budget spreadsheet asap', { created: { name: 'Update the budget spreadsheet', priority: 'urgent' } }],
  ['could you add a reminder to water the plants this evening', { created: { name: 'Water the plants', due_date: EOD('2026-01-07') } }],
  ['make a new task: review PR #42 #code', { created: { name: 'Review PR #42', tags: ['code'] } }],
  ['add an important task to sign the lease by December 1st', { created: { name: 'Sign the lease', priority: 'high', due_date: EOD('2026-12-01') } }],
  ["create task: email Sarah about the contract, it's urgent", { created: { name: 'Email Sarah about the contract', priority: 'urgent' } }],
  ['new todo: renew car insurance in two weeks #car', { created: { name: 'Renew car insurance', due_date: EOD('2026-01-21'), tags: ['car'] } }],
  ["Create a task called 'Quarterly taxes' due 2026-04-15T17:00:00Z", { created: { name: 'Quarterly taxes', due_date: '2026-04-15T17:00:00.000Z' } }],
  ['remind me about the team lunch on friday at noon', { created: { name: 'The team lunch', due_date: '2026-01-09T12:00:00.000Z' } }],
  ['add a task to plan the monday standup agenda', { created: { name: 'Plan the monday standup agenda' } }],
  ['set up a task to migrate the database p1', { created: { name: 'Migrate the database', priority: 'high' } }],
  ['create a task to stretch, whenever', { created: { name: 'Stretch', priority: 'low' } }],
  ['add a task for tomorrow to call the bank', { created: { name: 'Call the bank', due_date: EOD('2026-01-08') } }],
  ['Create a task to review the contract. Make it urgent.', { created: { name: 'Review the contract', priority: 'urgent' } }],
  ['create a task to buy bread and milk', { created: { name: 'Buy bread and milk' } }],
  ['create a task to send the invoices and make it high priority', { created: { name: 'Send the invoices', priority: 'high' } }],
  ['i want to learn spanish by next month', { created: { name: 'Learn spanish', due_date: EOD('2026-02-28') } }],
  ['jot down a task to fix the fence', { created: { name: 'Fix the fence' } }],
  ['add a blog post draft due in a week', { created: { name: 'A blog post draft', due_date: EOD('2026-01-14') } }],
  [['create a task to book the venue', 'make it urgent'], { created: { name: 'Book the venue', priority: 'urgent' } }],
  [['create a task to book the venue', 'mark it as done'], { created: { name: 'Book the venue', status: 'completed' } }],
  [['remind me to order the cake', 'move it to friday', 'tag it #party'], { created: { name: 'Order the cake', due_date: EOD('2026-01-09'), tags: ['party'] } }],

  // Listing and filtering.
  ['show my urgent tasks', { listed: ['Fix login bug'] }],
  ["what's due this week", { listed: ['Fix login bug', 'Quarterly report'] }],
  ['list tasks tagged #work', { listed: ['Fix login bug', 'Annual report', 'Quarterly report'] }],
  ["what's blocked", { listed: ['Fix login bug'] }],
  ["what's overdue?", { listed: ['Fix login bug'] }],
  ['show completed tasks', { listed: ['Call mom'] }],
  ['which tasks are in progress', { listed: ['Annual report'] }],
  ['list my high priority tasks', { listed: ['Quarterly report'] }],
  ['what do I have due next week', { listed: ['Plan offsite'] }],
  ['show tasks due before friday', { listed: ['Fix login bug', 'Quarterly report'] }],
  ['show my tasks', { listed: ['Plan offsite', 'Call mom', 'Fix login bug', 'Buy milk', 'Annual report', 'Quarterly report'] }],
  ['show tasks tagged home', { listed: ['Call mom', 'Buy milk'] }],
  ['show tasks about the report', { listed: ['Annual report', 'Quarterly report'] }],
  ["what's on my plate", { listed: ['Plan offsite', 'Fix login bug', 'Buy milk', 'Annual report', 'Quarterly report'] }],
  ["what's due today", { listed: [] }],
  ['show urgent tasks tagged work', { listed: ['Fix login bug'] }],

  // Changing status, priority, name, due date, tags and description.
  ['mark the quarterly report as done', { updated: 'Quarterly report', to: { status: 'completed' } }],
  ['start the offsite planning', { updated: 'Plan offsite', to: { status: 'in_progress' } }],
  ['block buy milk', { updated: 'Buy milk', to: { status: 'blocked' } }],
  ['reopen call mom', { updated: 'Call mom', to: { status: 'pending' } }],
  ['unblock the login bug', { updated: 'Fix login bug', to: { status: 'in_progress' } }],
  ['I finished the quarterly report', { updated: 'Quarterly report', to: { status: 'completed' } }],
  ['cancel plan offsite', { updated: 'Plan offsite', to: { status: 'cancelled' } }],
  ['set annual report to blocked', { updated: 'Annual report', to: { status: 'blocked' } }],
  ['the quartely report is done', { updated: 'Quarterly report', to: { status: 'completed' } }],
  ['make buy milk urgent', { updated: 'Buy milk', to: { priority: 'urgent' } }],
  ['set the priority of the quarterly report to low', { updated: 'Quarterly report', to: { priority: 'low' } }],
  ['deprioritize the login bug', { updated: 'Fix login bug', to: { priority: 'low' } }],
  ['rename buy milk to buy oat milk', { updated: 'Buy milk', to: { name: 'Buy oat milk' } }],
  ['move the offsite to next friday', { updated: 'Plan offsite', to: { due_date: EOD('2026-01-16') } }],
  ['the quarterly report is due tomorrow', { updated: 'Quarterly report', to: { due_date: EOD('2026-01-08') } }],
  ['clear the due date of plan offsite', { updated: 'Plan offsite', to: { due_date: null } }],
  ['tag buy milk with groceries', { updated: 'Buy milk', to: { tags: ['home', 'groceries'] } }],
  ['remove tag #work from the annual report', { updated: 'Annual report', to: { tags: [] } }],
  ['change the description of buy milk to 2 litres, semi-skimmed', { updated: 'Buy milk', to: { description: '2 litres, semi-skimmed' } }],
  [['list tasks tagged #work', 'mark the second one as done'], { updated: 'Annual report', to: { status: 'completed' } }],
  [['mark report as done', 'the second one'], { updated: 'Quarterly report', to: { status: 'completed' } }],
  [['make the report urgent', 'Annual report'], { updated: 'Annual report', to: { priority: 'urgent' } }],

  // Deleting.
  ['delete buy milk', { deleted: 'Buy milk' }],
  ['remove the task called plan offsite', { deleted: 'Plan offsite' }],
  ['get rid of the login bug', { deleted: 'Fix login bug' }],
  [['delete the report', 'annual'], { deleted: 'Annual report' }],

  // Workflows.
  ['run the nightly export workflow', { ran: { workflow: 'nightly export' } }],
  ['execute the backup pipeline with {"full": true}', { ran: { workflow: 'backup', input: { full: true } } }],
  ['start the invoice sync workflow', { ran: { workflow: 'invoice sync' } }],

  // Everything else gets help, not an error.
  ['hello', { help: /^Hi! I can create/ }],
  ["what's the weather like?", { help: /^Sorry, I didn’t understand/ }],
  ['asdfgh', { help: /Create a task to review the docs/ }],
];

const sorted = (all: Fields[]) => all.toSorted((a, b) => a.name.localeCompare(b.name));

/** The whole outcome of a row, by kind: every task's fields, the workflow runs, the tasks answered with and the reply. */
const unchanged = { state: sorted(SEEDS), runs: [], touched: expect.any(Array), reply: expect.any(String) };
const OUTCOMES = {
  created: (e: { created: Partial<Fields> & { name: string } }) => ({ ...unchanged, state: sorted([...SEEDS, created(e.created)]) }),
  updated: (e: { updated: string; to: Partial<Fields> }) => ({
    ...unchanged,
    state: sorted(SEEDS.map((s) => (s.name === e.updated ? { ...s, ...e.to } : s))),
    touched: expect.arrayContaining([e.to.name ?? e.updated]),
  }),
  deleted: (e: { deleted: string }) => ({ ...unchanged, state: sorted(SEEDS.filter((s) => s.name !== e.deleted)), reply: expect.stringContaining(`Deleted “${e.deleted}”`) }),
  listed: (e: { listed: string[] }) => ({ ...unchanged, touched: e.listed }),
  ran: (e: { ran: { workflow: string; input?: unknown } }) => ({ ...unchanged, runs: [e.ran], reply: expect.stringContaining('Started the workflow') }),
  help: (e: { help: RegExp }) => ({ ...unchanged, touched: [], reply: expect.stringMatching(e.help) }),
};
const expectedOutcome = (e: Expectation) => {
  const kind = (Object.keys(OUTCOMES) as (keyof typeof OUTCOMES)[]).find((k) => k in e)!;
  return (OUTCOMES[kind] as (x: Expectation) => unknown)(e);
};

describe('rules engine corpus', () => {
  let tasks: InMemoryTaskRepository;
  let chat: ChatService;
  let runs: { workflow: string; input?: unknown }[];
  const alice = principal();

  beforeEach(async () => {
    const clock = fixedClock('2026-01-07T10:00:00.000Z');
    tasks = new InMemoryTaskRepository();
    const service = new TaskService(tasks, clock);
    runs = [];
    const workflows: WorkflowRunner = {
      run: async (_p, workflow, input) => {
        runs.push(input === undefined ? { workflow } : { workflow, input });
        return { kind: 'started', workflow: { id: 'wf_1', name: workflow }, execution: { id: 'exec_1', status: 'running' } };
      },
    };
    chat = new ChatService({ sessions: new MemoryChatSessions(), tasks: service, engine: new RulesChatEngine(), workflows, clock });
    for (const seed of SEEDS) {
      await service.create(alice, { name: seed.name, status: seed.status, priority: seed.priority, dueDate: seed.due_date, tags: seed.tags });
      clock.advance(1000);
    }
  });

  const fields = (t: Task): Fields => ({ name: t.name, description: t.description, status: t.status, priority: t.priority, due_date: t.dueDate, tags: [...t.tags] });
  const state = () => [...tasks.items.values()].map(fields).toSorted((a, b) => a.name.localeCompare(b.name));

  it('has at least 60 phrasings', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS)('%j', async (say, expectation) => {
    let sessionId: string | undefined;
    let reply: Awaited<ReturnType<ChatService['send']>> | undefined;
    for (const message of [say].flat()) {
      reply = await chat.send(alice, { message, sessionId });
      sessionId = reply.session.id;
    }
    const actual = { state: state(), runs, touched: reply!.tasks.map((t) => t.name), reply: reply!.response };
    expect(actual).toEqual(expectedOutcome(expectation));
  });
});
