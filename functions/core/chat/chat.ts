/**
 * The chat assistant's model (Behflow's `POST /chat`): sessions, their messages, and the intents an
 * engine turns a message into. Pure data; ChatService acts on intents through the TaskService.
 */
import type { TaskPriority, TaskStatus } from '../tasks/task.ts';

/** Longest message accepted, in characters (after trimming); longer ones are a 400 naming `message`. */
export const MAX_MESSAGE_CHARS = 4000;
/** A session and its messages expire this long after the session was created (DynamoDB TTL). */
export const SESSION_TTL_DAYS = 30;
/** Turns (a message and its answer) one session holds; past it the client starts a new session. */
export const MAX_SESSION_TURNS = 100;
/** Tasks a list answer shows; the reply says how many more matched. */
export const LIST_LIMIT = 20;
/** Recent messages an engine sees as conversation context (kept on the session item). */
export const CONTEXT_MESSAGES = 10;

export type EngineName = 'rules' | 'bedrock';
export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  /** 1-based position in the session; user and assistant messages alternate. */
  readonly seq: number;
  readonly role: ChatRole;
  readonly text: string;
  readonly createdAt: string;
  /** Tasks the turn created, changed, listed or asked about (assistant messages only). */
  readonly taskIds: readonly string[];
  /** Which engine understood the message (assistant messages only). */
  readonly engine?: EngineName | undefined;
}

/** A task as a chat refers to it: enough to name it in a question without re-reading it. */
export interface TaskHandle {
  readonly id: string;
  readonly name: string;
}

/** A question the assistant asked and the action waiting for its answer ("which one?"). */
export interface PendingQuestion {
  readonly intent: TargetedIntent;
  readonly candidates: readonly TaskHandle[];
}

export interface ChatSession {
  readonly id: string;
  readonly accountId: string;
  /** The user who started it; a session is private to that user (null for client-credential tokens). */
  readonly userId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
  /** Completed turns; also the optimistic-lock counter for appending the next one. */
  readonly turns: number;
  /** What "it" and "the second one" refer to: the tasks the latest task-touching turn named, in order. */
  readonly lastTasks: readonly TaskHandle[];
  readonly pending: PendingQuestion | null;
  /** The last CONTEXT_MESSAGES messages, oldest first. */
  readonly recent: readonly ChatMessage[];
}

/** How a message names a task. */
export type TaskRef =
  /** "it", "that", "this task": the task the conversation is about. */
  | { readonly kind: 'last' }
  /** "the second one", "#3", "the last one" (-1): a position in the latest list or question. */
  | { readonly kind: 'ordinal'; readonly index: number }
  | { readonly kind: 'id'; readonly id: string }
  /** Free text, matched fuzzily against the account's task names. */
  | { readonly kind: 'name'; readonly query: string };

export interface TaskDraft {
  readonly name: string;
  readonly description?: string | undefined;
  readonly priority?: TaskPriority | undefined;
  /** ISO 8601 instant. */
  readonly dueDate?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly status?: TaskStatus | undefined;
}

export interface TaskEdit {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
  readonly status?: TaskStatus | undefined;
  readonly priority?: TaskPriority | undefined;
  /** ISO 8601 instant; null clears it. */
  readonly dueDate?: string | null | undefined;
  readonly addTags?: readonly string[] | undefined;
  readonly removeTags?: readonly string[] | undefined;
}

export interface ChatTaskFilter {
  readonly status?: TaskStatus | undefined;
  readonly priority?: TaskPriority | undefined;
  readonly tag?: string | undefined;
  /** ISO instants: due in [dueAfter, dueBefore). */
  readonly dueAfter?: string | undefined;
  readonly dueBefore?: string | undefined;
  /** Leave out completed and cancelled tasks. */
  readonly openOnly?: boolean | undefined;
  /** Fuzzy name filter ("tasks about the report"). */
  readonly nameQuery?: string | undefined;
  /** How the user put the date range ("due this week"), for the answer. */
  readonly dueLabel?: string | undefined;
}

export type HelpReason = 'greeting' | 'help' | 'thanks' | 'unknown' | 'missing_name' | 'invalid_workflow_input';

export type ChatIntent =
  | { readonly kind: 'create_task'; readonly task: TaskDraft }
  | { readonly kind: 'list_tasks'; readonly filter: ChatTaskFilter }
  | { readonly kind: 'update_task'; readonly target: TaskRef; readonly changes: TaskEdit }
  | { readonly kind: 'delete_task'; readonly target: TaskRef }
  | { readonly kind: 'run_workflow'; readonly workflow: string; readonly input?: unknown }
  | { readonly kind: 'help'; readonly reason: HelpReason };

/** The intents that name a task (or a workflow) and so can wait on a "which one?" question. */
export type TargetedIntent = Extract<ChatIntent, { kind: 'update_task' | 'delete_task' | 'run_workflow' }>;

/** What an engine sees besides the message. */
export interface ChatContext {
  readonly now: Date;
  readonly recent: readonly ChatMessage[];
  readonly lastTasks: readonly TaskHandle[];
}

export interface Interpretation {
  readonly engine: EngineName;
  readonly intents: readonly ChatIntent[];
}
