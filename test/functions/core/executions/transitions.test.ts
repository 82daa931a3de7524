import { describe, expect, it } from 'vitest';
import { ExecutionTransitions } from '../../../../functions/core/executions/transitions.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { executionAt } from '../../../support/execution-fixtures.ts';
import { fixedClock } from '../../../support/fakes.ts';
import { MemoryExecutions } from '../../../support/memory-executions.ts';

describe('ExecutionTransitions', () => {
  it('stamps the status line before the write, so what the run logs once it sees the status sorts after it', async () => {
    const clock = fixedClock();
    const repo = new MemoryExecutions();
    const execution = executionAt(newId('account'), newId('workflow'), clock.now().getTime(), { status: 'pending' });
    repo.executions.set(execution.id, execution);
    const write = repo.transition.bind(repo);
    // The write takes 50 ms; a runner that sees `running` right after it logs at +50 ms.
    repo.transition = async (previous, next) => {
      const ok = await write(previous, next);
      clock.advance(50);
      return ok;
    };
    const moved = await new ExecutionTransitions(repo, clock).move(execution, { status: 'running', redriveCount: 0, startedAt: clock.now().toISOString() });
    expect(moved?.status).toBe('running');
    expect(repo.logLines).toHaveLength(1);
    expect(repo.logLines[0]).toMatchObject({ message: 'Execution started', timestamp: '2026-01-01T00:00:00.000Z' });
  });

  it('a move that loses the race logs nothing', async () => {
    const clock = fixedClock();
    const repo = new MemoryExecutions();
    const execution = executionAt(newId('account'), newId('workflow'), clock.now().getTime(), { status: 'running' });
    repo.executions.set(execution.id, execution);
    expect(await new ExecutionTransitions(repo, clock).move({ ...execution, status: 'pending' }, { status: 'running', redriveCount: 0 })).toBeUndefined();
    expect(repo.logLines).toEqual([]);
  });
});
