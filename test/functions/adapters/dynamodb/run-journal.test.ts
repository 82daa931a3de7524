import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRunJournal } from '../../../../functions/adapters/dynamodb/run-journal.ts';
import type { NodeRef } from '../../../../functions/core/runner/journal.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const journal = new DynamoRunJournal(db, 'tbl');
const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ref: NodeRef = { accountId: A, executionId: 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAV', nodeId: 'call', taskId: 'rtask_1' };
const AT = '2026-05-01T09:00:00.000Z';
const outcome = { result: { ok: true }, resultTruncated: false, response: { node_id: 'call', status: 'completed' as const, output_bytes: 11 }, records: null, at: AT };

const isCounters = (input: UpdateCommandInput) => input.Key?.sk === 'COUNTERS';
/** The ADDs of every counter update sent, summed by attribute. */
function counterMoves(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const call of ddb.commandCalls(UpdateCommand)) {
    const input = call.args[0].input;
    if (!isCounters(input)) continue;
    for (const [placeholder, attr] of Object.entries(input.ExpressionAttributeNames ?? {})) {
      const delta = Number(input.ExpressionAttributeValues?.[placeholder.replace('#', ':')]);
      out[attr] = (out[attr] ?? 0) + delta;
    }
  }
  return Object.fromEntries(Object.entries(out).filter(([, d]) => d !== 0));
}

describe('DynamoRunJournal: the end of an attempt outside a map', () => {
  beforeEach(() => ddb.reset());

  it('sends the outcome (held only while the node is still running) and the counter move together, not one after the other', async () => {
    const sent: string[] = [];
    let releaseOutcome!: () => void;
    const outcomeHeld = new Promise<void>((resolve) => (releaseOutcome = resolve));
    ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
      sent.push(isCounters(input) ? 'counters' : 'outcome');
      // The outcome write answers only once the counter move has been sent: sequential calls would deadlock here.
      if (!isCounters(input)) await outcomeHeld;
      else releaseOutcome();
      return {};
    });
    await journal.complete(ref, outcome);
    expect(sent.toSorted()).toEqual(['counters', 'outcome']);
    const write = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input).find((i) => !isCounters(i))!;
    expect(write).toMatchObject({ ConditionExpression: '#from = :from', ReturnValues: 'NONE' });
    expect(write.ExpressionAttributeValues).toMatchObject({ ':from': 'running' });
    expect(counterMoves()).toEqual({ run_tasks_status_running: -1, run_tasks_status_completed: 1, workers_active: -1 });
  });

  it('a node whose run was stopped meanwhile: the move sent is taken back and the real one (cancelled → completed) is made', async () => {
    ddb
      .on(UpdateCommand)
      .callsFake(async (input: UpdateCommandInput) => {
        if (isCounters(input)) return {};
        if (input.ConditionExpression) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        return { Attributes: { status: 'cancelled', halted: 'cancelled' } };
      });
    await journal.complete(ref, outcome);
    // Net: the task leaves `cancelled` for `completed`; the worker was already counted off when the run was stopped.
    expect(counterMoves()).toEqual({ run_tasks_status_cancelled: -1, run_tasks_status_completed: 1 });
  });

  it('a failure that will be retried moves running → retrying in the same single round trip', async () => {
    ddb.on(UpdateCommand).resolves({});
    await journal.fail(ref, { error: 'boom', status: 'retrying', at: AT });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(2);
    expect(counterMoves()).toEqual({ run_tasks_status_running: -1, run_tasks_status_retrying: 1, workers_active: -1, workers_idle: 1 });
  });

  it('an outcome write that fails takes its counter move back and fails, so the runner can record the failure instead', async () => {
    ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
      if (isCounters(input)) return {};
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    });
    await expect(journal.complete(ref, outcome)).rejects.toThrow('throttled');
    expect(counterMoves()).toEqual({});
  });

  it('begin answers once the attempt record is written; its counter move is handed back to await', async () => {
    let moved = false;
    let releaseCounters!: () => void;
    const countersHeld = new Promise<void>((resolve) => (releaseCounters = resolve));
    ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
      if (!isCounters(input)) return { Attributes: { status: 'pending', attempts: 0, max_retries: 1 } };
      await countersHeld;
      moved = true;
      return {};
    });
    const begin = await journal.begin(ref, AT);
    expect(begin).toMatchObject({ state: 'run', attempt: 1, maxRetries: 1 });
    expect(moved).toBe(false);
    releaseCounters();
    await (begin.state === 'run' ? begin.recorded : undefined);
    expect(moved).toBe(true);
    expect(counterMoves()).toEqual({ run_tasks_status_pending: -1, run_tasks_status_running: 1, workers_active: 1 });
  });
});
