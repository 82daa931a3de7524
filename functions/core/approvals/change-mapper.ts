import type { ChangeMapper } from '../events/change-feed.ts';
import type { Approval } from './approval.ts';

function approvalData(a: Approval): Record<string, unknown> {
  return {
    execution_id: a.executionId,
    workflow_id: a.workflowId,
    node_id: a.nodeId,
    message: a.message,
    approvers: [...a.approvers],
    status: a.status,
    requested_at: a.requestedAt,
    expires_at: a.expiresAt,
  };
}

/**
 * `approval.requested` when an approval node starts waiting, `approval.decided` when someone decides it
 * (docs/api.md#approvals). Derived from the committed record, like every domain event; the task token is
 * no part of the record's domain object, so it never reaches an event. A replay pointing a pending request
 * at a new token, or the run's end closing it, announces nothing.
 */
export const approvalChanges: ChangeMapper<Approval> = {
  entity: 'approval',
  map({ old, new: next }) {
    if (!next) return [];
    if (!old) return next.status === 'pending' ? [{ event: 'approval.requested', timestamp: next.requestedAt, data: approvalData(next) }] : [];
    if (old.status !== 'pending' || !next.decision) return [];
    return [
      {
        event: 'approval.decided',
        timestamp: next.decidedAt,
        data: { ...approvalData(next), decision: next.decision, comment: next.comment, decided_by: next.decidedBy, decided_at: next.decidedAt },
      },
    ];
  },
};
