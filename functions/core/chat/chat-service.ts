import type { Clock } from '../clock.ts';
import { AppError, conflict, isAppError, validationError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { hasScope, type Principal } from '../principal.ts';
import type { NewTaskInput, Task, TaskChanges, TaskFilter } from '../tasks/task.ts';
import type { TaskService } from '../tasks/task-service.ts';
import {
  CONTEXT_MESSAGES,
  LIST_LIMIT,
  MAX_MESSAGE_CHARS,
  MAX_SESSION_TURNS,
  SESSION_TTL_DAYS,
  type ChatIntent,
  type ChatMessage,
  type ChatSession,
  type ChatTaskFilter,
  type EngineName,
  type PendingQuestion,
  type TargetedIntent,
  type TaskDraft,
  type TaskEdit,
  type TaskHandle,
} from './chat.ts';
import { bestMatch, MIN_SCORE, similarity } from './fuzzy.ts';
import type { ChatEngine, ChatSessionRepository, WorkflowRunner } from './ports.ts';
import { formatDue, helpReply, listReply, quote, STATUS_LABEL, taskDetails, whichOne } from './replies.ts';
import { parseChoice } from './rules-engine.ts';

/** Name matching and post-filtered lists look at the account's most recent tasks, up to this many. */
export const TASK_WINDOW = 300;
const PAGE_SIZE = 100;
/** The tasks API's limits (functions/tasks/schemas.ts), checked here because intents bypass its schemas. */
const LIMITS = { name: 200, description: 4000, tags: 20, tag: 50 };
const WRITE_ATTEMPTS = 3;

export interface ChatServiceDeps {
  readonly sessions: ChatSessionRepository;
  readonly tasks: TaskService;
  readonly engine: ChatEngine;
  readonly workflows: WorkflowRunner;
  readonly clock: Clock;
}

export interface ChatReply {
  readonly session: ChatSession;
  readonly response: string;
  /** Current state of every task the turn created, changed, listed or asked about, in that order. */
  readonly tasks: readonly Task[];
}

/**
 * Behflow's assistant: a message goes through an engine to intents, and every intent is carried
 * out through the same TaskService the REST API uses (so counters, versions and tenancy hold).
 * The session remembers what "it" and "the second one" refer to and any open "which one?" question.
 */
/** Client-picked session ids: no `#` (the key separator), nothing a key could be confused by. */
const CLIENT_SESSION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  async send(principal: Principal, input: { message: string; sessionId?: string | undefined }): Promise<ChatReply> {
    const message = input.message.trim();
    if (!message) throw validationError('message', 'message must not be empty');
    if (message.length > MAX_MESSAGE_CHARS) throw validationError('message', `message must be at most ${MAX_MESSAGE_CHARS} characters`);
    const now = this.deps.clock.now();
    const previous = input.sessionId === undefined ? undefined : await this.continued(principal, input.sessionId, now);
    if (previous && previous.turns >= MAX_SESSION_TURNS) {
      throw conflict(`This chat session is full (${MAX_SESSION_TURNS} messages); omit session_id to start a new one`, 'session_id');
    }

    const turn = new Turn(principal, previous);
    const engine = await this.understand(turn, message, previous, now);
    const reply = turn.replies.join('\n\n') || helpReply('unknown', message);
    const session = await this.record(principal, previous, turn, engine, message, reply, now, previous ? undefined : input.sessionId);
    return { session, response: reply, tasks: [...turn.touched.values()] };
  }

  /** The session with every message, oldest first. Another user's or account's session is a 404. */
  async history(principal: Principal, sessionId: string): Promise<{ session: ChatSession; messages: ChatMessage[] }> {
    const session = await this.session(principal, sessionId, this.deps.clock.now());
    return { session, messages: await this.deps.sessions.messages(principal.accountId, session.id) };
  }

  /**
   * The session a message continues. An id the client picked itself (Behflow's `"session_id":
   * "abc-123"`) that names no session yet starts one under that id, in the caller's account; ids
   * Stepwise issued (`chat_…`) only ever continue, so a mistyped or expired one stays a 404.
   */
  private async continued(principal: Principal, sessionId: string, now: Date): Promise<ChatSession | undefined> {
    if (isId('chat', sessionId)) return this.session(principal, sessionId, now, 'session_id');
    if (!CLIENT_SESSION_ID.test(sessionId)) throw validationError('session_id', 'session_id may hold only letters, digits, ".", "_", ":" and "-" (at most 64)');
    const stored = await this.deps.sessions.get(principal.accountId, sessionId);
    return stored ? this.session(principal, sessionId, now, 'session_id') : undefined;
  }

  private async session(principal: Principal, sessionId: string, now: Date, field?: string): Promise<ChatSession> {
    const session = isId('chat', sessionId) || CLIENT_SESSION_ID.test(sessionId) ? await this.deps.sessions.get(principal.accountId, sessionId) : undefined;
    // Sessions are private to the user who started them; TTL deletion lags, so expiry is checked here too.
    if (!session || session.userId !== (principal.userId ?? null) || Date.parse(session.expiresAt) <= now.getTime()) {
      const hint = field ? '; omit session_id to start a new session' : '';
      throw new AppError('not_found', `Chat session '${sessionId}' was not found${hint}`, field ? { field } : {});
    }
    return session;
  }

  /** Answers to an open question are read deterministically, whatever the engine; anything else goes to the engine. */
  private async understand(turn: Turn, message: string, previous: ChatSession | undefined, now: Date): Promise<EngineName> {
    const pending = previous?.pending;
    const choice = pending ? parseChoice(message, pending.candidates) : undefined;
    if (pending && choice) {
      if (choice.kind === 'cancel') {
        turn.say('OK, I’ve left them as they are.');
        return 'rules';
      }
      if (choice.kind === 'all') {
        for (const candidate of pending.candidates) await this.perform(turn, withTarget(pending.intent, candidate), message);
        return 'rules';
      }
      const candidate = pending.candidates[choice.index < 0 ? pending.candidates.length + choice.index : choice.index];
      if (!candidate) {
        turn.pending = pending;
        turn.say(`Please answer with a number from 1 to ${pending.candidates.length}, or the name.`);
        return 'rules';
      }
      await this.perform(turn, withTarget(pending.intent, candidate), message);
      return 'rules';
    }
    const { engine, intents } = await this.deps.engine.interpret(message, { now, recent: previous?.recent ?? [], lastTasks: turn.lastTasks });
    for (const intent of intents) {
      await this.perform(turn, intent, message);
      // A question ends the turn: the rest of the message may depend on its answer.
      if (turn.pending) break;
    }
    return engine;
  }

  private async perform(turn: Turn, intent: ChatIntent, message: string): Promise<void> {
    switch (intent.kind) {
      case 'help':
        return turn.say(helpReply(intent.reason, message));
      case 'create_task':
        return this.create(turn, intent.task);
      case 'list_tasks':
        return this.list(turn, intent.filter);
      case 'update_task':
      case 'delete_task': {
        const task = await this.resolve(turn, intent);
        if (!task) return;
        return intent.kind === 'update_task' ? this.update(turn, task, intent.changes) : this.remove(turn, task);
      }
      case 'run_workflow':
        return this.run(turn, intent);
    }
  }

  private async create(turn: Turn, draft: TaskDraft): Promise<void> {
    const input: NewTaskInput = {
      name: draft.name.trim(),
      description: draft.description,
      priority: draft.priority,
      dueDate: draft.dueDate,
      tags: draft.tags ? [...draft.tags] : undefined,
      status: draft.status,
    };
    const problem = fieldProblem(input);
    if (problem) return turn.say(problem);
    const task = await this.deps.tasks.create(turn.principal, input);
    turn.touch(task);
    turn.lastTasks = [handle(task)];
    turn.say(`Created ${quote(task.name)} — ${taskDetails(task, { status: false })}.`);
  }

  private async list(turn: Turn, filter: ChatTaskFilter): Promise<void> {
    const base: TaskFilter = { status: filter.status, priority: filter.priority, tag: filter.tag, dueBefore: filter.dueBefore };
    const openOnly = filter.openOnly === true && !filter.status;
    let shown: Task[];
    let total: number;
    if (!filter.dueAfter && !openOnly && !filter.nameQuery) {
      const page = await this.deps.tasks.list(turn.principal, base, { limit: LIST_LIMIT, offset: 0, cursor: undefined });
      [shown, total] = [page.items, page.total];
    } else {
      // What the task indexes cannot filter on is filtered here, over the most recent tasks.
      let matching = (await this.window(turn.principal, base)).filter(
        (t) =>
          (!filter.dueAfter || (t.dueDate !== null && t.dueDate >= filter.dueAfter)) &&
          (!openOnly || (t.status !== 'completed' && t.status !== 'cancelled')) &&
          (!filter.nameQuery || similarity(filter.nameQuery, t.name) >= MIN_SCORE),
      );
      if (filter.dueAfter || filter.dueBefore) matching = matching.toSorted((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
      [shown, total] = [matching.slice(0, LIST_LIMIT), matching.length];
    }
    for (const task of shown) turn.touch(task);
    if (shown.length > 0) turn.lastTasks = shown.map(handle);
    turn.say(listReply(filter, shown, total));
  }

  /** The task an intent names, or undefined after saying why not (or asking which one). */
  private async resolve(turn: Turn, intent: Extract<ChatIntent, { kind: 'update_task' | 'delete_task' }>): Promise<Task | undefined> {
    const ref = intent.target;
    switch (ref.kind) {
      case 'id':
        return this.fetch(turn, ref.id);
      case 'last': {
        const [only, ...others] = turn.lastTasks;
        if (!only) {
          turn.say('Which task do you mean? Name it, for example “mark Write the report as done”.');
          return undefined;
        }
        if (others.length === 0) return this.fetch(turn, only.id);
        const tasks = await Promise.all(turn.lastTasks.map((h) => this.deps.tasks.get(turn.principal, h.id).catch(() => undefined)));
        this.ask(turn, intent, tasks.filter((t): t is Task => t !== undefined));
        return undefined;
      }
      case 'ordinal': {
        const list = turn.lastTasks;
        const target = list[ref.index < 0 ? list.length + ref.index : ref.index];
        if (target) return this.fetch(turn, target.id);
        turn.say(list.length ? `There is no task number ${ref.index + 1} in the last list; it had ${list.length}.` : 'Which list do you mean? Ask me to show your tasks first.');
        return undefined;
      }
      case 'name': {
        const match = bestMatch(ref.query, await this.window(turn.principal, {}), (t) => t.name);
        if (match.kind === 'unique') return match.item;
        if (match.kind === 'ambiguous') {
          this.ask(turn, intent, match.items);
          return undefined;
        }
        turn.say(`I couldn’t find a task matching ${quote(ref.query)}. Say “show my tasks” to see them.`);
        return undefined;
      }
    }
  }

  private ask(turn: Turn, intent: TargetedIntent, candidates: readonly Task[]): void {
    for (const task of candidates) turn.touch(task);
    turn.lastTasks = candidates.map(handle);
    turn.pending = { intent, candidates: turn.lastTasks };
    turn.say(whichOne(turn.lastTasks, candidates));
  }

  private async fetch(turn: Turn, taskId: string): Promise<Task | undefined> {
    try {
      return await this.deps.tasks.get(turn.principal, taskId);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'not_found') throw error;
      turn.lastTasks = turn.lastTasks.filter((h) => h.id !== taskId);
      turn.say('That task no longer exists.');
      return undefined;
    }
  }

  private async update(turn: Turn, task: Task, edit: TaskEdit): Promise<void> {
    const changes = changesFor(task, edit);
    const problem = fieldProblem(changes);
    if (problem) return turn.say(problem);
    turn.lastTasks = [handle(task)];
    if (Object.keys(changes).length === 0) {
      turn.touch(task);
      return turn.say(`${quote(task.name)} already has that: ${taskDetails(task)}.`);
    }
    const next = await this.deps.tasks.update(turn.principal, task.id, changes);
    turn.touch(next);
    turn.lastTasks = [handle(next)];
    turn.say(updateReply(task, next, changes));
  }

  private async remove(turn: Turn, task: Task): Promise<void> {
    await this.deps.tasks.delete(turn.principal, task.id);
    turn.forget(task.id);
    turn.say(`Deleted ${quote(task.name)}.`);
  }

  private async run(turn: Turn, intent: Extract<ChatIntent, { kind: 'run_workflow' }>): Promise<void> {
    if (!hasScope(turn.principal, 'workflows:write')) {
      return turn.say('Running workflows needs the workflows:write scope, which this credential does not have.');
    }
    let result;
    try {
      result = await this.deps.workflows.run(turn.principal, intent.workflow, intent.input);
    } catch (error) {
      // A paused workflow, a bad input…: the runner's own explanation is the useful answer.
      if (!isAppError(error) || error.status >= 500) throw error;
      return turn.say(`I couldn’t start ${quote(intent.workflow)}: ${error.message}`);
    }
    if (result.kind === 'not_found') return turn.say(`I couldn’t find a workflow called ${quote(intent.workflow)}.`);
    if (result.kind === 'ambiguous') {
      turn.pending = { intent, candidates: result.candidates.map((c) => ({ id: c.id, name: c.name })) };
      return turn.say(whichOne(turn.pending.candidates, [], 'workflow'));
    }
    if (result.kind === 'unsure') {
      turn.pending = { intent, candidates: [{ id: result.candidate.id, name: result.candidate.name }] };
      return turn.say(`I found no workflow called ${quote(intent.workflow)}. Did you mean ${quote(result.candidate.name)}? Reply “yes” to start it, or “no”.`);
    }
    turn.say(`Started the workflow ${quote(result.workflow.name)}: execution ${result.execution.id} is ${result.execution.status}.`);
  }

  /** Appends the turn, re-reading the session if another turn was appended meanwhile. */
  private async record(
    principal: Principal,
    previous: ChatSession | undefined,
    turn: Turn,
    engine: EngineName,
    message: string,
    reply: string,
    now: Date,
    chosenId?: string,
  ): Promise<ChatSession> {
    let base = previous;
    const id = previous?.id ?? chosenId ?? newId('chat', now.getTime());
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const seq = (base?.turns ?? 0) * 2;
      const at = now.toISOString();
      const messages: ChatMessage[] = [
        { seq: seq + 1, role: 'user', text: message, createdAt: at, taskIds: [] },
        { seq: seq + 2, role: 'assistant', text: reply, createdAt: at, taskIds: turn.taskIds, engine },
      ];
      const next: ChatSession = {
        id,
        accountId: principal.accountId,
        userId: principal.userId ?? null,
        createdAt: base?.createdAt ?? at,
        updatedAt: at,
        expiresAt: base?.expiresAt ?? new Date(now.getTime() + SESSION_TTL_DAYS * 86_400_000).toISOString(),
        turns: (base?.turns ?? 0) + 1,
        lastTasks: turn.lastTasks,
        pending: turn.pending,
        recent: [...(base?.recent ?? []), ...messages].slice(-CONTEXT_MESSAGES),
      };
      if (await this.deps.sessions.append(base, next, messages)) return next;
      base = await this.session(principal, id, now, 'session_id');
    }
    throw conflict('The chat session is being written concurrently; retry the message', 'session_id');
  }

  /** The account's most recent tasks matching `filter` (indexed filters only), up to TASK_WINDOW. */
  private async window(principal: Principal, filter: TaskFilter): Promise<Task[]> {
    const out: Task[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.tasks.list(principal, filter, { limit: PAGE_SIZE, offset: 0, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < TASK_WINDOW);
    return out;
  }
}

/** What one turn has done so far. */
class Turn {
  readonly replies: string[] = [];
  /** Tasks touched, by id, in first-touched order; deleted ones leave. */
  readonly touched = new Map<string, Task>();
  private readonly ids: string[] = [];
  lastTasks: readonly TaskHandle[];
  pending: PendingQuestion | null = null;

  constructor(
    readonly principal: Principal,
    previous: ChatSession | undefined,
  ) {
    this.lastTasks = previous?.lastTasks ?? [];
  }

  /** Every task the turn touched, deleted ones included: the history's record. */
  get taskIds(): string[] {
    return [...this.ids];
  }

  say(text: string): void {
    if (!this.replies.includes(text)) this.replies.push(text);
  }

  touch(task: Task): void {
    this.touched.set(task.id, task);
    if (!this.ids.includes(task.id)) this.ids.push(task.id);
  }

  forget(taskId: string): void {
    this.touched.delete(taskId);
    if (!this.ids.includes(taskId)) this.ids.push(taskId);
    this.lastTasks = this.lastTasks.filter((h) => h.id !== taskId);
  }
}

const handle = (task: Task): TaskHandle => ({ id: task.id, name: task.name });

function withTarget(intent: TargetedIntent, candidate: TaskHandle): TargetedIntent {
  return intent.kind === 'run_workflow' ? { ...intent, workflow: candidate.id } : { ...intent, target: { kind: 'id', id: candidate.id } };
}

/** Only what actually differs, so "mark it done" on a done task writes nothing. */
function changesFor(task: Task, edit: TaskEdit): TaskChanges {
  const changes: { -readonly [K in keyof TaskChanges]: TaskChanges[K] } = {};
  if (edit.name !== undefined && edit.name.trim() !== task.name) changes.name = edit.name.trim();
  if (edit.description !== undefined && edit.description !== task.description) changes.description = edit.description;
  if (edit.status !== undefined && edit.status !== task.status) changes.status = edit.status;
  if (edit.priority !== undefined && edit.priority !== task.priority) changes.priority = edit.priority;
  if (edit.dueDate !== undefined && edit.dueDate !== task.dueDate) changes.dueDate = edit.dueDate;
  if (edit.addTags || edit.removeTags) {
    const removed = new Set(edit.removeTags ?? []);
    const tags = [...new Set([...task.tags, ...(edit.addTags ?? [])])].filter((t) => !removed.has(t));
    if (tags.join('\u0000') !== task.tags.join('\u0000')) changes.tags = tags;
  }
  return changes;
}

function fieldProblem(fields: { name?: string | undefined; description?: string | null | undefined; tags?: readonly string[] | undefined; dueDate?: string | null | undefined }): string | undefined {
  if (fields.name !== undefined) {
    if (!fields.name.trim()) return 'A task needs a name.';
    if (fields.name.length > LIMITS.name) return `Task names can be at most ${LIMITS.name} characters.`;
  }
  if (fields.description && fields.description.length > LIMITS.description) return `A description can be at most ${LIMITS.description} characters.`;
  if (fields.tags && fields.tags.length > LIMITS.tags) return `A task can have at most ${LIMITS.tags} tags.`;
  if (fields.tags?.some((t) => !t.trim() || t.length > LIMITS.tag)) return `Tags must be 1 to ${LIMITS.tag} characters.`;
  if (fields.dueDate && Number.isNaN(Date.parse(fields.dueDate))) return 'That due date is not a date I can use.';
  return undefined;
}

function updateReply(before: Task, after: Task, changes: TaskChanges): string {
  const changed = Object.keys(changes);
  const name = quote(after.name);
  if (changed.length === 1) {
    if (changes.status === 'completed') return `Marked ${name} as done.`;
    if (changes.status === 'in_progress') return `Started ${name}: it is now in progress.`;
    if (changes.status === 'pending') return `Reopened ${name}: it is pending again.`;
    if (changes.status === 'cancelled') return `Cancelled ${name}.`;
    if (changes.status) return `Marked ${name} as ${STATUS_LABEL[changes.status]}.`;
    if (changes.priority) return `Set ${name} to ${changes.priority} priority.`;
    if (changes.name) return `Renamed ${quote(before.name)} to ${name}.`;
    if (changes.dueDate === null) return `Removed the due date of ${name}.`;
    if (changes.dueDate) return `${name} is now due ${formatDue(changes.dueDate)}.`;
    if (changes.tags) return `${name} is now tagged ${after.tags.length ? after.tags.map((t) => `#${t}`).join(' ') : '(no tags)'}.`;
    if (changes.description !== undefined) return `Updated the description of ${name}.`;
  }
  return `Updated ${name}: ${taskDetails(after)}.`;
}
