import type { TaskTokens } from '../runner/dependency-gates.ts';
import type { Approval, ApprovalStatus, Decision } from './approval.ts';

export interface ApprovalKey {
  readonly accountId: string;
  readonly executionId: string;
  readonly nodeId: string;
}

/** The new request as the runner makes it; the store adds status and times. */
export type ApprovalRequest = Omit<Approval, 'status' | 'decision' | 'comment' | 'decidedBy' | 'decidedAt'>;

/**
 * The approvals' records (functions/adapters/dynamodb/approval-store.ts). Every key starts with the
 * account; pending approvals are listed through a sparse index, never by scanning.
 */
export interface ApprovalStore {
  /**
   * Marks the node's task `waiting`, then stores the request with `token`, or, when the node asked before
   * (a replay after a restart, a retried invocation), points the pending request at the new token. Answers
   * the record as it stands afterwards: a decided one is not changed.
   */
  request(request: ApprovalRequest, token: string, at: string): Promise<Approval>;
  get(key: ApprovalKey): Promise<(Approval & { readonly token: string | null }) | undefined>;
  /**
   * pending → approved/rejected, atomically, answering the token the decision must complete (it is
   * removed from the record); undefined when the approval was no longer pending.
   */
  decide(key: ApprovalKey, decision: { decision: Decision; comment: string | null; decidedBy: string; decidedAt: string }): Promise<{ token: string | null } | undefined>;
  /** The account's pending approvals, oldest request first. */
  listPending(accountId: string, filter: { executionId?: string | undefined; limit: number }): Promise<Approval[]>;
  /** Ends every pending approval of a run that ended without them (timed out, cancelled, failed elsewhere). */
  close(accountId: string, executionId: string, status: Extract<ApprovalStatus, 'expired' | 'closed'>, at: string): Promise<void>;
}

/** Completes a waiting state's task token: Step Functions' SendTaskSuccess/SendTaskFailure, or the local engine's. */
export type TaskTokenCompletion = TaskTokens;
