import type { Clock } from '../clock.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { isId, newSequentialId } from '../ids.ts';
import { hasScope, type Principal } from '../principal.ts';
import type { User } from '../auth/identity.ts';
import { isTerminal, runTaskId, type Execution, type RunTask } from '../executions/execution.ts';
import type { RunJournal } from '../runner/journal.ts';
import { RUNNER_ERRORS } from '../../../statemachines/task-runner-contract.ts';
import { decisionOutput, type Approval, type Decision, type DecisionOutput } from './approval.ts';
import type { ApprovalStore, TaskTokenCompletion } from './ports.ts';

export const MAX_COMMENT = 2_000;

export interface ApprovalDeps {
  store: ApprovalStore;
  executions: { get(accountId: string, executionId: string): Promise<Execution | undefined>; task(accountId: string, taskId: string): Promise<RunTask | undefined> };
  users: { getUser(accountId: string, userId: string): Promise<User | undefined> };
  /** Records the node's outcome the way the task runner would (the next nodes read it). */
  journal: Pick<RunJournal, 'complete' | 'fail' | 'appendLogs'>;
  tokens: TaskTokenCompletion;
  clock: Clock;
}

/**
 * Decisions on approval nodes (docs/api.md#approvals): who may decide, one decision per approval, the
 * node's outcome recorded, then the waiting state's task token completed. Everything is read through
 * the caller's account, so another account's execution is simply not found.
 */
export class ApprovalService {
  constructor(private readonly deps: ApprovalDeps) {}

  async listPending(principal: Principal, filter: { executionId?: string | undefined; limit: number }): Promise<Approval[]> {
    if (filter.executionId !== undefined) await this.execution(principal, filter.executionId);
    const now = this.deps.clock.now().toISOString();
    // A timed-out approval is no longer decidable even before its run has recorded the timeout.
    return (await this.deps.store.listPending(principal.accountId, filter)).filter((a) => a.expiresAt === null || a.expiresAt > now);
  }

  async decide(principal: Principal, executionId: string, nodeId: string, body: { decision: Decision; comment?: string | null | undefined }): Promise<{ approval: Approval; output: DecisionOutput }> {
    const execution = await this.execution(principal, executionId);
    const key = { accountId: principal.accountId, executionId: execution.id, nodeId };
    const approval = await this.deps.store.get(key);
    if (!approval) {
      const task = await this.deps.executions.task(principal.accountId, runTaskId(execution.id, nodeId));
      if (!task) throw notFound('Node', nodeId);
      throw conflict(`Node '${nodeId}' is not waiting for a decision (it is ${task.type === 'approval' ? task.status : `a ${task.type} node`})`, 'node_id');
    }
    if (approval.status !== 'pending') {
      throw conflict(approval.decision ? `Node '${nodeId}' was already decided: ${approval.decision} by ${approval.decidedBy}` : `Node '${nodeId}' is no longer waiting (${approval.status})`, 'decision');
    }
    const now = this.deps.clock.now();
    if (isTerminal(execution.status)) throw conflict(`Execution ${execution.id} is ${execution.status}; its approvals can no longer be decided`, 'decision');
    if (approval.expiresAt !== null && approval.expiresAt <= now.toISOString()) throw conflict(`Node '${nodeId}' timed out waiting for a decision`, 'decision');
    const decidedBy = await this.authorize(principal, approval);

    const comment = body.comment ?? null;
    const decidedAt = now.toISOString();
    const claimed = await this.deps.store.decide(key, { decision: body.decision, comment, decidedBy, decidedAt });
    if (!claimed) throw conflict(`Node '${nodeId}' was already decided`, 'decision');
    const decided: Approval = { ...approval, status: body.decision === 'approve' ? 'approved' : 'rejected', decision: body.decision, comment, decidedBy, decidedAt };
    const output = decisionOutput(decided) as DecisionOutput;
    await this.complete(decided, output, claimed.token);
    return { approval: decided, output };
  }

  /** Records the node's outcome, then completes the state: approval → success with the output, rejection → failure (or success with on_reject continue). */
  private async complete(approval: Approval, output: DecisionOutput, token: string | null): Promise<void> {
    const ref = { accountId: approval.accountId, executionId: approval.executionId, nodeId: approval.nodeId, taskId: runTaskId(approval.executionId, approval.nodeId) };
    const at = output.decided_at;
    const proceeds = output.decision === 'approve' || approval.onReject === 'continue';
    const said = `${output.decision === 'approve' ? 'Approved' : 'Rejected'} by ${output.decided_by}${output.comment ? `: ${output.comment}` : ''}`;
    const response = { node_id: approval.nodeId, status: 'completed' as const, output_bytes: Buffer.byteLength(JSON.stringify(output)), summary: { decision: output.decision } };
    if (proceeds) await this.deps.journal.complete(ref, { result: output, resultTruncated: false, response, records: null, at });
    else await this.deps.journal.fail(ref, { error: said, status: 'failed', at });
    await this.deps.journal.appendLogs(approval.accountId, [
      { id: newSequentialId('event', Date.parse(at)), executionId: approval.executionId, timestamp: at, level: proceeds ? 'info' : 'error', message: said, nodeId: approval.nodeId, nodeType: 'approval', data: { decision: output.decision, decided_by: output.decided_by } },
    ]);
    if (token === null) return;
    if (proceeds) await this.deps.tokens.succeed(token, JSON.stringify(response));
    // The cause is shaped like a Lambda error's, so the run's error reads "Node 'x' (approval) failed: Rejected by …".
    else await this.deps.tokens.fail(token, RUNNER_ERRORS.approvalRejected, JSON.stringify({ errorType: RUNNER_ERRORS.approvalRejected, errorMessage: said }));
  }

  /** Named approvers decide (by user id, username or email); with none named, anyone who may write workflows. */
  private async authorize(principal: Principal, approval: Approval): Promise<string> {
    const who = principal.userId ?? principal.credentialId;
    if (approval.approvers.length === 0) {
      if (!hasScope(principal, 'workflows:write')) throw forbidden('Deciding this approval needs the workflows:write scope');
      return who;
    }
    const user = principal.userId ? await this.deps.users.getUser(principal.accountId, principal.userId) : undefined;
    const names = new Set([principal.userId, user?.username.toLowerCase(), user?.email?.toLowerCase()].filter((n): n is string => typeof n === 'string'));
    if (!user?.active || !approval.approvers.some((a) => names.has(a) || names.has(a.toLowerCase()))) {
      throw forbidden(`Only the approvers named on node '${approval.nodeId}' may decide it`);
    }
    return who;
  }

  private async execution(principal: Principal, executionId: string): Promise<Execution> {
    const execution = isId('execution', executionId) ? await this.deps.executions.get(principal.accountId, executionId) : undefined;
    if (!execution) throw notFound('Execution', executionId);
    return execution;
  }
}
