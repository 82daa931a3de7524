import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import type { DomainEvent } from '../../../../functions/core/events/catalog.ts';
import { ExecutionService } from '../../../../functions/core/executions/execution-service.ts';
import { ExecutionTransitions } from '../../../../functions/core/executions/transitions.ts';
import { emptyStats } from '../../../../functions/core/executions/run-stats.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { MAX_TRIGGER_DEPTH } from '../../../../functions/core/triggers/event-match.ts';
import { TriggerService } from '../../../../functions/core/triggers/trigger-service.ts';
import type { WorkflowTrigger } from '../../../../functions/core/triggers/trigger.ts';
import type { Workflow } from '../../../../functions/core/workflows/workflow.ts';
import { executionAt } from '../../../support/execution-fixtures.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../../support/fakes.ts';
import { FakeEngine, MemoryExecutions } from '../../../support/memory-executions.ts';
import { FakeSchedules, MemoryTriggerStore } from '../../../support/memory-triggers.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OTHER = 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ';

function workflow(trigger: WorkflowTrigger | undefined, overrides: Partial<Workflow> = {}): Workflow {
  const id = newId('workflow');
  const machine = `arn:aws:states:us-east-1:1:stateMachine:stepwise-dev-${id}`;
  return {
    id,
    accountId: ACCOUNT,
    name: 'Nightly',
    description: null,
    status: 'active',
    tags: [],
    dialect: 'cloudflow',
    source: {},
    ...(trigger ? { trigger } : {}),
    version: 1,
    revision: 1,
    machine: { stateMachineArn: machine, versionArn: `${machine}:1`, aliasArn: `${machine}:live` },
    nodes: [],
    createdBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('TriggerService', () => {
  let store: MemoryTriggerStore;
  let schedules: FakeSchedules;
  let workflows: MemoryWorkflows;
  let executions: MemoryExecutions;
  let engine: FakeEngine;
  let service: TriggerService;
  const clock = fixedClock('2026-03-01T10:00:00.000Z');

  beforeEach(() => {
    store = new MemoryTriggerStore();
    schedules = new FakeSchedules();
    workflows = new MemoryWorkflows();
    executions = new MemoryExecutions();
    engine = new FakeEngine();
    const runs = new ExecutionService(executions, workflows, engine, new ExecutionTransitions(executions, clock, []), clock);
    service = new TriggerService({
      store,
      schedules,
      workflows,
      runs: () => runs,
      executions: () => executions,
      runStats: () => ({ get: async (_a, ids) => new Map(ids.map((id) => [id, { ...emptyStats(id), lastRunAt: '2026-02-01T09:00:00.000Z' }])) }),
      clock,
    });
  });

  const save = (wf: Workflow) => {
    workflows.items.set(wf.id, wf);
    return wf;
  };

  describe('sync (after create, PUT, PATCH)', () => {
    it('provisions nothing for a manual workflow', async () => {
      expect(await service.sync(save(workflow(undefined)))).toEqual({});
      expect(schedules.calls).toEqual([]);
      expect(store.states.size).toBe(0);
    });

    it('follows a workflow through schedule, pause, webhook, event and back to manual, touching only what changed', async () => {
      const schedule = { type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin' } as const;
      let wf = save(workflow(schedule));
      await service.sync(wf);
      expect(schedules.calls).toEqual([['put', { accountId: ACCOUNT, workflowId: wf.id, cron: '0 9 * * *', timezone: 'Europe/Berlin', enabled: true }]]);
      await service.sync({ ...wf, name: 'renamed' });
      expect(schedules.calls).toHaveLength(1);

      wf = save({ ...wf, status: 'paused' });
      await service.sync(wf);
      expect(schedules.calls.at(-1)).toEqual(['put', expect.objectContaining({ enabled: false })]);
      wf = save({ ...wf, status: 'active', trigger: { ...schedule, cron: '30 9 * * *' } });
      await service.sync(wf);
      expect(schedules.calls.at(-1)).toEqual(['put', expect.objectContaining({ cron: '30 9 * * *', enabled: true })]);

      wf = save({ ...wf, trigger: { type: 'webhook' } });
      const { webhookToken } = await service.sync(wf);
      expect(schedules.calls.at(-1)).toEqual(['remove', wf.id]);
      expect(webhookToken).toMatch(/^wht_[A-Za-z0-9_-]{43}$/);
      expect(store.hooks.get(wf.id)).toMatchObject({ accountId: ACCOUNT, tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(JSON.stringify([...store.hooks.values()])).not.toContain(webhookToken!.slice(4));
      expect(await service.sync({ ...wf, status: 'paused' })).toEqual({});

      wf = save({ ...wf, trigger: { type: 'event', events: ['task.created'] } });
      await service.sync(wf);
      expect(store.hooks.has(wf.id)).toBe(false);
      expect(await store.subscribers(ACCOUNT, 'task.created')).toEqual([{ accountId: ACCOUNT, workflowId: wf.id, event: 'task.created' }]);

      wf = save({ ...wf, trigger: { type: 'manual' } });
      await service.sync(wf);
      expect(store.states.size).toBe(0);
      expect(schedules.live.size).toBe(0);
    });

    it('removes everything with the workflow', async () => {
      const scheduled = save(workflow({ type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' }));
      const hooked = save(workflow({ type: 'webhook' }));
      await service.sync(scheduled);
      await service.sync(hooked);
      await service.remove(ACCOUNT, scheduled.id);
      await service.remove(ACCOUNT, hooked.id);
      expect(schedules.calls.at(-1)).toEqual(['remove', scheduled.id]);
      expect(store.states.size).toBe(0);
      expect(store.hooks.size).toBe(0);
    });
  });

  describe('webhooks', () => {
    let wf: Workflow;
    let token: string;
    beforeEach(async () => {
      wf = save(workflow({ type: 'webhook' }));
      token = (await service.sync(wf)).webhookToken!;
    });

    it('starts a run with the body as input and trigger webhook; an Idempotency-Key replays it', async () => {
      const run = await service.fireWebhook(wf.id, token, { order: 42 }, 'delivery-1');
      expect(run).toMatchObject({ workflowId: wf.id, accountId: ACCOUNT, trigger: 'webhook', input: { order: 42 }, status: 'running', createdBy: null });
      expect((await service.fireWebhook(wf.id, token, { order: 42 }, 'delivery-1')).id).toBe(run.id);
      expect(engine.started).toHaveLength(1);
    });

    it('answers the same 404 for a wrong, malformed, other workflow’s or rotated-out token', async () => {
      const other = save(workflow({ type: 'webhook' }));
      const otherToken = (await service.sync(other)).webhookToken!;
      const wrong = `wht_${'A'.repeat(43)}`;
      for (const [id, t] of [
        [wf.id, wrong],
        [wf.id, 'not-a-token'],
        [wf.id, otherToken],
        ['wf_nope', token],
        [newId('workflow'), token],
      ] as const) {
        expect(await failure(service.fireWebhook(id, t, {})), `${id} ${t}`).toMatchObject({ code: 'not_found', message: "Webhook was not found" });
      }
      const rotated = await service.rotateWebhookToken(principal({ accountId: ACCOUNT }), wf.id);
      expect(rotated.token).not.toBe(token);
      expect(await failure(service.fireWebhook(wf.id, token, {}))).toMatchObject({ code: 'not_found' });
      expect((await service.fireWebhook(wf.id, rotated.token, {})).trigger).toBe('webhook');
    });

    it('stops answering once the trigger is no longer a webhook, and refuses runs of a paused workflow (409)', async () => {
      save({ ...wf, status: 'paused' });
      expect(await failure(service.fireWebhook(wf.id, token, {}))).toMatchObject({ code: 'conflict', field: 'status' });
      const manual = save({ ...wf, status: 'active', trigger: { type: 'manual' } });
      await service.sync(manual);
      expect(await failure(service.fireWebhook(wf.id, token, {}))).toMatchObject({ code: 'not_found' });
    });

    it('rotates only webhook workflows of the caller’s account', async () => {
      expect(await failure(service.rotateWebhookToken(principal({ accountId: OTHER }), wf.id))).toMatchObject({ code: 'not_found' });
      const manual = save(workflow(undefined));
      expect(await failure(service.rotateWebhookToken(principal({ accountId: ACCOUNT }), manual.id))).toMatchObject({ code: 'conflict', field: 'trigger' });
    });
  });

  describe('schedules', () => {
    it('starts one run per slot, whatever the number of deliveries', async () => {
      const wf = save(workflow({ type: 'schedule', cron: '* * * * *', timezone: 'UTC' }));
      const first = await service.fireSchedule({ accountId: ACCOUNT, workflowId: wf.id, scheduledTime: '2026-03-01T10:01:00Z' });
      expect(first).toMatchObject({ trigger: 'schedule', input: { trigger: { type: 'schedule', scheduled_time: '2026-03-01T10:01:00.000Z' } } });
      const again = await service.fireSchedule({ accountId: ACCOUNT, workflowId: wf.id, scheduledTime: '2026-03-01T10:01:00.000Z' });
      expect(again!.id).toBe(first!.id);
      const next = await service.fireSchedule({ accountId: ACCOUNT, workflowId: wf.id, scheduledTime: '2026-03-01T10:02:00Z' });
      expect(next!.id).not.toBe(first!.id);
      expect(engine.started).toHaveLength(2);
    });

    it('skips paused workflows and ones no longer on a schedule; a schedule whose workflow is gone removes itself', async () => {
      const paused = save(workflow({ type: 'schedule', cron: '* * * * *', timezone: 'UTC' }, { status: 'paused' }));
      const manual = save(workflow({ type: 'manual' }));
      for (const wf of [paused, manual]) expect(await service.fireSchedule({ accountId: ACCOUNT, workflowId: wf.id, scheduledTime: '2026-03-01T10:01:00Z' })).toBeUndefined();
      const gone = newId('workflow');
      expect(await service.fireSchedule({ accountId: ACCOUNT, workflowId: gone, scheduledTime: '2026-03-01T10:01:00Z' })).toBeUndefined();
      // No workflow and no trigger record: nothing says it is not scheduled, so the schedule is removed.
      expect(schedules.calls).toEqual([['remove', gone]]);
      const orphan = save(workflow({ type: 'schedule', cron: '* * * * *', timezone: 'UTC' }));
      await service.sync(orphan);
      workflows.items.delete(orphan.id);
      await service.fireSchedule({ accountId: ACCOUNT, workflowId: orphan.id, scheduledTime: '2026-03-01T10:01:00Z' });
      expect(schedules.calls.at(-1)).toEqual(['remove', orphan.id]);
      expect(store.states.size).toBe(0);
      expect(engine.started).toHaveLength(0);
    });

    it('a schedule outliving its deleted account removes itself though the trigger record went with the partition', async () => {
      const wf = save(workflow({ type: 'schedule', cron: '*/5 * * * *', timezone: 'UTC' }));
      await service.sync(wf);
      expect(schedules.live.has(wf.id)).toBe(true);
      // Account deletion removes every item of the tenant's partition: the workflow and its trigger state.
      workflows.items.delete(wf.id);
      store.states.clear();
      schedules.calls = [];
      expect(await service.fireSchedule({ accountId: ACCOUNT, workflowId: wf.id, scheduledTime: '2026-03-01T10:05:00Z' })).toBeUndefined();
      expect(schedules.calls).toEqual([['remove', wf.id]]);
      expect(schedules.live.has(wf.id)).toBe(false);
      expect(engine.started).toHaveLength(0);
    });

    it('deleting a workflow whose record says it is not scheduled sends no schedule delete', async () => {
      const hooked = save(workflow({ type: 'webhook' }));
      await service.sync(hooked);
      schedules.calls = [];
      await service.remove(ACCOUNT, hooked.id);
      expect(schedules.calls).toEqual([]);
    });
  });

  describe('event triggers', () => {
    const event = (type: DomainEvent['event'], data: Record<string, unknown>, overrides: Partial<DomainEvent> = {}): DomainEvent => ({
      id: newId('event'),
      event: type,
      timestamp: '2026-03-01T10:00:00.000Z',
      account_id: ACCOUNT,
      data,
      ...overrides,
    });

    it('events of one type dispatched together share one lookup of its listeners; each still starts its own run', async () => {
      const listener = save(workflow({ type: 'event', events: ['workflow.failed', 'workflow.completed'] }));
      await service.sync(listener);
      const lookups: string[] = [];
      const subscribers = store.subscribers.bind(store);
      store.subscribers = async (accountId, type) => (lookups.push(type), subscribers(accountId, type));
      const events = [event('workflow.failed', { status: 'failed' }), event('workflow.failed', { status: 'failed' }), event('workflow.completed', { status: 'completed' })];
      const runs = await Promise.all(events.map((e) => service.dispatch(e)));
      expect(runs.map((r) => r.length)).toEqual([1, 1, 1]);
      expect(lookups.toSorted()).toEqual(['workflow.completed', 'workflow.failed']);
      expect(engine.started).toHaveLength(3);
    });

    it('starts each matching listener once per event, with the event as input and depth 1', async () => {
      const onFailure = save(workflow({ type: 'event', events: ['workflow.failed'], filter: { 'data.status': 'failed' } }));
      const onTimeout = save(workflow({ type: 'event', events: ['workflow.failed'], filter: { 'data.status': 'timed_out' } }));
      for (const wf of [onFailure, onTimeout]) await service.sync(wf);
      const failed = event('workflow.failed', { workflow_id: newId('workflow'), status: 'failed' });
      const runs = await service.dispatch(failed);
      expect(runs.map((r) => r.workflowId)).toEqual([onFailure.id]);
      expect(runs[0]).toMatchObject({ trigger: 'event', input: { id: failed.id, event: 'workflow.failed', data: { status: 'failed' }, trigger: { type: 'event', event_id: failed.id, depth: 1 } } });
      // At-least-once delivery: the same event again starts nothing new.
      expect((await service.dispatch(failed)).map((r) => r.id)).toEqual([runs[0]!.id]);
      expect(engine.started).toHaveLength(1);
    });

    it('never starts a workflow from its own events', async () => {
      const self = save(workflow({ type: 'event', events: ['workflow.completed'] }));
      await service.sync(self);
      expect(await service.dispatch(event('workflow.completed', { workflow_id: self.id, status: 'completed' }))).toEqual([]);
    });

    it('bounds chains of event-triggered runs at the maximum depth', async () => {
      const listener = save(workflow({ type: 'event', events: ['workflow.completed'] }));
      await service.sync(listener);
      const upstream = newId('workflow');
      const parentAt = (depth: number) => {
        const parent = executionAt(ACCOUNT, upstream, Date.parse('2026-03-01T09:00:00Z'), { trigger: 'event', input: { trigger: { type: 'event', depth } } });
        executions.executions.set(parent.id, parent);
        return event('workflow.completed', { workflow_id: upstream, execution_id: parent.id, status: 'completed' });
      };
      const allowed = await service.dispatch(parentAt(MAX_TRIGGER_DEPTH - 1));
      expect(allowed[0]!.input).toMatchObject({ trigger: { depth: MAX_TRIGGER_DEPTH } });
      expect(await service.dispatch(parentAt(MAX_TRIGGER_DEPTH))).toEqual([]);
    });

    it('ignores other accounts’ listeners, paused listeners and unknown event types', async () => {
      const paused = save(workflow({ type: 'event', events: ['task.created'] }, { status: 'paused' }));
      const elsewhere = save(workflow({ type: 'event', events: ['task.created'] }, { accountId: OTHER }));
      for (const wf of [paused, elsewhere]) await service.sync(wf);
      expect(await service.dispatch(event('task.created', { task_id: 'task_1' }))).toEqual([]);
      expect(await service.dispatch(event('execution.log' as DomainEvent['event'], {}))).toEqual([]);
      expect(engine.started).toHaveLength(0);
    });
  });

  it('lists processes with their trigger and last run', async () => {
    const wf = save(workflow({ type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' }));
    const page = await service.processes(principal({ accountId: ACCOUNT }), { limit: 20, offset: 0, cursor: undefined });
    expect(page.items).toEqual([{ workflow: wf, stats: expect.objectContaining({ lastRunAt: '2026-02-01T09:00:00.000Z' }) }]);
  });
});
