/**
 * Approvals: an `approval` node waits for a person's decision (docs/api.md#approvals). One record per
 * waiting node per execution, kept by the account; the task token that completes the waiting state is
 * stored with it and never leaves the store (it is no field of this object).
 */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'closed'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const DECISIONS = ['approve', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

/** What a rejection does: fail the node (and the run, unless caught), or complete it so a choice can route on it. */
export const ON_REJECT = ['fail', 'continue'] as const;
export type OnReject = (typeof ON_REJECT)[number];

export interface Approval {
  readonly accountId: string;
  readonly executionId: string;
  readonly workflowId: string;
  readonly nodeId: string;
  readonly message: string | null;
  /** User ids, usernames or emails; empty: any member who may write workflows. */
  readonly approvers: readonly string[];
  readonly onReject: OnReject;
  readonly status: ApprovalStatus;
  readonly requestedAt: string;
  /** When the wait times out (the state's TimeoutSeconds); null: it waits as long as the run may. */
  readonly expiresAt: string | null;
  readonly decision: Decision | null;
  readonly comment: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
}

/** The approval node's output once decided (and the decision the API answers). */
export interface DecisionOutput {
  readonly decision: Decision;
  readonly comment: string | null;
  readonly decided_by: string;
  readonly decided_at: string;
}

export const decisionOutput = (a: Approval): DecisionOutput | null =>
  a.decision && a.decidedBy && a.decidedAt ? { decision: a.decision, comment: a.comment, decided_by: a.decidedBy, decided_at: a.decidedAt } : null;
