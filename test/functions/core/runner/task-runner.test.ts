import { afterAll, describe, expect, it } from 'vitest';
import { JsonataWorkerPool } from '../../../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { executionName, type LogLine } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { BeginOutcome, NodeRef, RunJournal, StepState } from '../../../../functions/core/runner/journal.ts';
import type { HttpClient, HttpRequest } from '../../../../functions/core/runner/ports.ts';
import { MAX_STORED_RESULT_BYTES, TaskRunner } from '../../../../functions/core/runner/task-runner.ts';
import { RUNNER_CANCELLED } from '../../../../functions/core/runner/errors.ts';
import type { TaskRunnerRequest, TaskRunnerResponse } from '../../../../statemachines/task-runner-contract.ts';
import { fixedClock } from '../../../support/fakes.ts';

const accountId = newId('account');
const executionId = newId('execution');

class FakeJournal implements RunJournal {
  begins: NodeRef[] = [];
  completed: { ref: NodeRef; result: unknown; resultTruncated: boolean; response: TaskRunnerResponse }[] = [];
  failed: { ref: NodeRef; error: string; status: string }[] = [];
  lines: LogLine[] = [];
  next: BeginOutcome = { state: 'run', attempt: 1, maxRetries: 2 };
  steps = new Map<string, StepState>();

  /** Every journal call, in order: what one node costs the store. */
  calls: string[] = [];

  async begin(ref: NodeRef) {
    this.calls.push('begin');
    this.begins.push(ref);
    return this.next;
  }
  async complete(ref: NodeRef, outcome: { result: unknown; resultTruncated: boolean; response: TaskRunnerResponse }) {
    this.calls.push('complete');
    this.completed.push({ ref, ...outcome });
  }
  async fail(ref: NodeRef, failure: { error: string; status: string }) {
    this.calls.push('fail');
    this.failed.push({ ref, ...failure });
  }
  async step(_a: string, _e: string, nodeId: string) {
    this.calls.push('step');
    return this.steps.get(nodeId);
  }
  async appendLogs(_a: string, lines: readonly LogLine[]) {
    this.calls.push('appendLogs');
    this.lines.push(...lines);
  }
}

function httpAnswering(status: number, body: unknown): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(req) {
      requests.push(req);
      return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), truncated: false, url: req.url };
    },
  };
}

