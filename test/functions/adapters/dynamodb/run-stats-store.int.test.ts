import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoRunStatsStore } from '../../../../functions/adapters/dynamodb/run-stats-store.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import type { Execution } from '../../../../functions/core/executions/execution.ts';
import { metricsOf } from '../../../../functions/core/executions/run-stats.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { executionAt, finishedAt } from '../../../support/execution-fixtures.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** Workflow run statistics (GET /workflows/{id} `metrics`, `last_run`) against DynamoDB Local, to the exact number. */
describe('DynamoRunStatsStore (DynamoDB Local)', () => {
  const tableName = `run-stats-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const store = new DynamoRunStatsStore(db, tableName);

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  /** Applies changes as ExecutionTransitions would: previous → next, once each. */
  const move = async (previous: Execution, next: Execution) => {
    await store.executionChanged(previous, next);
    return next;
  };
  const run = async (A: string, W: string, at: number, outcome: 'completed' | 'failed' | 'cancelled' | 'timed_out', durationMs: number) => {
    const pending = executionAt(A, W, at);
    const running = await move(pending, { ...pending, status: 'running', startedAt: new Date(at).toISOString() });
    return move(running, finishedAt(running, outcome, at, durationMs));
  };

  it('counts runs, outcomes and the average completed duration exactly; last_run follows the newest run', async () => {
    const A = newId('account');
    const W = newId('workflow');
    await run(A, W, T0, 'completed', 1_000);
    await run(A, W, T0 + 10, 'completed', 2_000);
    await run(A, W, T0 + 20, 'failed', 500);
    await run(A, W, T0 + 30, 'cancelled', 100);
    const last = await run(A, W, T0 + 40, 'completed', 6_000);

    const stats = (await store.get(A, [W])).get(W)!;
    expect(stats).toEqual({
      workflowId: W,
      lastRunAt: new Date(T0 + 40).toISOString(),
      lastExecutionId: last.id,
      lastStatus: 'completed',
      totalRuns: 5,
      completed: 3,
      failed: 1,
      cancelled: 1,
      timedOut: 0,
      completedDurationMs: 9_000,
      lastError: 'failed!',
    });
    expect(metricsOf(stats)).toEqual({ total_runs: 5, success_rate: 60, avg_duration_ms: 3_000, last_error: 'failed!' });
  });

  it('a redriven run counts once, by its latest outcome', async () => {
    const A = newId('account');
    const W = newId('workflow');
    await run(A, W, T0, 'completed', 1_000);
    const failed = await run(A, W, T0 + 10, 'failed', 500);
    const redriven = await move(failed, { ...failed, status: 'running', redriveCount: 1, completedAt: null, durationMs: null, error: null });
    await move(redriven, { ...redriven, status: 'completed', completedAt: new Date(T0 + 5_010).toISOString(), durationMs: 5_000 });
    const stats = (await store.get(A, [W])).get(W)!;
    expect(metricsOf(stats)).toEqual({ total_runs: 2, success_rate: 100, avg_duration_ms: 3_000, last_error: 'failed!' });
    expect(stats).toMatchObject({ completed: 2, failed: 0, lastStatus: 'completed' });
  });

  it('a run counts even when its terminal event is applied before (instead of) RUNNING, or it never started', async () => {
    const A = newId('account');
    const W = newId('workflow');
    const pending = executionAt(A, W, T0);
    await move(pending, finishedAt(pending, 'completed', T0, 700));
    const refused = executionAt(A, W, T0 + 10);
    await move(refused, { ...refused, status: 'failed', completedAt: new Date(T0 + 10).toISOString(), durationMs: 0, error: 'Could not start: throttled' });
    expect(metricsOf((await store.get(A, [W])).get(W)!)).toEqual({ total_runs: 2, success_rate: 50, avg_duration_ms: 700, last_error: 'Could not start: throttled' });
  });

  it('an older run’s late change never replaces the newer last run; an unknown workflow reads as empty', async () => {
    const A = newId('account');
    const W = newId('workflow');
    const older = executionAt(A, W, T0);
    const olderRunning = await move(older, { ...older, status: 'running', startedAt: new Date(T0).toISOString() });
    const newer = await run(A, W, T0 + 1_000, 'completed', 10);
    await move(olderRunning, finishedAt(olderRunning, 'failed', T0, 5_000));
    const stats = await store.get(A, [W, newId('workflow')]);
    expect(stats.get(W)).toMatchObject({ lastExecutionId: newer.id, lastStatus: 'completed', totalRuns: 2, completed: 1, failed: 1 });
    expect([...stats.values()][1]).toMatchObject({ totalRuns: 0, lastRunAt: null });
  });

  it('keeps the newest failure’s error: an older run failing late does not replace it', async () => {
    const A = newId('account');
    const W = newId('workflow');
    const older = executionAt(A, W, T0);
    const olderRunning = await move(older, { ...older, status: 'running', startedAt: new Date(T0).toISOString() });
    const newer = await run(A, W, T0 + 1_000, 'failed', 200);
    await move(olderRunning, { ...finishedAt(olderRunning, 'failed', T0, 300), error: 'the older failure' });
    const stats = (await store.get(A, [W])).get(W)!;
    expect(stats).toMatchObject({ failed: 2, lastExecutionId: newer.id, lastError: newer.error });
    expect(newer.error).not.toBe('the older failure');
  });
});
