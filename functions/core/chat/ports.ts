import type { Principal } from '../principal.ts';
import type { ChatContext, ChatMessage, ChatSession, EngineName, Interpretation } from './chat.ts';

/** Turns a message (with its session context) into intents: the rules parser or Amazon Bedrock. */
export interface ChatEngine {
  readonly name: EngineName;
  interpret(message: string, context: ChatContext): Promise<Interpretation>;
}

/** Storage for chat sessions and their history, keyed by account like every tenant item. */
export interface ChatSessionRepository {
  get(accountId: string, sessionId: string): Promise<ChatSession | undefined>;
  /**
   * Stores `next` and appends `messages`, all or nothing, provided the stored session is still at
   * `previous.turns` (or, with no `previous`, does not exist yet). False when another turn won.
   */
  append(previous: ChatSession | undefined, next: ChatSession, messages: readonly ChatMessage[]): Promise<boolean>;
  /** Every message of the session, oldest first. */
  messages(accountId: string, sessionId: string): Promise<ChatMessage[]>;
}

export interface WorkflowHandle {
  readonly id: string;
  readonly name: string;
}

export type WorkflowRunResult =
  | { readonly kind: 'started'; readonly workflow: WorkflowHandle; readonly execution: { readonly id: string; readonly status: string } }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly WorkflowHandle[] }
  /** One workflow fits, but not by its exact name: starting a run is not undone, so the user confirms first. */
  | { readonly kind: 'unsure'; readonly candidate: WorkflowHandle };

/**
 * Starts a run of one of the principal's workflows by name — implemented over the executions
 * service. `nameQuery` is what the user called it ("nightly export"); an exact workflow id
 * (`wf_…`) must run that workflow, which is how an answer to "which one?" comes back.
 */
export interface WorkflowRunner {
  run(principal: Principal, nameQuery: string, input?: unknown): Promise<WorkflowRunResult>;
}
