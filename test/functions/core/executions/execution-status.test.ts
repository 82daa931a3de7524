import { beforeEach, describe, expect, it } from 'vitest';
import { ExecutionStatusService, lambdaMessage, type StatusChangeDetail } from '../../../../functions/core/executions/execution-status.ts';
import { executionName, type Execution, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { ExecutionTransitions } from '../../../../functions/core/executions/transitions.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { fixedClock } from '../../../support/fakes.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';
import { MemoryExecutions } from '../../../support/memory-executions.ts';

const accountId = newId('account');
const workflowId = newId('workflow');
const START = Date.parse('2026-03-01T10:00:00.000Z');

const execution = (overrides: Partial<Execution> = {}): Execution => executionAt(accountId, workflowId, START, { sinks: ['b'], ...overrides });

const task = (exec: Execution, nodeId: string, overrides: Partial<RunTask> = {}): RunTask => runTaskOf(exec, nodeId, overrides);

describe('ExecutionStatusService', () => {
  let repo: MemoryExecutions;
  let service: ExecutionStatusService;
  let exec: Execution;
  let observed: string[];

  const event = (status: StatusChangeDetail['status'], extra: Partial<StatusChangeDetail> = {}): StatusChangeDetail => ({
    executionArn: exec.executionArn,
    name: executionName(exec.id, accountId),
    status,
    startDate: START,
    stopDate: status === 'RUNNING' ? null : START + 2_500,
    redriveCount: 0,
    ...extra,
  });

  beforeEach(async () => {
    repo = new MemoryExecutions();
    observed = [];
    const clock = fixedClock('2026-03-01T10:00:05.000Z');
    service = new ExecutionStatusService(repo, new ExecutionTransitions(repo, clock, [{ executionChanged: async (p, n) => void observed.push(`${p.status}>${n.status}`) }]), clock);
    exec = execution();
    await repo.create(exec, [
      task(exec, 'a', { status: 'completed', result: { rows: 3 }, records: { processed: 10, failed: 1 } }),
      task(exec, 'b', { dependencies: ['a'], status: 'completed', result: { ok: true }, records: { processed: 5, failed: 0 } }),
    ]);
  });

  it('applies RUNNING then SUCCEEDED: timestamps, duration, the sinks’ output as result, record totals', async () => {
    expect(await service.apply(event('RUNNING'))).toBe('applied');
    expect(await service.apply(event('SUCCEEDED'))).toBe('applied');
    expect(repo.executions.get(exec.id)).toMatchObject({
      status: 'completed',
      startedAt: '2026-03-01T10:00:00.000Z',
      completedAt: '2026-03-01T10:00:02.500Z',
      durationMs: 2_500,
      result: { ok: true },
      error: null,
      records: { processed: 15, failed: 1 },
    });
    expect(observed).toEqual(['pending>running', 'running>completed']);
    expect(repo.logLines.map((l) => l.message)).toEqual(['Execution started', 'Execution completed']);
  });

  it('is idempotent and tolerates out-of-order delivery: duplicates and late RUNNING events change nothing', async () => {
    await service.apply(event('SUCCEEDED'));
    expect(await service.apply(event('SUCCEEDED'))).toBe('ignored');
    expect(await service.apply(event('RUNNING'))).toBe('ignored');
    expect(await service.apply(event('FAILED', { error: 'x' }))).toBe('ignored');
    expect(repo.executions.get(exec.id)!.status).toBe('completed');
    expect(observed).toEqual(['pending>completed']);
    expect(repo.transitions).toHaveLength(1);
  });

  it('names the failed node from the Fail state’s cause, unwrapping the Lambda error message', async () => {
    const cause = JSON.stringify({ failed_node: 'b', node_type: 'http.request', error: 'Stepwise.Retryable', cause: JSON.stringify({ errorType: 'Stepwise.Retryable', errorMessage: 'HTTP request failed with status 500' }) });
    await service.apply(event('FAILED', { error: 'Stepwise.Retryable', cause }));
    expect(repo.executions.get(exec.id)).toMatchObject({ status: 'failed', failedNode: 'b', error: "Node 'b' (http.request) failed: HTTP request failed with status 500", result: null });
  });

  it('orders by redrive count: an old attempt’s events never overwrite the redriven run', async () => {
    await service.apply(event('FAILED', { error: 'States.TaskFailed', cause: 'boom' }));
    const failed = repo.executions.get(exec.id)!;
    await repo.transition(failed, { status: 'running', redriveCount: 1, completedAt: null, error: null });
    expect(await service.apply(event('FAILED', { redriveCount: 0 }))).toBe('ignored');
    expect(await service.apply(event('RUNNING', { redriveCount: 1 }))).toBe('ignored');
    expect(await service.apply(event('SUCCEEDED', { redriveCount: 1 }))).toBe('applied');
    expect(repo.executions.get(exec.id)).toMatchObject({ status: 'completed', redriveCount: 1 });
  });

  it('maps TIMED_OUT and ABORTED, and ends running tasks: the failed node failed, others cancelled', async () => {
    const second = execution();
    await repo.create(second, [task(second, 'a', { status: 'running' }), task(second, 'b', { status: 'retrying', error: 'HTTP request failed with status 503' })]);
    exec = second;
    const cause = JSON.stringify({ failed_node: 'b', node_type: 'http.request', error: 'Stepwise.Retryable', cause: 'HTTP request failed with status 503' });
    await service.apply(event('FAILED', { cause }));
    const statuses = Object.fromEntries((await repo.tasks(accountId, second.id)).map((t) => [t.nodeId, [t.status, t.error]]));
    expect(statuses).toEqual({ a: ['cancelled', 'Stopped because the execution ended'], b: ['failed', 'HTTP request failed with status 503'] });

    const third = execution();
    await repo.create(third, []);
    exec = third;
    await service.apply(event('TIMED_OUT'));
    expect(repo.executions.get(third.id)).toMatchObject({ status: 'timed_out', error: 'The execution timed out' });
    const fourth = execution();
    await repo.create(fourth, []);
    exec = fourth;
    await service.apply(event('ABORTED', { cause: 'Cancelled by usr_1' }));
    expect(repo.executions.get(fourth.id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by usr_1' });
  });

  it('an ABORTED run (stopped by the API or in the console) cancels its running and never-started nodes alike', async () => {
    const run = execution();
    await repo.create(run, [task(run, 'a', { status: 'completed' }), task(run, 'b', { status: 'running', dependencies: ['a'] }), task(run, 'c', { dependencies: ['b'] })]);
    exec = run;
    await service.apply(event('ABORTED', { cause: 'Cancelled by usr_1' }));
    const statuses = Object.fromEntries((await repo.tasks(accountId, run.id)).map((t) => [t.nodeId, t.status]));
    expect(statuses).toEqual({ a: 'completed', b: 'cancelled', c: 'cancelled' });
  });

  it('a failed run leaves never-started nodes pending, so a redrive runs them', async () => {
    const run = execution();
    await repo.create(run, [task(run, 'a', { status: 'failed' }), task(run, 'b', { dependencies: ['a'] })]);
    exec = run;
    await service.apply(event('FAILED', { cause: JSON.stringify({ failed_node: 'a', node_type: 'http.request', error: 'Stepwise.Failed', cause: 'boom' }) }));
    expect((await repo.tasks(accountId, run.id)).map((t) => [t.nodeId, t.status])).toEqual([['a', 'failed'], ['b', 'pending']]);
    // Still pending, but marked: a late runner call for it refuses at its first write.
    expect(Object.fromEntries((await repo.tasks(accountId, run.id)).map((t) => [t.nodeId, repo.halted.get(t.id) ?? null]))).toEqual({ a: null, b: 'failed' });
  });

  it('after success, settles nodes the runner never saw: native states that ran are completed, untaken branches skipped', async () => {
    const run = execution({ sinks: ['merge'] });
    await repo.create(run, [
      task(run, 'route', { type: 'choice', status: 'completed' }),
      task(run, 'yes', { dependencies: ['route'], status: 'completed' }),
      task(run, 'no', { dependencies: ['route'] }),
      task(run, 'no_after', { dependencies: ['no'], type: 'pass', runnerTask: false }),
      task(run, 'merge', { dependencies: ['yes', 'no_after'], type: 'pass', runnerTask: false }),
      task(run, 'fanout', { dependencies: ['merge'], type: 'parallel', runnerTask: false }),
      task(run, 'inside', { parent: 'fanout', type: 'wait', runnerTask: false }),
    ]);
    exec = run;
    await service.apply(event('SUCCEEDED'));
    const statuses = Object.fromEntries((await repo.tasks(accountId, run.id)).map((t) => [t.nodeId, t.status]));
    expect(statuses).toEqual({ route: 'completed', yes: 'completed', no: 'skipped', no_after: 'skipped', merge: 'completed', fanout: 'completed', inside: 'completed' });
  });

  it('ignores events of other machines and unknown executions', async () => {
    expect(await service.apply({ executionArn: 'arn:aws:states:us-east-1:1:execution:other:run-1', status: 'RUNNING' })).toBe('ignored');
    expect(await service.apply({ ...event('RUNNING'), name: executionName(newId('execution'), accountId) })).toBe('unknown_execution');
    expect(await service.apply({ ...event('RUNNING'), status: 'PENDING_REDRIVE' })).toBe('ignored');
  });
});

describe('lambdaMessage', () => {
  it('reads errorMessage from a Lambda error cause and leaves plain text alone', () => {
    expect(lambdaMessage('{"errorType":"X","errorMessage":"nope","trace":[]}')).toBe('nope');
    expect(lambdaMessage('plain words')).toBe('plain words');
    expect(lambdaMessage('{not json')).toBe('{not json');
  });
});
