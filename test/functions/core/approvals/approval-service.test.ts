import { describe, expect, it } from 'vitest';
import type { Approval } from '../../../../functions/core/approvals/approval.ts';
import { ApprovalService } from '../../../../functions/core/approvals/approval-service.ts';
import type { ApprovalKey, ApprovalStore } from '../../../../functions/core/approvals/ports.ts';
import type { User } from '../../../../functions/core/auth/identity.ts';
import { runTaskId, type Execution, type RunTask } from '../../../../functions/core/executions/execution.ts';
import type { Principal } from '../../../../functions/core/principal.ts';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';

const ACCOUNT = 'acct_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const EXECUTION = 'exec_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const NOW = new Date('2030-01-01T00:00:00.000Z');

function principal(overrides: Partial<Principal> = {}): Principal {
  return { accountId: ACCOUNT, userId: 'usr_ada', role: 'member', scopes: ['workflows:read', 'workflows:write'], authMethod: 'password', credentialId: 'ses_1', plan: 'free', ...overrides };
}

function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    accountId: ACCOUNT, executionId: EXECUTION, workflowId: 'wf_1', nodeId: 'gate', message: null, approvers: [], onReject: 'fail', status: 'pending',
    requestedAt: '2029-12-31T23:00:00.000Z', expiresAt: null, decision: null, comment: null, decidedBy: null, decidedAt: null, ...overrides,
  };
}

function setup(record: Approval | undefined, options: { execution?: Partial<Execution>; task?: Partial<RunTask> } = {}) {
  const calls: unknown[][] = [];
  let current = record ? { ...record, token: 'tok-1' } : undefined;
  const store: ApprovalStore = {
    request: async () => { throw new Error('not used'); },
    get: async (key: ApprovalKey) => (current && key.nodeId === current.nodeId && key.accountId === current.accountId ? current : undefined),
    decide: async (_key, d) => {
      if (current?.status !== 'pending') return undefined;
      const token = current.token;
      current = { ...current, status: d.decision === 'approve' ? 'approved' : 'rejected', decision: d.decision, token: null as never };
      return { token };
    },
    listPending: async () => (current && current.status === 'pending' ? [current] : []),
    close: async () => undefined,
  };
  const users: Record<string, User> = { usr_ada: { id: 'usr_ada', accountId: ACCOUNT, username: 'ada', email: 'Ada@Example.com', active: true } as User };
  const service = new ApprovalService({
    store,
    executions: {
      get: async (accountId, id) => (accountId === ACCOUNT && id === EXECUTION ? ({ id, accountId, status: 'running', ...options.execution } as Execution) : undefined),
      task: async (_a, taskId) => (options.task && taskId === runTaskId(EXECUTION, options.task.nodeId ?? '') ? (options.task as RunTask) : undefined),
    },
    users: { getUser: async (_a, id) => users[id] },
    journal: {
      complete: async (ref, outcome) => void calls.push(['complete', ref.nodeId, outcome.result]),
      fail: async (ref, failure) => void calls.push(['fail', ref.nodeId, failure.error]),
      appendLogs: async () => undefined,
    },
    tokens: {
      succeed: async (token, output) => void calls.push(['succeed', token, JSON.parse(output ?? 'null')]),
      fail: async (token, error, cause) => void calls.push(['failToken', token, error, JSON.parse(cause)]),
    },
    clock: { now: () => NOW },
  });
  return { service, calls };
}

describe('ApprovalService.decide', () => {
  it('approve: records the output, then sends task success with the runner-shaped answer', async () => {
    const { service, calls } = setup(approval());
    const { output } = await service.decide(principal(), EXECUTION, 'gate', { decision: 'approve', comment: 'go' });
    expect(output).toEqual({ decision: 'approve', comment: 'go', decided_by: 'usr_ada', decided_at: NOW.toISOString() });
    expect(calls).toEqual([
      ['complete', 'gate', output],
      ['succeed', 'tok-1', { node_id: 'gate', status: 'completed', output_bytes: Buffer.byteLength(JSON.stringify(output)), summary: { decision: 'approve' } }],
    ]);
  });

  it('reject: fails the task, then SendTaskFailure with Stepwise.ApprovalRejected; with on_reject continue it completes instead', async () => {
    const failed = setup(approval());
    await failed.service.decide(principal(), EXECUTION, 'gate', { decision: 'reject', comment: 'no' });
    expect(failed.calls).toEqual([
      ['fail', 'gate', 'Rejected by usr_ada: no'],
      ['failToken', 'tok-1', RUNNER_ERRORS.approvalRejected, { errorType: RUNNER_ERRORS.approvalRejected, errorMessage: 'Rejected by usr_ada: no' }],
    ]);
    const routed = setup(approval({ onReject: 'continue' }));
    await routed.service.decide(principal(), EXECUTION, 'gate', { decision: 'reject' });
    expect(routed.calls.map((c) => c[0])).toEqual(['complete', 'succeed']);
  });

  it('named approvers: by id, username or email (any case); anyone else is refused with 403', async () => {
    for (const name of ['usr_ada', 'ADA', 'ada@example.com']) {
      const { service } = setup(approval({ approvers: [name] }));
      await expect(service.decide(principal(), EXECUTION, 'gate', { decision: 'approve' })).resolves.toBeDefined();
    }
    const { service, calls } = setup(approval({ approvers: ['grace'] }));
    await expect(service.decide(principal(), EXECUTION, 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toEqual([]);
  });

  it('no approvers: needs workflows:write', async () => {
    const { service } = setup(approval());
    await expect(service.decide(principal({ role: 'viewer', scopes: ['workflows:read'] }), EXECUTION, 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('409 for a second decision, a timed-out or ended one; 404 for another account or an unknown node; 409 for a node that is not waiting', async () => {
    const once = setup(approval());
    await once.service.decide(principal(), EXECUTION, 'gate', { decision: 'approve' });
    await expect(once.service.decide(principal(), EXECUTION, 'gate', { decision: 'reject' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(setup(approval({ expiresAt: '2029-12-31T23:59:59.000Z' })).service.decide(principal(), EXECUTION, 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(setup(approval(), { execution: { status: 'cancelled' } }).service.decide(principal(), EXECUTION, 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(setup(approval()).service.decide(principal({ accountId: 'acct_01HYYYYYYYYYYYYYYYYYYYYYYY' }), EXECUTION, 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(setup(approval()).service.decide(principal(), 'exec_bad', 'gate', { decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(setup(undefined).service.decide(principal(), EXECUTION, 'nope', { decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(setup(undefined, { task: { nodeId: 'fetch', type: 'http.request', status: 'completed' } }).service.decide(principal(), EXECUTION, 'fetch', { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lists pending approvals, leaving out those past their deadline', async () => {
    expect(await setup(approval()).service.listPending(principal(), { limit: 10 })).toHaveLength(1);
    expect(await setup(approval({ expiresAt: '2029-12-31T23:59:00.000Z' })).service.listPending(principal(), { limit: 10 })).toEqual([]);
  });
});
