import { describe, expect, it } from 'vitest';
import type { Execution } from '../../../functions/core/executions/execution.ts';
import { runStarted } from '../../../functions/executions/operations.ts';
import { RunStartedSchema } from '../../../functions/executions/schemas.ts';

const execution = (status: Execution['status']): Execution =>
  ({ id: 'exec_1', accountId: 'acct_1', workflowId: 'wf_1', version: 3, status, createdAt: '2026-12-04T10:00:00.000Z', startedAt: '2026-12-04T10:00:00.010Z' }) as Execution;

describe('runStarted (the 202 answer to a start)', () => {
  it('says running even when a quick run has already ended, or an Idempotency-Key replay finds it ended', () => {
    for (const status of ['running', 'completed', 'failed'] as const) {
      const answer = runStarted(execution(status));
      expect(answer).toMatchObject({ status: 202, headers: { Location: '/api/v1/executions/exec_1' } });
      expect(answer.body).toEqual({
        execution_id: 'exec_1',
        id: 'exec_1',
        workflow_id: 'wf_1',
        flow_id: 'wf_1',
        process_id: 'wf_1',
        version: 3,
        status: 'running',
        message: 'Execution started',
        created_at: '2026-12-04T10:00:00.000Z',
        started_at: '2026-12-04T10:00:00.010Z',
      });
      expect(RunStartedSchema.parse(answer.body)).toEqual(answer.body);
    }
  });

  it('a replay of a start that never reached the engine says failed, with no start time', () => {
    const never = { ...execution('failed'), startedAt: null };
    expect(runStarted(never).body).toMatchObject({ status: 'failed', started_at: null });
    expect(RunStartedSchema.parse(runStarted(never).body).status).toBe('failed');
  });
});
