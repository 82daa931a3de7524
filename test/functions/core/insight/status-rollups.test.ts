import { describe, expect, it } from 'vitest';
import { ExecutionService } from '../../../../functions/core/executions/execution-service.ts';
import { ExecutionStatusService, type StatusChangeDetail } from '../../../../functions/core/executions/execution-status.ts';
import { executionName, runTaskId, type Execution, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { ExecutionTransitions } from '../../../../functions/core/executions/transitions.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { EMPTY_COUNTS, ExecutionRollupObserver } from '../../../../functions/core/insight/rollups.ts';
import { executionAt } from '../../../support/execution-fixtures.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../../support/fakes.ts';
import { FakeEngine, MemoryExecutions } from '../../../support/memory-executions.ts';
import { MemoryRollups } from '../../../support/memory-rollups.ts';

const me = principal();
const W = newId('workflow');
const T = (iso: string) => Date.parse(iso);

/**
 * The status path end to end in memory: events (duplicated, stale, out of order) → the status
 * service → transitions → the rollup observer. Rollups must count each applied change once.
 */
describe('status events → rollups', () => {
  const setup = async (n: number) => {
    const repo = new MemoryExecutions();
    const rollups = new MemoryRollups();
    const clock = fixedClock('2026-03-01T10:30:00.000Z');
    const transitions = new ExecutionTransitions(repo, clock, [new ExecutionRollupObserver(rollups)]);
    const status = new ExecutionStatusService(repo, transitions, clock);
    const executions: Execution[] = [];
    for (let i = 0; i < n; i += 1) {
      const e = executionAt(me.accountId, W, T('2026-03-01T10:00:00Z') + i);
      const task: RunTask = {
        id: runTaskId(e.id, 'only'),
        accountId: e.accountId,
        executionId: e.id,
        workflowId: W,
        nodeId: 'only',
        name: 'only',
        type: 'transform',
        status: 'completed',
        payload: {},
        result: { n: i },
        resultTruncated: false,
        error: null,
        retryCount: 0,
        maxRetries: 0,
        priority: null,
        dependencies: [],
        parent: null,
        runnerTask: true,
        records: { processed: 10, failed: 0 },
        createdAt: e.createdAt,
        updatedAt: e.createdAt,
        startedAt: null,
        completedAt: null,
      };
      await repo.create({ ...e, sinks: ['only'] }, [task]);
      executions.push(e);
    }
    const event = (e: Execution, s: StatusChangeDetail['status'], stopIso?: string, redriveCount = 0): StatusChangeDetail => ({
      executionArn: e.executionArn,
      name: executionName(e.id, e.accountId),
      status: s,
      startDate: T('2026-03-01T10:00:00Z'),
      stopDate: stopIso ? T(stopIso) : null,
      redriveCount,
      ...(s === 'FAILED' ? { error: 'States.TaskFailed', cause: 'boom' } : {}),
    });
    return { repo, rollups, status, executions, event, transitions };
  };

  it('counts each execution once however often and in whatever order its events arrive', async () => {
    const { rollups, status, executions: [ok, bad, stopped], event } = await setup(3);
    const outcomes = [
      await status.apply(event(ok!, 'RUNNING')),
      await status.apply(event(ok!, 'RUNNING')),
      await status.apply(event(ok!, 'SUCCEEDED', '2026-03-01T10:00:02Z')),
      await status.apply(event(ok!, 'SUCCEEDED', '2026-03-01T10:00:02Z')),
      await status.apply(event(ok!, 'RUNNING')),
      // Out of order: the failure lands before RUNNING, then RUNNING and a duplicate failure.
      await status.apply(event(bad!, 'FAILED', '2026-03-01T10:06:00Z')),
      await status.apply(event(bad!, 'RUNNING')),
      await status.apply(event(bad!, 'FAILED', '2026-03-01T10:06:00Z')),
      await status.apply(event(stopped!, 'RUNNING')),
      await status.apply(event(stopped!, 'ABORTED', '2026-03-01T10:07:00Z')),
      await status.apply(event(stopped!, 'ABORTED', '2026-03-01T10:07:00Z')),
      await status.apply(event(stopped!, 'SUCCEEDED', '2026-03-01T10:08:00Z')),
    ];
    expect(outcomes).toEqual(['applied', 'ignored', 'applied', 'ignored', 'ignored', 'applied', 'ignored', 'ignored', 'applied', 'applied', 'ignored', 'ignored']);

    expect(rollups.get(me.accountId, W, '5m', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, completedDurationMs: 2_000, recordsProcessed: 10 });
    expect(rollups.get(me.accountId, W, '5m', '2026-03-01T10:05:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 2, failed: 1, cancelled: 1, errors: 1, recordsProcessed: 20 });
    expect(rollups.get(me.accountId, W, '1h', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 3, completed: 1, failed: 1, cancelled: 1, errors: 1, completedDurationMs: 2_000, recordsProcessed: 30 });
    // Three terminal changes, three buckets each; nothing for RUNNING or for ignored events.
    expect(rollups.writes).toHaveLength(9);
  });

  it('a redrive (the retry API, then the redriven attempt’s events) moves the count from failed to completed; stale events of the old attempt change nothing', async () => {
    const { repo, rollups, status, executions: [e], event, transitions } = await setup(1);
    const workflows = new MemoryWorkflows();
    const service = new ExecutionService(repo, workflows, new FakeEngine(), transitions, fixedClock('2026-03-01T11:00:00.000Z'));
    await status.apply(event(e!, 'RUNNING'));
    await status.apply(event(e!, 'FAILED', '2026-03-01T10:01:00Z'));
    await service.retry(me, e!.id);
    expect(await status.apply(event(e!, 'FAILED', '2026-03-01T10:01:00Z', 0))).toBe('ignored');
    expect(await status.apply(event(e!, 'RUNNING', undefined, 1))).toBe('ignored');
    expect(await status.apply(event(e!, 'SUCCEEDED', '2026-03-01T11:02:00Z', 1))).toBe('applied');
    expect(await status.apply(event(e!, 'SUCCEEDED', '2026-03-01T11:02:00Z', 1))).toBe('ignored');

    expect(rollups.get(me.accountId, W, '1h', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, errors: 1 });
    // 62 minutes from the first start; records summed over the run's tasks once.
    expect(rollups.get(me.accountId, W, '1h', '2026-03-01T11:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, completedDurationMs: 62 * 60_000, recordsProcessed: 10 });
    expect(rollups.get(me.accountId, W, '1d', '2026-03-01T00:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, completed: 1, errors: 1, completedDurationMs: 62 * 60_000, recordsProcessed: 10 });
  });

  it('a cancel through the API and the engine’s ABORTED event count one cancellation', async () => {
    const { repo, rollups, status, executions: [e], event, transitions } = await setup(1);
    const service = new ExecutionService(repo, new MemoryWorkflows(), new FakeEngine(), transitions, fixedClock('2026-03-01T10:03:00.000Z'));
    await status.apply(event(e!, 'RUNNING'));
    await service.cancel(me, e!.id);
    expect(await status.apply(event(e!, 'ABORTED', '2026-03-01T10:03:00Z'))).toBe('ignored');
    expect(rollups.get(me.accountId, W, '5m', '2026-03-01T10:00:00.000Z')).toEqual({ ...EMPTY_COUNTS, executions: 1, cancelled: 1, recordsProcessed: 0 });
  });
});
