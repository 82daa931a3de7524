import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { APPROVAL_STATUSES, ON_REJECT, type Approval, type ApprovalStatus, type Decision } from '../../core/approvals/approval.ts';
import type { ApprovalKey, ApprovalRequest, ApprovalStore } from '../../core/approvals/ports.ts';
import { runTaskId } from '../../core/executions/execution.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** Standard executions last at most a year; an approval outlives its run by a month, then TTL removes it. */
const KEEP_SECONDS = 395 * 24 * 60 * 60;
const ENTITY = 'approval';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The stored item → the domain object; the task token is never part of it. */
export function approvalFromItem(item: Item): Approval {
  const status = APPROVAL_STATUSES.find((s) => s === item.status) ?? 'pending';
  return {
    accountId: String(item.account_id),
    executionId: String(item.execution_id),
    workflowId: String(item.workflow_id),
    nodeId: String(item.node_id),
    message: str(item.message),
    approvers: Array.isArray(item.approvers) ? item.approvers.map(String) : [],
    onReject: ON_REJECT.find((o) => o === item.on_reject) ?? 'fail',
    status,
    requestedAt: String(item.requested_at),
    expiresAt: str(item.expires_at),
    decision: item.decision === 'approve' || item.decision === 'reject' ? item.decision : null,
    comment: str(item.comment),
    decidedBy: str(item.decided_by),
    decidedAt: str(item.decided_at),
  };
}

/**
 * Approval records (functions/core/approvals): one item per approval node and execution, under the
 * account. While pending the item carries the sparse gsi1 keys that list the account's pending
 * approvals; a decision or the run's end removes them (and the task token) in the same write.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async request(request: ApprovalRequest, token: string, at: string): Promise<Approval> {
    const key = keys.approval(request.accountId, request.executionId, request.nodeId);
    const before = await this.item(key);
    if (before && before.status !== 'pending') return approvalFromItem(before);
    // The task shows `waiting` before the approval can be decided, so a decision never lands under a later `waiting`.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.runTask(request.accountId, runTaskId(request.executionId, request.nodeId)),
          UpdateExpression: 'SET #s = :waiting, updated_at = :at',
          ConditionExpression: 'attribute_exists(pk) AND #s = :running',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':waiting': 'waiting', ':running': 'running', ':at': at },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    if (!before) {
      const item: Item = {
        ...key,
        entity: ENTITY,
        account_id: request.accountId,
        execution_id: request.executionId,
        workflow_id: request.workflowId,
        node_id: request.nodeId,
        message: request.message,
        approvers: [...request.approvers],
        on_reject: request.onReject,
        status: 'pending',
        requested_at: request.requestedAt,
        expires_at: request.expiresAt,
        decision: null,
        comment: null,
        decided_by: null,
        decided_at: null,
        task_token: token,
        gsi1pk: keys.pendingApprovals(request.accountId),
        gsi1sk: `${request.requestedAt}#${request.executionId}#${request.nodeId}`,
        ttl: Math.floor(Date.parse(at) / 1000) + KEEP_SECONDS,
      };
      try {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
        return approvalFromItem(item);
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET task_token = :token',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':token': token, ':pending': 'pending' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return approvalFromItem(out.Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Decided meanwhile: the caller completes the new token with that decision.
      return approvalFromItem((await this.item(key)) ?? {});
    }
  }

  async get(key: ApprovalKey): Promise<(Approval & { token: string | null }) | undefined> {
    const item = await this.item(keys.approval(key.accountId, key.executionId, key.nodeId));
    return item ? { ...approvalFromItem(item), token: str(item.task_token) } : undefined;
  }

  async decide(key: ApprovalKey, d: { decision: Decision; comment: string | null; decidedBy: string; decidedAt: string }): Promise<{ token: string | null } | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.approval(key.accountId, key.executionId, key.nodeId),
          UpdateExpression: 'SET #s = :status, decision = :decision, #c = :comment, decided_by = :by, decided_at = :at REMOVE gsi1pk, gsi1sk, task_token',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status', '#c': 'comment' },
          ExpressionAttributeValues: { ':status': d.decision === 'approve' ? 'approved' : 'rejected', ':decision': d.decision, ':comment': d.comment, ':by': d.decidedBy, ':at': d.decidedAt, ':pending': 'pending' },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { token: str(out.Attributes?.task_token) };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async listPending(accountId: string, filter: { executionId?: string | undefined; limit: number }): Promise<Approval[]> {
    const out: Approval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand(
          filter.executionId === undefined
            ? {
                TableName: this.tableName,
                IndexName: 'gsi1',
                KeyConditionExpression: 'gsi1pk = :pk',
                ExpressionAttributeValues: { ':pk': keys.pendingApprovals(accountId) },
                ExclusiveStartKey: start,
              }
            : {
                TableName: this.tableName,
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                FilterExpression: '#s = :pending',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':prefix': keys.approvalPrefix(filter.executionId), ':pending': 'pending' },
                ExclusiveStartKey: start,
              },
        ),
      );
      for (const item of page.Items ?? []) if (item.entity === ENTITY) out.push(approvalFromItem(item));
      start = page.LastEvaluatedKey;
    } while (start && out.length < filter.limit);
    return out.slice(0, filter.limit);
  }

  async close(accountId: string, executionId: string, status: Extract<ApprovalStatus, 'expired' | 'closed'>, at: string): Promise<void> {
    const pending = await this.listPending(accountId, { executionId, limit: 1_000 });
    await Promise.all(
      pending.map(async (a) => {
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.approval(accountId, executionId, a.nodeId),
              UpdateExpression: 'SET #s = :status, closed_at = :at REMOVE gsi1pk, gsi1sk, task_token',
              ConditionExpression: '#s = :pending',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':status': status, ':at': at, ':pending': 'pending' },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }

  private async item(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
  }
}
