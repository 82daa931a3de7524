import { describe, expect, it } from 'vitest';
import type { Approval } from '../../../../../functions/core/approvals/approval.ts';
import type { ApprovalRequest } from '../../../../../functions/core/approvals/ports.ts';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../../../../functions/core/runner/executors.ts';
import { RUNNER_ERRORS, type TaskRunnerRequest } from '../../../../../statemachines/task-runner-contract.ts';

const ACCOUNT = 'acct_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const EXECUTION = 'exec_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const NOW = new Date('2030-01-01T00:00:00.000Z');

/** Keeps requests in memory, like the DynamoDB store: a repeated request re-points the token of a pending one. */
class FakeStore {
  readonly records = new Map<string, Approval>();
  readonly tokens: string[] = [];
  async request(asked: ApprovalRequest, token: string): Promise<Approval> {
    this.tokens.push(token);
    const existing = this.records.get(asked.nodeId);
    if (existing) return existing;
    const record: Approval = { ...asked, status: 'pending', decision: null, comment: null, decidedBy: null, decidedAt: null };
    this.records.set(asked.nodeId, record);
    return record;
  }
}

function request(params: Record<string, unknown>, overrides: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest {
  return {
    node_id: 'sign_off',
    node_type: 'approval',
    action: 'execute',
    params,
    account_id: ACCOUNT,
    workflow_id: 'wf_1',
    execution_id: `arn:aws:states:us-east-1:111122223333:execution:m:${EXECUTION}-${ACCOUNT}`,
    input: { amount: 42 },
    task_token: 'token-1',
    ...overrides,
  } as TaskRunnerRequest;
}

function setup(secrets: Record<string, string> = {}) {
  const store = new FakeStore();
  const logs: string[] = [];
  const ctx: ExecutorContext = {
    accountId: ACCOUNT,
    input: { amount: 42 },
    step: async () => undefined,
    secret: async (key) => secrets[key],
    signal: new AbortController().signal,
    log: (_level, message) => logs.push(message),
    now: () => NOW,
  };
  const deps = { http: {}, lambda: {}, expressions: {}, approvals: { store } } as unknown as ExecutorDeps;
  return { store, ctx, deps, logs };
}

describe('the approval executor', () => {
  it('stores the request (templates resolved, deadline from timeout, the state token) and answers await_callback', async () => {
    const { store, ctx, deps, logs } = setup();
    const { result } = await runAction(request({ message: 'Pay {{input.amount}}?', approvers: ['ada'], timeout: '30m', on_reject: 'continue' }), ctx, deps);
    expect(result).toEqual({ action: 'await_callback' });
    expect(store.records.get('sign_off')).toMatchObject({
      accountId: ACCOUNT,
      executionId: EXECUTION,
      workflowId: 'wf_1',
      message: 'Pay 42?',
      approvers: ['ada'],
      onReject: 'continue',
      status: 'pending',
      requestedAt: NOW.toISOString(),
      expiresAt: '2030-01-01T00:30:00.000Z',
    });
    expect(store.tokens).toEqual(['token-1']);
    expect(logs).toContain('Waiting for approval');
  });

  it('called again for the same run, re-points the request at the new token and waits on', async () => {
    const { store, ctx, deps } = setup();
    await runAction(request({}), ctx, deps);
    const { result } = await runAction(request({}, { task_token: 'token-2' }), ctx, deps);
    expect(result).toEqual({ action: 'await_callback' });
    expect(store.tokens).toEqual(['token-1', 'token-2']);
  });

  it('answers a decision already made: approve completes with the decision, reject fails with Stepwise.ApprovalRejected', async () => {
    const { store, ctx, deps } = setup();
    const decided = { decision: 'approve' as const, comment: 'fine', decidedBy: 'usr_1', decidedAt: NOW.toISOString() };
    store.records.set('sign_off', { ...(await store.request(request({}) as never, 't')), status: 'approved', ...decided, nodeId: 'sign_off' } as Approval);
    const { result } = await runAction(request({}), ctx, deps);
    expect(result).toMatchObject({ action: 'execute', output: { decision: 'approve', comment: 'fine', decided_by: 'usr_1', decided_at: NOW.toISOString() } });

    store.records.set('sign_off', { ...store.records.get('sign_off')!, status: 'rejected', decision: 'reject', onReject: 'fail' });
    await expect(runAction(request({}), ctx, deps)).rejects.toMatchObject({ name: RUNNER_ERRORS.approvalRejected, message: 'Rejected by usr_1: fine', retryable: false });
  });

  it('refuses, non-retryably: a secret in the message, no token, inside a map, bad approvers, no store', async () => {
    const { ctx, deps, store } = setup({ KEY: 'hunter2-secret' });
    const cases: [TaskRunnerRequest, string, ExecutorDeps?][] = [
      [request({ message: 'key {{secrets.KEY}}' }), 'may not use {{secrets'],
      [request({}, { task_token: undefined }), 'task_token is missing'],
      [request({}, { map: { node_id: 'm', item: 1, index: 0, key: '0' } }), 'cannot run inside a map'],
      [request({ approvers: [1] }), 'approvers must be a list'],
      [request({}), 'no approval store', { ...deps, approvals: undefined }],
    ];
    for (const [req, message, d] of cases) {
      const error = await runAction(req, ctx, d ?? deps).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error, message).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining(message) });
      expect(error?.message).not.toContain('hunter2-secret');
    }
    expect(store.records.size).toBe(0);
  });
});
