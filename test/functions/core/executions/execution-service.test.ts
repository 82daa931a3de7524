import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import { ExecutionService } from '../../../../functions/core/executions/execution-service.ts';
import { parseExecutionName, runTaskId, type NodeManifest } from '../../../../functions/core/executions/execution.ts';
import { ExecutionTransitions, type ExecutionObserver } from '../../../../functions/core/executions/transitions.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { Workflow } from '../../../../functions/core/workflows/workflow.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../../support/fakes.ts';
import { FakeEngine, MemoryExecutions } from '../../../support/memory-executions.ts';

const node = (id: string, dependencies: string[] = [], extra: Partial<NodeManifest> = {}): NodeManifest => ({
  id,
  type: 'http.request',
  name: id,
  dependencies,
  parent: null,
  maxRetries: 2,
  priority: null,
  timeoutSeconds: null,
  payload: { url: `https://example.com/${id}` },
  runnerTask: true,
  ...extra,
});

function workflowOf(accountId: string, overrides: Partial<Workflow> = {}): Workflow {
  const id = newId('workflow');
  const machine = `arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-dev-${id}`;
  return {
    id,
    accountId,
    name: 'Nightly export',
    description: null,
    status: 'active',
    tags: [],
    dialect: 'flowctl',
    source: {},
    version: 3,
    revision: 4,
    machine: { stateMachineArn: machine, versionArn: `${machine}:3`, aliasArn: `${machine}:live` },
    nodes: [node('extract'), node('load', ['extract']), node('notify', ['extract'])],
    createdBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('ExecutionService', () => {
  const caller = principal();
  let repo: MemoryExecutions;
  let workflows: MemoryWorkflows;
  let engine: FakeEngine;
  let service: ExecutionService;
  let clock: ReturnType<typeof fixedClock>;
  let seen: { from: string; to: string }[];
  let wf: Workflow;

  beforeEach(async () => {
    repo = new MemoryExecutions();
    workflows = new MemoryWorkflows();
    engine = new FakeEngine();
    clock = fixedClock('2026-03-01T10:00:00.000Z');
    seen = [];
    const observer: ExecutionObserver = { executionChanged: async (previous, next) => void seen.push({ from: previous.status, to: next.status }) };
    service = new ExecutionService(repo, workflows, engine, new ExecutionTransitions(repo, clock, [observer]), clock);
    wf = workflowOf(caller.accountId);
    workflows.items.set(wf.id, wf);
  });

  describe('start', () => {
    it('records the run with one pending task per node, starts the published version the record names under a name carrying both ids, and reports it running', async () => {
      const execution = await service.start(caller, wf.id, { input: { day: '2026-03-01' } });
      expect(execution).toMatchObject({ workflowId: wf.id, version: 3, status: 'running', input: { day: '2026-03-01' }, sinks: ['load', 'notify'], taskCount: 3, startedAt: '2026-03-01T10:00:00.000Z', trigger: 'manual' });
      expect(engine.started).toEqual([expect.objectContaining({ aliasArn: wf.machine.aliasArn, versionArn: wf.machine.versionArn, version: 3, input: { day: '2026-03-01' } })]);
      expect(parseExecutionName(engine.started[0]!.name)).toEqual({ executionId: execution.id, accountId: caller.accountId });
      expect(execution.executionArn).toBe(`${wf.machine.stateMachineArn.replace(':stateMachine:', ':execution:')}:${engine.started[0]!.name}`);
      const tasks = await repo.tasks(caller.accountId, execution.id);
      expect(tasks.map((t) => [t.nodeId, t.status, t.id])).toEqual([
        ['extract', 'pending', runTaskId(execution.id, 'extract')],
        ['load', 'pending', runTaskId(execution.id, 'load')],
        ['notify', 'pending', runTaskId(execution.id, 'notify')],
      ]);
      expect(seen).toEqual([{ from: 'pending', to: 'running' }]);
      expect(repo.logLines.map((l) => l.message)).toEqual(['Execution started']);
    });

    it('returns the same execution for a replayed Idempotency-Key and refuses the key with a different input', async () => {
      const first = await service.start(caller, wf.id, { input: { n: 1 }, idempotencyKey: 'k-1' });
      const again = await service.start(caller, wf.id, { input: { n: 1 }, idempotencyKey: 'k-1' });
      expect(again.id).toBe(first.id);
      expect(engine.started).toHaveLength(1);
      await expect(service.start(caller, wf.id, { input: { n: 2 }, idempotencyKey: 'k-1' })).rejects.toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });
      // The key is per workflow: the same key on another workflow is a new run.
      const other = workflowOf(caller.accountId);
      workflows.items.set(other.id, other);
      expect((await service.start(caller, other.id, { input: { n: 1 }, idempotencyKey: 'k-1' })).id).not.toBe(first.id);
    });

    it('a start the engine refused is recorded as failed, and replaying its key returns that record', async () => {
      engine.failStart = new Error('throttled');
      await expect(service.start(caller, wf.id, { idempotencyKey: 'k-2' })).rejects.toThrow('throttled');
      const [failed] = [...repo.executions.values()];
      expect(failed).toMatchObject({ status: 'failed', error: 'Could not start: throttled' });
      // A failed start is final; the replay returns it rather than starting a second run.
      engine.failStart = undefined;
      expect((await service.start(caller, wf.id, { idempotencyKey: 'k-2' })).id).toBe(failed!.id);
      expect(engine.started).toHaveLength(0);
    });

    it('a replay finishes a start that was recorded but never reached the engine (the process died in between)', async () => {
      const first = await service.start(caller, wf.id, { idempotencyKey: 'k-3' });
      repo.executions.set(first.id, { ...repo.executions.get(first.id)!, status: 'pending', startedAt: null });
      engine.started = [];
      const replay = await service.start(caller, wf.id, { idempotencyKey: 'k-3' });
      expect(replay).toMatchObject({ id: first.id, status: 'running' });
      expect(engine.started.map((s) => s.name)).toEqual([`${first.id}-${caller.accountId}`]);
    });

    it('refuses paused workflows (409), oversize input (413), and other tenants’ workflows (404)', async () => {
      workflows.items.set(wf.id, { ...wf, status: 'paused' });
      await expect(service.start(caller, wf.id)).rejects.toMatchObject({ code: 'conflict', field: 'status' });
      workflows.items.set(wf.id, wf);
      await expect(service.start(caller, wf.id, { input: { blob: 'x'.repeat(256 * 1024) } })).rejects.toMatchObject({ code: 'payload_too_large', field: 'input' });
      await expect(service.start(principal({ accountId: newId('account') }), wf.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.start(caller, 'wf_nope')).rejects.toBeInstanceOf(AppError);
      expect(repo.executions.size).toBe(0);
    });
  });

  describe('cancel', () => {
    it('stops the engine, marks the run cancelled and every unfinished task cancelled', async () => {
      const execution = await service.start(caller, wf.id);
      repo.setTask(runTaskId(execution.id, 'extract'), { status: 'completed' });
      repo.setTask(runTaskId(execution.id, 'load'), { status: 'running' });
      clock.advance(1_500);
      const cancelled = await service.cancel(caller, execution.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', durationMs: 1_500, completedAt: '2026-03-01T10:00:01.500Z' });
      expect(engine.stopped).toEqual([execution.executionArn]);
      const statuses = Object.fromEntries((await repo.tasks(caller.accountId, execution.id)).map((t) => [t.nodeId, t.status]));
      expect(statuses).toEqual({ extract: 'completed', load: 'cancelled', notify: 'cancelled' });
      expect(Object.fromEntries((await repo.tasks(caller.accountId, execution.id)).map((t) => [t.nodeId, repo.halted.get(t.id) ?? null]))).toEqual({ extract: null, load: 'cancelled', notify: 'cancelled' });
      await expect(service.cancel(caller, execution.id)).rejects.toMatchObject({ code: 'conflict', field: 'status' });
      await expect(service.cancel(principal({ accountId: newId('account') }), execution.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('cancels every active run of a workflow and leaves finished ones alone', async () => {
      const a = await service.start(caller, wf.id);
      const b = await service.start(caller, wf.id);
      const done = await service.start(caller, wf.id);
      repo.executions.set(done.id, { ...repo.executions.get(done.id)!, status: 'completed' });
      const cancelled = await service.cancelWorkflow(caller, wf.id);
      expect(cancelled.map((e) => e.id).toSorted()).toEqual([a.id, b.id].toSorted());
      expect(repo.executions.get(done.id)!.status).toBe('completed');
    });
  });

  describe('retry (redrive)', () => {
    it('redrives a failed run: failed and cancelled tasks go back to pending, completed ones stay', async () => {
      const execution = await service.start(caller, wf.id);
      repo.executions.set(execution.id, { ...repo.executions.get(execution.id)!, status: 'failed', error: 'boom', failedNode: 'load' });
      repo.setTask(runTaskId(execution.id, 'extract'), { status: 'completed', result: { rows: 3 } });
      repo.setTask(runTaskId(execution.id, 'load'), { status: 'failed', error: 'boom' });
      repo.halted.set(runTaskId(execution.id, 'load'), 'failed');
      repo.halted.set(runTaskId(execution.id, 'notify'), 'failed');
      const retried = await service.retry(caller, execution.id);
      // Every node that runs again loses the stopped run's mark, the never-started one too.
      expect(repo.halted.size).toBe(0);
      expect(retried).toMatchObject({ status: 'running', redriveCount: 1, error: null, failedNode: null });
      expect(engine.redriven).toEqual([execution.executionArn]);
      const tasks = Object.fromEntries((await repo.tasks(caller.accountId, execution.id)).map((t) => [t.nodeId, [t.status, t.result]]));
      expect(tasks).toEqual({ extract: ['completed', { rows: 3 }], load: ['pending', null], notify: ['pending', null] });
      expect(repo.logLines.at(-1)?.message).toBe('Execution redriven (attempt 2)');
    });

    it('refuses to redrive a running or completed run', async () => {
      const execution = await service.start(caller, wf.id);
      await expect(service.retry(caller, execution.id)).rejects.toMatchObject({ code: 'conflict', field: 'status' });
      expect(engine.redriven).toEqual([]);
    });
  });

  it('reads pipeline executions only for the caller’s own workflow', async () => {
    await service.start(caller, wf.id);
    expect((await service.listOfWorkflow(caller, wf.id, {}, { limit: 10, offset: 0, cursor: undefined })).total).toBe(1);
    await expect(service.listOfWorkflow(principal({ accountId: newId('account') }), wf.id, {}, { limit: 10, offset: 0, cursor: undefined })).rejects.toMatchObject({ code: 'not_found' });
  });

  describe('child runs (subworkflow nodes)', () => {
    const childStart = (parentExecutionId: string, overrides: Partial<Parameters<ExecutionService['prepareChild']>[0]> = {}) => ({
      accountId: caller.accountId,
      parentExecutionId,
      parentNodeId: 'call',
      attempt: 1,
      workflowId: wf.id,
      input: { n: 1 },
      ...overrides,
    });

    it('prepares a pending child with its parent, node and depth, idempotently per attempt; launching starts it once', async () => {
      const parent = await service.start(caller, wf.id);
      const { execution, name } = await service.prepareChild(childStart(parent.id));
      expect(execution).toMatchObject({ status: 'pending', workflowId: wf.id, trigger: 'subworkflow', input: { n: 1 }, parent: { executionId: parent.id, nodeId: 'call', depth: 1 } });
      expect(parseExecutionName(name)).toEqual({ executionId: execution.id, accountId: caller.accountId });
      expect(engine.started).toHaveLength(1);
      // The same attempt again (a repeated runner call), or a replay while the child still goes, finds the same child.
      expect((await service.prepareChild(childStart(parent.id))).execution.id).toBe(execution.id);
      expect((await service.prepareChild(childStart(parent.id, { attempt: 2 }))).execution.id).toBe(execution.id);
      // Another map iteration of the node has its own.
      const iteration = await service.prepareChild(childStart(parent.id, { mapKey: '3' }));
      expect(iteration.execution).toMatchObject({ parent: { nodeId: 'call', mapKey: '3' } });
      expect(iteration.execution.id).not.toBe(execution.id);
      const launched = await service.launchChild(name);
      expect(launched.status).toBe('running');
      expect(engine.started.at(-1)).toMatchObject({ name, versionArn: wf.machine.versionArn });
      await service.launchChild(name);
      expect(engine.started).toHaveLength(2);
      // Once it has ended, the node's next attempt starts a new child.
      await repo.transition(launched, { status: 'failed', redriveCount: 0 });
      expect((await service.prepareChild(childStart(parent.id, { attempt: 3 }))).execution.id).not.toBe(execution.id);
      expect((await service.list(caller, { parentExecutionId: parent.id }, { limit: 10, offset: 0, cursor: undefined })).items).toHaveLength(3);
    });

    it('refuses another account’s workflow exactly like a missing one, and a paused one', async () => {
      const parent = await service.start(caller, wf.id);
      const theirs = workflowOf(newId('account'));
      workflows.items.set(theirs.id, theirs);
      const refusals = await Promise.all([theirs.id, newId('workflow')].map((id) => service.prepareChild(childStart(parent.id, { workflowId: id })).catch((e: AppError) => e)));
      expect(refusals.map((e) => (e as AppError).code)).toEqual(['validation_error', 'validation_error']);
      expect((refusals[0] as AppError).message.replace(theirs.id, 'X')).toBe((refusals[1] as AppError).message.replace(/wf_\w+/, 'X'));
      workflows.items.set(wf.id, { ...wf, status: 'paused' });
      await expect(service.prepareChild(childStart(parent.id))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is paused') });
    });

    it('stops at depth 10: the 11th nested start is refused, naming the node', async () => {
      let parent = await service.start(caller, wf.id);
      for (let depth = 1; depth <= 10; depth += 1) {
        const { execution } = await service.prepareChild(childStart(parent.id));
        expect(execution.parent?.depth).toBe(depth);
        parent = execution;
      }
      await expect(service.prepareChild(childStart(parent.id))).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^subworkflows nest at most 10 deep: .* node 'call' cannot start another level/) });
    });

    it('cancelling a parent cancels its running children, and theirs', async () => {
      const parent = await service.start(caller, wf.id);
      const child = await service.launchChild((await service.prepareChild(childStart(parent.id))).name);
      const grandchild = await service.launchChild((await service.prepareChild(childStart(child.id))).name);
      const finished = await service.launchChild((await service.prepareChild(childStart(parent.id, { parentNodeId: 'other' }))).name);
      await repo.transition(finished, { status: 'completed', redriveCount: 0 });
      await service.cancel(caller, parent.id);
      expect((await repo.get(caller.accountId, child.id))?.status).toBe('cancelled');
      expect((await repo.get(caller.accountId, grandchild.id))?.error).toBe(`Parent execution ${child.id} was cancelled`);
      expect((await repo.get(caller.accountId, finished.id))?.status).toBe('completed');
      expect(engine.stopped).toEqual([parent.executionArn, child.executionArn, grandchild.executionArn]);
    });

    it('abandoning a child that never started fails its record; a running one is left to its own events', async () => {
      const parent = await service.start(caller, wf.id);
      const { execution } = await service.prepareChild(childStart(parent.id));
      await service.abandonChild(caller.accountId, execution.id, 'State Machine Does Not Exist');
      expect(await repo.get(caller.accountId, execution.id)).toMatchObject({ status: 'failed', error: 'Could not start: State Machine Does Not Exist' });
      const running = await service.launchChild((await service.prepareChild(childStart(parent.id, { attempt: 2 }))).name);
      await service.abandonChild(caller.accountId, running.id, 'timed out');
      expect((await repo.get(caller.accountId, running.id))?.status).toBe('running');
    });

    it('answers a child’s result from its sinks even before its own status event lands', async () => {
      const parent = await service.start(caller, wf.id);
      const { execution } = await service.prepareChild(childStart(parent.id));
      repo.setTask(runTaskId(execution.id, 'load'), { status: 'completed', result: { rows: 3 } });
      repo.setTask(runTaskId(execution.id, 'notify'), { status: 'completed', result: 'sent' });
      expect(await service.childResult(caller.accountId, execution.id)).toEqual({ load: { rows: 3 }, notify: 'sent' });
      await expect(service.childResult(newId('account'), execution.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
