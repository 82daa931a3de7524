/**
 * Approvals end to end (docs/api.md#approvals) on the shared local server: the compiler's callback Task,
 * the local engine waiting on the token, the runner's approval record in DynamoDB Local, the decision API,
 * and the approval.* events delivered to a webhook.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

type Account = Awaited<ReturnType<typeof newAccount>>;

describe('approvals (end to end, local engine)', () => {
  let owner: Account;
  let other: Account;
  let member: ReturnType<typeof api>;
  let memberEmail: string;
  const received: { event: string; data: any }[] = [];
  let receiver: Server;

  beforeAll(async () => {
    owner = await newAccount('appr');
    other = await newAccount('apprx');
    memberEmail = `${owner.username}.member@example.com`;
    const invited = await owner.client.post('/api/v1/users', { email: memberEmail, password: 'member-pass-1', role: 'member' });
    if (invited.status !== 201) throw new Error(`inviting the member failed: ${invited.text}`);
    member = api((await api().post('/api/v1/auth/login', { username: memberEmail, password: 'member-pass-1' })).body.token);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { event: string; data: any };
        received.push(parsed);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const hook = await owner.client.post('/api/v1/webhooks', { url, events: ['approval.requested', 'approval.decided'] });
    if (hook.status !== 201) throw new Error(`subscribing to approval events failed: ${hook.text}`);
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  /** A workflow: approval `gate` (with `payload`), then `after` reading its output; `extra` tasks appended. */
  async function start(payload: Record<string, unknown>, extra: Record<string, unknown>[] = [], client = owner.client): Promise<string> {
    const wf = await client.post('/api/v1/workflows', {
      name: `approval ${Math.random()}`,
      tasks: [
        { name: 'gate', type: 'approval', payload },
        ...(extra.length ? extra : [{ name: 'after', type: 'transform', dependencies: ['gate'], payload: { expression: 'steps.gate.output' } }]),
      ],
    });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: { amount: 42 } });
    expect(run.status).toBe(202);
    return run.body.execution_id as string;
  }

  const waiting = (client: ReturnType<typeof api>, id: string) => waitForExecution(client, id, (b) => b.waiting_nodes?.includes('gate'));

  it('waits (task waiting, execution names the node, listed, approval.requested), then approve completes the run with the decision as output', async () => {
    const id = await start({ message: 'Pay {{input.amount}}?', approvers: [owner.username], timeout: '10m' });
    const seen = await waiting(owner.client, id);
    expect(seen.status).toBe('running');
    expect(seen.tasks.find((t: any) => t.node_id === 'gate').status).toBe('waiting');

    const pending = await owner.client.get(`/api/v1/approvals?execution_id=${id}`);
    expect(pending.status).toBe(200);
    expect(pending.body.approvals).toEqual([expect.objectContaining({ execution_id: id, node_id: 'gate', message: 'Pay 42?', approvers: [owner.username], status: 'pending', decision: null })]);
    expect(pending.text).not.toMatch(/local-[0-9a-f-]{36}|task_token/);
    expect((await owner.client.get('/api/v1/approvals')).body.approvals.map((a: any) => a.execution_id)).toContain(id);
    expect((await other.client.get('/api/v1/approvals')).body.approvals).toEqual([]);

    const decided = await owner.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve', comment: 'ok by me' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ decision: 'approve', comment: 'ok by me', decided_by: owner.userId, approval: { status: 'approved' } });

    const done = await waitForExecution(owner.client, id);
    expect(done.status).toBe('completed');
    expect(done.result).toEqual({ decision: 'approve', comment: 'ok by me', decided_by: owner.userId, decided_at: decided.body.decided_at });
    expect(done.tasks.find((t: any) => t.node_id === 'gate')).toMatchObject({ status: 'completed', result: { decision: 'approve' } });
    expect((await owner.client.get(`/api/v1/approvals?execution_id=${id}`)).body.approvals).toEqual([]);

    const events = await eventually(
      async () => received.filter((e) => e.data.execution_id === id),
      (list) => list.some((e) => e.event === 'approval.decided'),
    );
    expect(events.map((e) => e.event).toSorted()).toEqual(['approval.decided', 'approval.requested']);
    expect(events.find((e) => e.event === 'approval.decided')?.data).toMatchObject({ node_id: 'gate', decision: 'approve', decided_by: owner.userId });
  });

  it('a second decision is a 409; a non-approver gets 403; another account gets 404; unknown and non-waiting nodes 404 and 409', async () => {
    const id = await start({ approvers: [memberEmail.toUpperCase()] });
    await waiting(owner.client, id);
    const refused = await owner.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const foreign = await other.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve' });
    expect(foreign.status).toBe(404);
    expect((await other.client.get(`/api/v1/approvals?execution_id=${id}`)).status).toBe(404);
    expect((await owner.client.post(`/api/v1/executions/${id}/approvals/nope`, { decision: 'approve' })).status).toBe(404);
    const bad = await member.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('decision');
    expect((await owner.client.get('/api/v1/approvals?execution_id=nope')).status).toBe(400);

    // Named by email (any case): the member decides.
    expect((await member.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve' })).status).toBe(200);
    const again = await member.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'reject' });
    expect(again.status).toBe(409);
    await waitForExecution(owner.client, id);
    const notWaiting = await owner.client.post(`/api/v1/executions/${id}/approvals/after`, { decision: 'approve' });
    expect(notWaiting.status).toBe(409);
  });

  it('rejected: the run fails naming the node', async () => {
    const id = await start({});
    await waiting(owner.client, id);
    expect((await member.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'reject', comment: 'too much' })).status).toBe(200);
    const done = await waitForExecution(owner.client, id);
    expect(done).toMatchObject({ status: 'failed', failed_node: 'gate' });
    expect(done.error).toContain("Node 'gate' (approval) failed");
    expect(done.error).toContain('too much');
    expect(done.tasks.find((t: any) => t.node_id === 'gate').status).toBe('failed');
    expect(done.tasks.find((t: any) => t.node_id === 'after').status).not.toBe('completed');
  });

  it('rejected before a choice that reads the decision: the choice routes it (on_reject defaults to continue there)', async () => {
    const id = await start({}, [
      { name: 'route', type: 'choice', dependencies: ['gate'], payload: { choices: [{ when: "steps.gate.output.decision = 'approve'", next: 'ship' }], default: 'undo' } },
      { name: 'ship', type: 'transform', dependencies: ['route'], payload: { expression: '"shipped"' } },
      { name: 'undo', type: 'transform', dependencies: ['route'], payload: { expression: '"rolled back"' } },
    ]);
    await waiting(owner.client, id);
    expect((await owner.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'reject' })).status).toBe(200);
    // Branches not taken are marked once the run has ended.
    const done = await waitForExecution(owner.client, id, (b) => b.status === 'completed' && b.tasks.every((t: any) => t.status !== 'pending'));
    const status = (node: string) => done.tasks.find((t: any) => t.node_id === node).status;
    expect([status('gate'), status('undo'), status('ship')]).toEqual(['completed', 'completed', 'skipped']);
  });

  it('timed out: the node fails with Stepwise.ApprovalTimeout and can no longer be decided', async () => {
    const id = await start({ timeout: '2s' });
    await waiting(owner.client, id);
    const done = await waitForExecution(owner.client, id, (b) => b.status === 'failed' && b.tasks.every((t: any) => t.status !== 'waiting'), 20_000);
    expect(done).toMatchObject({ status: 'failed', failed_node: 'gate' });
    expect(done.error).toContain('Stepwise.ApprovalTimeout');
    expect(done.tasks.find((t: any) => t.node_id === 'gate').status).toBe('failed');
    expect((await owner.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve' })).status).toBe(409);
    expect((await owner.client.get(`/api/v1/approvals?execution_id=${id}`)).body.approvals).toEqual([]);
  });

  it('cancelling a waiting run closes its approval', async () => {
    const id = await start({});
    await waiting(owner.client, id);
    expect((await owner.client.delete(`/api/v1/executions/${id}`)).status).toBe(200);
    const done = await waitForExecution(owner.client, id);
    expect(done.status).toBe('cancelled');
    const closed = await eventually(async () => owner.client.get(`/api/v1/approvals?execution_id=${id}`), (r) => r.status !== 200 || r.body.approvals.length === 0, { timeoutMs: 10_000, intervalMs: 500 });
    expect(closed.status, closed.text).toBe(200);
    expect((await owner.client.post(`/api/v1/executions/${id}/approvals/gate`, { decision: 'approve' })).status).toBe(409);
  });
});