const request = (overrides: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest => ({
  node_id: 'fetch',
  node_type: 'http.request',
  action: 'execute',
  params: { url: 'https://api.example.com/users', method: 'GET' },
  account_id: accountId,
  workflow_id: newId('workflow'),
  execution_id: `arn:aws:states:us-east-1:1:execution:stepwise-dev-wf:${executionName(executionId, accountId)}`,
  input: {},
  retry_count: 0,
  ...overrides,
});

const expressions = new JsonataWorkerPool();
afterAll(() => expressions.close());

function runner(journal: FakeJournal, http: HttpClient, secrets: Record<string, string> = {}) {
  return new TaskRunner(
    journal,
    { resolve: async (account, key) => (account === accountId ? secrets[key] : undefined) },
    { http, lambda: { invoke: async () => ({}) }, expressions },
    fixedClock(),
  );
}

describe('TaskRunner', () => {
  it('runs the node, stores its full output, and answers the machine with a small response', async () => {
    const journal = new FakeJournal();
    const response = await runner(journal, httpAnswering(200, { users: [1, 2] })).run(request());
    expect(response).toMatchObject({ node_id: 'fetch', status: 'completed', output_bytes: expect.any(Number) });
    expect(journal.begins[0]).toMatchObject({ accountId, executionId, nodeId: 'fetch' });
    expect(journal.completed[0]!.result).toMatchObject({ status_code: 200, body: { users: [1, 2] } });
    expect(journal.lines.map((l) => l.message)).toEqual(['Task started', 'HTTP request', 'HTTP request successful', 'Task completed']);
    expect(journal.lines.every((l) => l.executionId === executionId && l.nodeId === 'fetch' && l.nodeType === 'http.request')).toBe(true);
  });

  it('replays the stored answer for a node that already completed in this execution (redrive, duplicate invocation)', async () => {
    const journal = new FakeJournal();
    journal.next = { state: 'done', response: { node_id: 'fetch', status: 'completed', output_bytes: 12 } };
    const http = httpAnswering(200, {});
    expect(await runner(journal, http).run(request())).toEqual({ node_id: 'fetch', status: 'completed', output_bytes: 12 });
    expect(http.requests).toEqual([]);
  });

  it('refuses to start work for an execution that is no longer running (Stepwise.Cancelled, never retried)', async () => {
    const journal = new FakeJournal();
    journal.next = { state: 'stopped', status: 'cancelled' };
    const http = httpAnswering(200, {});
    await expect(runner(journal, http).run(request())).rejects.toMatchObject({ name: 'Stepwise.Cancelled' });
    expect(http.requests).toEqual([]);
  });

  it('records a retryable failure as retrying while attempts remain, then as failed', async () => {
    const journal = new FakeJournal();
    journal.next = { state: 'run', attempt: 2, maxRetries: 2 };
    await expect(runner(journal, httpAnswering(503, {})).run(request())).rejects.toMatchObject({ name: 'Stepwise.Retryable', message: 'HTTP request failed with status 503' });
    journal.next = { state: 'run', attempt: 3, maxRetries: 2 };
    await expect(runner(journal, httpAnswering(503, {})).run(request())).rejects.toMatchObject({ name: 'Stepwise.Retryable' });
    expect(journal.failed.map((f) => f.status)).toEqual(['retrying', 'failed']);
    expect(journal.lines.filter((l) => l.message.startsWith('Task')).map((l) => [l.level, l.message])).toEqual([
      ['info', 'Task retrying (attempt 2 of 3)'],
      ['warn', 'Task failed, will retry: HTTP request failed with status 503'],
      ['info', 'Task retrying (attempt 3 of 3)'],
      ['error', 'Task failed: HTTP request failed with status 503'],
    ]);
  });

  it('says an attempt past the retry policy ran again after an interrupted one, not that it retries', async () => {
    const journal = new FakeJournal();
    journal.next = { state: 'run', attempt: 2, maxRetries: 0 };
    await runner(journal, httpAnswering(200, {})).run(request());
    expect(journal.lines.map((l) => l.message)).toContain('Task started again (attempt 2): the previous attempt was interrupted');
    expect(journal.lines.map((l) => l.message).join('\n')).not.toContain('of 1');
  });

  it('fails a 4xx at once as non-retryable, whatever attempts remain', async () => {
    const journal = new FakeJournal();
    await expect(runner(journal, httpAnswering(404, {})).run(request())).rejects.toMatchObject({ name: 'Stepwise.NonRetryable' });
    expect(journal.failed[0]).toMatchObject({ status: 'failed', error: 'HTTP request failed with status 404' });
  });

  it('masks the secret values a node used in its stored output, log lines and error', async () => {
    const secret = 'tok_abcdefghijklmnop';
    const journal = new FakeJournal();
    const echo: HttpClient = { request: async (req) => ({ status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: req.headers.Authorization ?? req.headers.authorization }), truncated: false, url: req.url }) };
    const failure = await runner(journal, echo, { API_TOKEN: secret })
      .run(request({ params: { url: 'https://api.example.com/x?key={{secrets.API_TOKEN}}', method: 'GET', headers: { Authorization: 'Bearer {{secrets.API_TOKEN}}' } } }))
      .catch((e: Error) => e);
    expect(String(failure)).not.toContain(secret);
    expect(JSON.stringify([journal.lines, journal.failed])).not.toContain(secret);
    expect(JSON.stringify(journal.lines)).toContain('***');
  });

  it('stores oversized outputs cut, with a preview, and says so', async () => {
    const journal = new FakeJournal();
    await runner(journal, httpAnswering(200, { blob: 'x'.repeat(MAX_STORED_RESULT_BYTES) })).run(request());
    const stored = journal.completed[0]!;
    expect(stored.resultTruncated).toBe(true);
    expect(stored.result).toMatchObject({ truncated: true, bytes: expect.any(Number), preview: expect.any(String) });
    expect(JSON.stringify(stored.result).length).toBeLessThan(8_192);
  });

  it('answers choose, resolve_items and resolve_wait with the values the machine copies into its state', async () => {
    const journal = new FakeJournal();
    journal.steps.set('fetch', { status: 'completed', output: { body: { count: 3, items: ['a', 'b'] } } });
    const r = runner(journal, httpAnswering(200, {}));
    expect(await r.run(request({ node_id: 'route', node_type: 'choice', action: 'choose', params: { choices: [{ when: 'steps.fetch.output.body.count > 2', next: 'big' }], default: 'small' } }))).toEqual({ node_id: 'route', next: 'big' });
    expect(await r.run(request({ node_id: 'each', node_type: 'map', action: 'resolve_items', params: { items: '{{steps.fetch.output.body.items}}' } }))).toEqual({ node_id: 'each', items: ['a', 'b'] });
    expect(await r.run(request({ node_id: 'pause', node_type: 'wait', action: 'resolve_wait', params: { seconds: '{{steps.fetch.output.body.count}}' } }))).toEqual({ node_id: 'pause', seconds: 3 });
  });

  describe('journal calls per node: one begin, then one outcome and one batch of log lines, written together', () => {
    it('a node that succeeds', async () => {
      const journal = new FakeJournal();
      await runner(journal, httpAnswering(200, { ok: true })).run(request());
      expect(journal.calls.toSorted()).toEqual(['appendLogs', 'begin', 'complete']);
      expect(journal.calls[0]).toBe('begin');
    });

    it('a failure that will be retried, and the retry that succeeds', async () => {
      const journal = new FakeJournal();
      await expect(runner(journal, httpAnswering(503, {})).run(request())).rejects.toMatchObject({ name: 'Stepwise.Retryable' });
      expect(journal.calls.toSorted()).toEqual(['appendLogs', 'begin', 'fail']);
      journal.calls = [];
      journal.next = { state: 'run', attempt: 2, maxRetries: 2 };
      await runner(journal, httpAnswering(200, {})).run(request());
      expect(journal.calls.toSorted()).toEqual(['appendLogs', 'begin', 'complete']);
    });

    it('a stopped run: the begin only, nothing written', async () => {
      const journal = new FakeJournal();
      journal.next = { state: 'stopped', status: 'cancelled' };
      await expect(runner(journal, httpAnswering(200, {})).run(request())).rejects.toMatchObject({ name: 'Stepwise.Cancelled' });
      expect(journal.calls).toEqual(['begin']);
    });

    it('an output too large to keep whole: still one outcome write, holding the cut preview', async () => {
      const journal = new FakeJournal();
      await runner(journal, httpAnswering(200, { blob: 'x'.repeat(MAX_STORED_RESULT_BYTES) })).run(request());
      expect(journal.calls.toSorted()).toEqual(['appendLogs', 'begin', 'complete']);
      expect(journal.completed[0]!.resultTruncated).toBe(true);
    });

    it('an upstream output read twice by one node is read once', async () => {
      const journal = new FakeJournal();
      journal.steps.set('seed', { status: 'completed', output: { a: 1, b: 2 } });
      await runner(journal, httpAnswering(200, {})).run(request({ params: { url: 'https://api.example.com/x?a={{steps.seed.output.a}}&b={{steps.seed.output.b}}', method: 'GET' } }));
      expect(journal.calls.filter((c) => c === 'step')).toEqual(['step']);
    });

    it('reads the upstream nodes the params name while the attempt is recorded: one wait before the work, not two', async () => {
      const journal = new FakeJournal();
      journal.steps.set('seed', { status: 'completed', output: { a: 1 } });
      let release!: () => void;
      const recorded = new Promise<void>((resolve) => (release = resolve));
      const begin = journal.begin.bind(journal);
      journal.begin = async (ref) => {
        await recorded;
        return begin(ref);
      };
      const run = runner(journal, httpAnswering(200, {})).run(request({ params: { url: 'https://api.example.com/x?a={{steps.seed.output.a}}', method: 'GET' } }));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      // The begin write has not answered, and the read is already out.
      expect(journal.calls).toEqual(['step']);
      release();
      expect(await run).toMatchObject({ status: 'completed' });
      expect(journal.calls.filter((c) => c === 'step')).toEqual(['step']);
    });

    it('a node whose run has stopped fails as cancelled, and the upstream read it started early changes nothing', async () => {
      const journal = new FakeJournal();
      journal.next = { state: 'stopped', status: 'cancelled' };
      journal.step = async () => Promise.reject(new Error('table unavailable'));
      const run = runner(journal, httpAnswering(200, {})).run(request({ params: { url: 'https://api.example.com/x?a={{steps.seed.output.a}}', method: 'GET' } }));
      await expect(run).rejects.toMatchObject({ name: RUNNER_CANCELLED });
    });

    it('branches that start together and read the same upstream node share one read; another run, or a later node, reads its own', async () => {
      const journal = new FakeJournal();
      journal.steps.set('seed', { status: 'completed', output: { a: 1 } });
      const r = runner(journal, httpAnswering(200, {}));
      const branch = (nodeId: string, overrides: Partial<TaskRunnerRequest> = {}) => request({ node_id: nodeId, params: { url: `https://api.example.com/${nodeId}?a={{steps.seed.output.a}}`, method: 'GET' }, ...overrides });
      const other = newId('execution');
      const otherRun = { execution_id: `arn:aws:states:us-east-1:1:execution:stepwise-dev-wf:${executionName(other, accountId)}` };
      const answers = await Promise.all([r.run(branch('part0')), r.run(branch('part1')), r.run(branch('part2')), r.run(branch('part0', otherRun))]);
      expect(answers.map((a) => 'status' in a && a.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      expect(journal.calls.filter((c) => c === 'step')).toEqual(['step', 'step']);
      await r.run(branch('merge'));
      expect(journal.calls.filter((c) => c === 'step')).toHaveLength(3);
    });
  });

  it('rejects a request whose execution name does not belong to its account', async () => {
    const journal = new FakeJournal();
    await expect(runner(journal, httpAnswering(200, {})).run(request({ account_id: newId('account') }))).rejects.toMatchObject({ name: 'Stepwise.NonRetryable' });
    expect(journal.begins).toEqual([]);
  });

  it('a job on AWS: prepare_job begins the attempt and answers the variables without completing; record_job completes it without a new attempt', async () => {
    const journal = new FakeJournal();
    const job = { node_id: 'check', node_type: 'generic' as const, params: { command: 'echo hi' } };
    const prepared = await runner(journal, httpAnswering(200, {})).run(request({ ...job, action: 'prepare_job' }));
    expect(prepared).toEqual({ node_id: 'check', environment: [{ name: 'STEPWISE_ARGV', value: "'echo' 'hi'", type: 'PLAINTEXT' }], timeout_seconds: 3600 });
    expect(journal.begins).toHaveLength(1);
    expect(journal.completed).toEqual([]);
    expect(journal.lines.map((l) => l.message)).toEqual(['Task started', 'Job prepared']);

    const recorded = await runner(journal, httpAnswering(200, {})).run(request({ ...job, action: 'record_job', build: { Id: 'p:1', BuildStatus: 'SUCCEEDED' } }));
    expect(recorded).toMatchObject({ node_id: 'check', status: 'completed' });
    expect(journal.begins).toHaveLength(1);
    expect(journal.completed[0]).toMatchObject({ ref: { nodeId: 'check' }, result: { exit_code: 0, build_id: 'p:1' } });

    await expect(runner(journal, httpAnswering(200, {})).run(request({ ...job, action: 'record_job', build_error: { Error: 'States.TaskFailed', Cause: '{}' } }))).rejects.toMatchObject({ name: 'Stepwise.CommandFailed' });
    expect(journal.begins).toHaveLength(1);
    expect(journal.failed).toEqual([{ ref: expect.objectContaining({ nodeId: 'check' }), error: 'command failed (States.TaskFailed)', status: 'failed', at: expect.any(String) }]);
  });
});
