import { decisionOutput } from '../../approvals/approval.ts';
import { parseExecutionName } from '../../executions/execution.ts';
import { parseDuration } from '../../../../statemachines/durations.ts';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';
import { nonRetryable, RunnerFailure } from '../errors.ts';
import { asRecord, describe, executed, type NodeExecutor } from './run.ts';

const MAX_MESSAGE = 4_096;
const MAX_APPROVERS = 50;

/**
 * `approval`: records the request (with the state's task token) and answers `waiting`; the node is done
 * when someone decides through the API (functions/core/approvals/approval-service.ts), which completes the
 * token. Called again for the same run (a replay after a restart, a retried invocation), it points the
 * pending request at the new token, or answers the decision already made.
 */
export const approval: NodeExecutor = {
  async execute(run) {
    const { request } = run;
    const approvals = run.deps.approvals;
    if (!approvals) throw nonRetryable('approvals cannot run here: this runner has no approval store');
    if (typeof request.task_token !== 'string' || request.task_token.length === 0) throw nonRetryable('approval: task_token is missing (the node must compile to a callback Task)');
    if (request.map) throw nonRetryable('approval nodes cannot run inside a map (docs/api.md#approvals)');
    const execution = parseExecutionName(request.execution_id);
    if (!execution) throw nonRetryable(`approval: unrecognised execution ${request.execution_id}`);

    const p = asRecord(await run.templates.resolve(run.params));
    // People read the message and the record is listed by the API: a secret value has no place there.
    if (run.templates.secretValues.size > 0) throw nonRetryable('approval message and approvers may not use {{secrets.…}}');
    if (p.message !== undefined && (typeof p.message !== 'string' || p.message.length > MAX_MESSAGE)) throw nonRetryable(`approval message must resolve to text of at most ${MAX_MESSAGE} characters, got ${describe(p.message)}`);
    const approvers = p.approvers ?? [];
    if (!Array.isArray(approvers) || approvers.length > MAX_APPROVERS || !approvers.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 320)) {
      throw nonRetryable(`approval approvers must be a list of at most ${MAX_APPROVERS} user ids, usernames or emails, got ${describe(approvers)}`);
    }
    const timeout = p.timeout === undefined ? undefined : parseDuration(p.timeout);
    if (p.timeout !== undefined && timeout === undefined) throw nonRetryable(`approval timeout must be a duration such as "30m", got ${describe(p.timeout)}`);

    const now = run.ctx.now();
    const record = await approvals.store.request(
      {
        accountId: execution.accountId,
        executionId: execution.executionId,
        workflowId: request.workflow_id,
        nodeId: request.node_id,
        message: typeof p.message === 'string' ? p.message : null,
        approvers: approvers as string[],
        onReject: p.on_reject === 'continue' ? 'continue' : 'fail',
        requestedAt: now.toISOString(),
        expiresAt: timeout === undefined ? null : new Date(now.getTime() + Math.ceil(timeout) * 1000).toISOString(),
      },
      request.task_token,
      now.toISOString(),
    );
    const decided = decisionOutput(record);
    if (record.status === 'pending') {
      run.log('info', 'Waiting for approval', { approvers: [...record.approvers], ...(record.expiresAt ? { expires_at: record.expiresAt } : {}) });
      return { action: 'await_callback' };
    }
    if (decided && (decided.decision === 'approve' || record.onReject === 'continue')) return executed(decided, { decision: decided.decision });
    if (decided) throw new RunnerFailure(RUNNER_ERRORS.approvalRejected, `Rejected by ${decided.decided_by}${decided.comment ? `: ${decided.comment}` : ''}`, { retryable: false });
    throw nonRetryable(`the approval is ${record.status}: the run ended while it waited`);
  },
};
