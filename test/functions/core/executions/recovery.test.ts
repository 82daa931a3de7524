import { describe, expect, it } from 'vitest';
import { executionName } from '../../../../functions/core/executions/execution.ts';
import { INTERRUPTED_ERROR, RunRecovery } from '../../../../functions/core/executions/recovery.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { parseFailureCause } from '../../../../statemachines/task-runner-contract.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';
import { fixedClock } from '../../../support/fakes.ts';
import { MemoryExecutions } from '../../../support/memory-executions.ts';

const accountId = newId('account');
const workflowId = newId('workflow');

function setup(status: 'running' | 'completed' | 'cancelled', tasks: { nodeId: string; status: 'running' | 'completed' | 'pending' | 'retrying'; retryCount?: number; maxRetries?: number }[]) {
  const repo = new MemoryExecutions();
  const execution = executionAt(accountId, workflowId, Date.now(), { status, startedAt: new Date().toISOString() });
  repo.executions.set(execution.id, execution);
  for (const t of tasks) {
    const task = runTaskOf(execution, t.nodeId, { status: t.status, retryCount: t.retryCount ?? 0, maxRetries: t.maxRetries ?? 0, type: 'http.request' });
    repo.runTasks.set(task.id, task);
  }
  return { repo, recovery: new RunRecovery(repo, fixedClock()), name: executionName(execution.id, accountId), execution };
}

const taskOf = (repo: MemoryExecutions, nodeId: string) => [...repo.runTasks.values()].find((t) => t.nodeId === nodeId);

describe('RunRecovery (local mode, after a restart)', () => {
  it('resumes a run whose interrupted attempts have retries left, marking them retrying with a log line each', async () => {
    const { repo, recovery, name } = setup('running', [
      { nodeId: 'done', status: 'completed' },
      { nodeId: 'call', status: 'running', retryCount: 0, maxRetries: 2 },
      { nodeId: 'later', status: 'pending' },
    ]);
    expect(await recovery.plan(name)).toEqual({ action: 'resume' });
    expect(taskOf(repo, 'call')).toMatchObject({ status: 'retrying', error: 'Task attempt 1 was interrupted: the local server stopped while it ran' });
    expect(taskOf(repo, 'done')?.status).toBe('completed');
    expect(taskOf(repo, 'later')?.status).toBe('pending');
    expect(repo.logLines).toEqual([expect.objectContaining({ level: 'warn', nodeId: 'call', message: 'Task attempt 1 was interrupted: the local server stopped while it ran', data: { attempt: 1, reason: 'interrupted' } })]);
  });

  it('resumes a run with nothing in flight (a wait, a retry backoff) without touching its tasks', async () => {
    const { repo, recovery, name } = setup('running', [
      { nodeId: 'before', status: 'completed' },
      { nodeId: 'flaky', status: 'retrying', retryCount: 1, maxRetries: 3 },
    ]);
    expect(await recovery.plan(name)).toEqual({ action: 'resume' });
    expect(repo.logLines).toEqual([]);
    expect(taskOf(repo, 'flaky')?.status).toBe('retrying');
  });

  it('fails a run whose interrupted attempt was its last, naming the node, with a redrivable error', async () => {
    const { repo, recovery, name } = setup('running', [{ nodeId: 'call', status: 'running', retryCount: 2, maxRetries: 2 }]);
    const plan = await recovery.plan(name);
    expect(plan).toMatchObject({ action: 'fail', error: INTERRUPTED_ERROR });
    const message = 'Task attempt 3 was interrupted: the local server stopped while it ran, and the node has no retries left; retry the execution to run it again';
    expect(parseFailureCause(plan.action === 'fail' ? plan.cause : undefined)).toEqual({ failed_node: 'call', node_type: 'http.request', error: INTERRUPTED_ERROR, cause: message });
    expect(taskOf(repo, 'call')).toMatchObject({ status: 'failed', error: message });
  });

  it.each(['completed', 'cancelled'] as const)('leaves a run the store has %s alone', async (status) => {
    const { repo, recovery, name } = setup(status, [{ nodeId: 'call', status: 'running' }]);
    expect(await recovery.plan(name)).toEqual({ action: 'finished' });
    expect(taskOf(repo, 'call')?.status).toBe('running');
  });

  it('an execution the store does not know is finished', async () => {
    const { recovery } = setup('running', []);
    expect(await recovery.plan(executionName(newId('execution'), accountId))).toEqual({ action: 'finished' });
    expect(await recovery.plan('not-an-execution-name')).toEqual({ action: 'finished' });
  });
});
