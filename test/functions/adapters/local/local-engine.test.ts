/**
 * The local Step Functions engine running real compiled workflows with a fake task runner: status events
 * as EventBridge would deliver them, retries, stop/redrive/timeout, time scaling and shutdown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileEngineJournal } from '../../../../functions/adapters/local/engine-journal.ts';
import { ENGINE_ERROR, LocalEngine, type ExecutionStatusChange, type LocalEngineOptions, type LocalRun } from '../../../../functions/adapters/local/local-engine.ts';
import { compileWorkflow, MAX_MAP_ITEMS_PER_RUN, parseFailureCause, parseWorkflow, type TaskRunnerRequest } from '../../../../statemachines/index.ts';
import { LocalTaskTokens } from '../../../../functions/adapters/local/local-task-tokens.ts';
import { DependencyGates, MemoryGateStore } from '../../../../functions/core/runner/dependency-gates.ts';
import { isGateCall } from '../../../../statemachines/task-runner-contract.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const errorNamed = (name: string, message: string) => Object.assign(new Error(message), { name });

function compile(body: unknown): string {
  const parsed = parseWorkflow(body);
  if (!parsed.ok || !parsed.ir) throw new Error(JSON.stringify(parsed.issues));
  const compiled = compileWorkflow(parsed.ir, {
    taskRunnerArn: 'arn:aws:lambda:local:000000000000:function:stepwise-task-runner',
    workflowId: 'wf_01HZTEST',
    accountId: 'acct_01HZTEST',
    jitter: 'NONE',
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return compiled.json;
}

const task = (name: string, dependencies: string[] = [], extra: Record<string, unknown> = {}) => ({ name, type: 'generic', payload: { command: name }, dependencies, ...extra });

let counter = 0;
function localRun(definition: string, input: unknown = {}): LocalRun {
  const name = `exec_${(counter += 1)}`;
  return {
    executionArn: `arn:aws:states:local:000000000000:execution:stepwise-wf_01HZTEST:${name}`,
    stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:stepwise-wf_01HZTEST',
    name,
    definition,
    input,
  };
}

type Runner = (request: TaskRunnerRequest, signal: AbortSignal) => unknown;

/** An engine whose runner answers `choose` with null unless told otherwise, recording calls and events in one log. */
function harness(runner: Runner = () => undefined, options: Partial<LocalEngineOptions> = {}) {
  const events: ExecutionStatusChange[] = [];
  const calls: TaskRunnerRequest[] = [];
  const log: string[] = [];
  const engine = new LocalEngine({
    timeScale: 0.01,
    async runTask(payload, signal) {
      const request = payload as TaskRunnerRequest;
      calls.push(request);
      log.push(`call ${request.node_id}`);
      const answer = await runner(request, signal);
      return { node_id: request.node_id, status: 'completed', ...(request.action === 'choose' ? { next: null } : {}), ...(answer as object) };
    },
    async onStatusChange(event) {
      events.push(event);
      log.push(`event ${event.detail.status}`);
    },
    ...options,
  });
  const statuses = (run: LocalRun) => events.filter((e) => e.detail.executionArn === run.executionArn).map((e) => e.detail.status);
  const nodes = () => calls.map((c) => c.node_id);
  return { engine, events, calls, log, statuses, nodes };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Resolves once the signal aborts (a runner that honours cancellation). */
const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('LocalEngine: successful runs', () => {
  const DAG = {
    tasks: [
      task('fetch'),
      { name: 'pick', type: 'choice', dependencies: ['fetch'], payload: { choices: [{ when: 'input.fast', next: 'fast' }], default: 'slow' } },
      task('fast', ['pick']),
      task('slow', ['pick']),
      task('side', ['fetch']),
      { name: 'each', type: 'map', dependencies: ['fetch'], payload: { items: '{{input.items}}', iterator: { tasks: [task('work')] } } },
      task('end', ['fast', 'slow', 'side', 'each']),
    ],
  };

  it('runs a DAG with a choice, a parallel and a map, emitting RUNNING then SUCCEEDED exactly as EventBridge would', async () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    const h = harness((req) => (req.node_id === 'pick' ? { next: 'fast' } : sleep(5)), { clock: () => at });
    const input = { fast: true, items: ['x', 'y', 'z'] };
    const run = localRun(compile(DAG), input);
    h.engine.start(run);
    expect(h.engine.isRunning(run.executionArn)).toBe(true);
    await h.engine.drain();

    expect(h.engine.isRunning(run.executionArn)).toBe(false);
    expect(h.log[0]).toBe('event RUNNING');
    expect(h.log.at(-1)).toBe('event SUCCEEDED');
    expect(h.nodes().toSorted()).toEqual(['end', 'fast', 'fetch', 'pick', 'side', 'work', 'work', 'work']);
    for (const call of h.calls) expect(call).toMatchObject({ execution_id: run.executionArn, input, retry_count: 0, workflow_id: 'wf_01HZTEST' });
    expect(h.calls.filter((c) => c.node_id === 'work').map((c) => c.map?.item).toSorted()).toEqual(['x', 'y', 'z']);

    const [running, succeeded] = h.events;
    const envelope = {
      version: '0',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      region: 'local',
      time: '2030-01-02T03:04:05Z',
      resources: [run.executionArn],
    };
    const detail = { executionArn: run.executionArn, stateMachineArn: run.stateMachineArn, name: run.name, startDate: at.getTime(), input: JSON.stringify(input), inputDetails: { included: true }, redriveCount: 0, redriveDate: null };
    expect(running).toEqual({ ...envelope, id: expect.any(String), detail: { ...detail, status: 'RUNNING', stopDate: null, output: null, outputDetails: null, error: null, cause: null, redriveStatus: 'NOT_REDRIVABLE' } });
    expect(succeeded).toEqual({ ...envelope, id: expect.any(String), detail: { ...detail, status: 'SUCCEEDED', stopDate: at.getTime(), output: '{}', outputDetails: { included: true }, error: null, cause: null, redriveStatus: 'NOT_REDRIVABLE' } });
    expect(running?.id).not.toBe(succeeded?.id);
  });

  it('gives every callback attempt its own task token', async () => {
    const h = harness();
    const run = localRun(compile({ tasks: [{ name: 'ok1', type: 'approval', payload: { message: 'a?' } }, { name: 'ok2', type: 'approval', payload: { message: 'b?' } }] }));
    h.engine.start(run);
    await h.engine.drain();
    expect(h.statuses(run)).toEqual(['RUNNING', 'SUCCEEDED']);
    const tokens = h.calls.map((c) => c.task_token);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect(token).toMatch(/^local-[0-9a-f-]{36}$/);
  });

  it('holds a gate Task until the runner sends its token success, as Step Functions does (gated layout)', async () => {
    const account = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const parsed = parseWorkflow({ tasks: [task('a'), task('b'), task('c', ['a', 'b']), task('d', ['b'])] });
    const compiled = compileWorkflow(parsed.ir!, { taskRunnerArn: 'arn:aws:lambda:local:000000000000:function:stepwise-task-runner', workflowId: 'wf_01HZTEST', accountId: account, jitter: 'NONE' });
    if (!compiled.ok) throw new Error('compile failed');
    expect(compiled.stats.gated_blocks).toBe(1);
    const tokens = new LocalTaskTokens();
    const gates = new DependencyGates(new MemoryGateStore(), tokens);
    const ends = new Map<string, number>();
    const starts = new Map<string, number>();
    const h = harness(async (request) => {
      if (isGateCall(request)) return gates.handle(request);
      starts.set(request.node_id, performance.now());
      await sleep(request.node_id === 'b' ? 150 : 10);
      ends.set(request.node_id, performance.now());
      return undefined;
    }, { taskTokens: tokens });
    const name = `exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-${account}`;
    const run: LocalRun = { ...localRun(compiled.json), name, executionArn: `arn:aws:states:local:000000000000:execution:stepwise-wf_01HZTEST:${name}` };
    h.engine.start(run);
    await h.engine.drain();
    expect(h.statuses(run)).toEqual(['RUNNING', 'SUCCEEDED']);
    // The gate call for c returned long before b ended; c still started only after b.
    expect(starts.get('c')!).toBeGreaterThanOrEqual(ends.get('b')!);
    expect(starts.get('d')!).toBeGreaterThanOrEqual(ends.get('b')!);
    expect(tokens.pending).toBe(0);
  });

  it('releases a waiting gate when the run stops', async () => {
    const tokens = new LocalTaskTokens();
    const h = harness(async () => undefined, { taskTokens: tokens });
    const account = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const parsed = parseWorkflow({ tasks: [task('a'), task('b'), task('c', ['a', 'b']), task('d', ['b'])] });
    const compiled = compileWorkflow(parsed.ir!, { taskRunnerArn: 'arn:aws:lambda:local:000000000000:function:stepwise-task-runner', workflowId: 'wf_01HZTEST', accountId: account, jitter: 'NONE' });
    if (!compiled.ok) throw new Error('compile failed');
    const run = localRun(compiled.json);
    // Nothing ever sends the gate's token here: only stopping the run ends it.
    h.engine.start(run);
    await until(() => tokens.pending === 1);
    expect(h.engine.stop(run.executionArn)).toBe(true);
    await h.engine.drain();
    expect(h.statuses(run)).toEqual(['RUNNING', 'ABORTED']);
    expect(tokens.pending).toBe(0);
  });

  it('scales static and dynamic waits', async () => {
    const when = new Date(Date.now() + 20_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = {
      definition: {
        nodes: {
          pause: { type: 'wait', params: { seconds: 30 }, next: 'later' },
          later: { type: 'wait', params: { seconds: '{{input.pause}}' }, next: 'at' },
          at: { type: 'wait', params: { until: when }, next: 'go' },
          go: { type: 'generic', params: { command: 'go' } },
        },
      },
    };
    const h = harness((req) => (req.action === 'resolve_wait' ? { seconds: 30 } : undefined));
    const run = localRun(compile(body), { pause: 30 });
    const started = performance.now();
    h.engine.start(run);
    await h.engine.drain();
    const elapsed = performance.now() - started;
    expect(h.statuses(run)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(h.nodes()).toEqual(['later', 'go']);
    // 30 s, the templated 30 s and ~20 s at 1/100 = ~0.8 s.
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe('LocalEngine: failures and retries', () => {
  const RETRYING = { config: { retry_policy: { max_attempts: 3, initial_delay: '5s', backoff_factor: 2 } }, tasks: [task('first'), task('flaky', ['first']), task('after', ['flaky'])] };

  it('retries a failing node exactly max_attempts times at the scaled interval, then fails naming it', async () => {
    const times: number[] = [];
    const h = harness((req) => {
      if (req.node_id !== 'flaky') return undefined;
      times.push(performance.now());
      throw errorNamed('Stepwise.Retryable', 'upstream 503');
    });
    const run = localRun(compile(RETRYING));
    h.engine.start(run);
    await h.engine.drain();

    expect(h.nodes()).toEqual(['first', 'flaky', 'flaky', 'flaky']);
    // IntervalSeconds 5 × 0.01 = 50 ms between attempts (real time would be 5 s, then 10 s).
    for (let i = 1; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(40);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeLessThan(2_000);

    const final = h.events.at(-1)?.detail;
    expect(final).toMatchObject({ status: 'FAILED', error: 'Stepwise.Retryable', output: null, outputDetails: null, redriveStatus: 'REDRIVABLE' });
    expect(final?.stopDate).toBeGreaterThanOrEqual(final?.startDate ?? Infinity);
    const failure = parseFailureCause(final?.cause);
    expect(failure).toMatchObject({ failed_node: 'flaky', node_type: 'generic', error: 'Stepwise.Retryable' });
    // As with a Lambda function error, the node's cause is the function's error payload.
    expect(JSON.parse(failure?.cause ?? '')).toMatchObject({ errorType: 'Stepwise.Retryable', errorMessage: 'upstream 503', trace: expect.any(Array) });
  });

  it('never retries Stepwise.NonRetryable, and keeps quotes, backslashes and newlines in the cause intact', async () => {
    const message = 'bad "url" C:\\tmp\nsecond line';
    const h = harness((req) => {
      if (req.node_id === 'flaky') throw errorNamed('Stepwise.NonRetryable', message);
    });
    const run = localRun(compile(RETRYING));
    h.engine.start(run);
    await h.engine.drain();
    expect(h.nodes()).toEqual(['first', 'flaky']);
    const final = h.events.at(-1)?.detail;
    expect(final).toMatchObject({ status: 'FAILED', error: 'Stepwise.NonRetryable' });
    // The library's States.JsonToString strips backslashes; the engine's replacement must not.
    expect(JSON.parse(parseFailureCause(final?.cause)?.cause ?? '').errorMessage).toBe(message);
  });

  it('fails a parallel with the failing branch named and starts nothing more in the other branch', async () => {
    const body = { tasks: [task('start'), task('bad', ['start']), task('slow', ['start']), task('after_slow', ['slow']), task('end', ['bad', 'after_slow'])] };
    const h = harness(async (req) => {
      if (req.node_id === 'bad') throw errorNamed('Stepwise.NonRetryable', 'broken');
      if (req.node_id === 'slow') await sleep(40);
    });
    const run = localRun(compile(body));
    h.engine.start(run);
    await h.engine.drain();
    await sleep(30);
    expect(h.nodes().toSorted()).toEqual(['bad', 'slow', 'start']);
    const final = h.events.at(-1)?.detail;
    expect(final).toMatchObject({ status: 'FAILED', error: 'Stepwise.NonRetryable' });
    expect(parseFailureCause(final?.cause)).toMatchObject({ failed_node: 'bad', node_type: 'generic' });
  });

  it('passes a fail node Error and Cause through', async () => {
    const h = harness();
    const run = localRun(compile({ steps: [{ type: 'generic', id: 'a', command: 'a' }, { type: 'fail', id: 'stop', error: 'OrderRejected', cause: 'no stock' }] }));
    h.engine.start(run);
    await h.engine.drain();
    const final = h.events.at(-1)?.detail;
    expect(final).toMatchObject({ status: 'FAILED', error: 'OrderRejected' });
    expect(parseFailureCause(final?.cause)).toEqual({ failed_node: 'stop', node_type: 'fail', error: 'OrderRejected', cause: 'no stock' });
  });

  it('starts no queued map iteration after the map failed', async () => {
    const body = { steps: [{ type: 'map', id: 'each', items: '$.xs', max_concurrency: 1, iterator: [{ type: 'generic', id: 'work', command: 'w' }] }] };
    const h = harness((req) => {
      if (req.map?.item === 1) throw errorNamed('Stepwise.NonRetryable', 'first item broke');
    });
    const run = localRun(compile(body), { xs: [1, 2, 3, 4] });
    h.engine.start(run);
    await h.engine.drain();
    await sleep(50);
    expect(h.events.at(-1)?.detail).toMatchObject({ status: 'FAILED', error: 'Stepwise.NonRetryable' });
    expect(parseFailureCause(h.events.at(-1)?.detail.cause)).toMatchObject({ failed_node: 'work', map_node: 'each', map_key: '0' });
    expect(h.calls.map((c) => c.map?.item)).toEqual([1]);
  });

  it('ends as FAILED with Stepwise.EngineError when the engine cannot run the machine, and survives a failing listener', async () => {
    const logger = { error: vi.fn() };
    const events: string[] = [];
    const engine = new LocalEngine({
      runTask: async () => ({}),
      logger,
      async onStatusChange(event) {
        events.push(`${event.detail.name}:${event.detail.status}:${event.detail.error ?? ''}`);
        if (event.detail.status === 'RUNNING') throw new Error('listener down');
      },
    });
    const broken = localRun('{"StartAt": ');
    const fine = localRun(compile({ tasks: [task('a')] }));
    engine.start(broken);
    engine.start(fine);
    await engine.drain();
    expect(events.toSorted()).toEqual([`${broken.name}:FAILED:${ENGINE_ERROR}`, `${broken.name}:RUNNING:`, `${fine.name}:RUNNING:`, `${fine.name}:SUCCEEDED:`].toSorted());
    expect(logger.error).toHaveBeenCalledWith('local engine: status change handler failed', expect.objectContaining({ status: 'RUNNING' }));
    expect(() => engine.start(broken)).toThrow(/already exists/);
  });
});

describe('LocalEngine: stop, timeout, redrive, drain', () => {
  it('stop() aborts the in-flight call, emits ABORTED once and runs nothing after', async () => {
    const seen: { aborted?: boolean } = {};
    const h = harness(async (req, signal) => {
      if (req.node_id !== 'a') return;
      await aborted(signal);
      seen.aborted = signal.aborted;
      // A runner that finishes its work anyway must not move the machine on.
      return { summary: { late: true } };
    });
    const run = localRun(compile({ tasks: [task('a'), task('b', ['a'])] }));
    h.engine.start(run);
    await until(() => h.calls.length === 1);
    expect(h.engine.stop(run.executionArn, { error: 'Stepwise.Cancelled', cause: 'cancelled by user' })).toBe(true);
    expect(h.engine.isRunning(run.executionArn)).toBe(false);
    expect(h.engine.stop(run.executionArn)).toBe(false);
    await h.engine.drain();
    await sleep(30);
    expect(seen.aborted).toBe(true);
    expect(h.nodes()).toEqual(['a']);
    expect(h.statuses(run)).toEqual(['RUNNING', 'ABORTED']);
    expect(h.events.at(-1)?.detail).toMatchObject({ error: 'Stepwise.Cancelled', cause: 'cancelled by user', output: null, redriveStatus: 'REDRIVABLE', stopDate: expect.any(Number) });
    expect(h.engine.stop('arn:aws:states:local:000000000000:execution:x:unknown')).toBe(false);
  });

  it('stop() during retry backoff or with map iterations queued starts no further call', async () => {
    const retrying = harness(
      (req) => {
        if (req.node_id === 'flaky') throw errorNamed('Stepwise.Retryable', 'again');
      },
      { timeScale: 1 },
    );
    const run = localRun(compile({ config: { retry_policy: { max_attempts: 5, initial_delay: '5s' } }, tasks: [task('flaky')] }));
    retrying.engine.start(run);
    await until(() => retrying.calls.length === 1);
    await sleep(30);
    retrying.engine.stop(run.executionArn);
    await retrying.engine.drain();
    await sleep(30);
    expect(retrying.nodes()).toEqual(['flaky']);
    expect(retrying.statuses(run)).toEqual(['RUNNING', 'ABORTED']);

    const mapping = harness((_req, signal) => aborted(signal));
    const mapRun = localRun(compile({ steps: [{ type: 'map', id: 'each', items: '$.xs', max_concurrency: 1, iterator: [{ type: 'generic', id: 'work', command: 'w' }] }] }), { xs: [1, 2, 3] });
    mapping.engine.start(mapRun);
    await until(() => mapping.calls.length === 1);
    mapping.engine.stop(mapRun.executionArn);
    await mapping.engine.drain();
    await sleep(30);
    expect(mapping.calls.map((c) => c.map?.item)).toEqual([1]);
  });

  it('ends as TIMED_OUT at the workflow timeout and aborts the in-flight call', async () => {
    let signalled = false;
    const h = harness(async (_req, signal) => {
      await aborted(signal);
      signalled = true;
    });
    const run = localRun(compile({ config: { timeout: '1s' }, tasks: [task('slow'), task('never', ['slow'])] }));
    const started = performance.now();
    h.engine.start(run);
    await h.engine.drain();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(signalled).toBe(true);
    expect(h.nodes()).toEqual(['slow']);
    expect(h.statuses(run)).toEqual(['RUNNING', 'TIMED_OUT']);
    expect(h.events.at(-1)?.detail).toMatchObject({ error: null, cause: null, redriveStatus: 'REDRIVABLE' });
  });

  it('redrives a failed execution from the start with the same ARN and redriveCount 1', async () => {
    let broken = true;
    const h = harness((req) => {
      if (req.node_id === 'b' && broken) {
        broken = false;
        throw errorNamed('Stepwise.NonRetryable', 'not yet');
      }
    });
    const run = localRun(compile({ tasks: [task('a'), task('b', ['a'])] }), { n: 1 });
    h.engine.start(run);
    expect(h.engine.redrive(run.executionArn)).toBe(false);
    await h.engine.drain();
    expect(h.engine.redrive(run.executionArn)).toBe(true);
    expect(h.engine.isRunning(run.executionArn)).toBe(true);
    await h.engine.drain();

    expect(h.nodes()).toEqual(['a', 'b', 'a', 'b']);
    expect(h.events.map((e) => [e.detail.status, e.detail.redriveCount])).toEqual([
      ['RUNNING', 0],
      ['FAILED', 0],
      ['RUNNING', 1],
      ['SUCCEEDED', 1],
    ]);
    const [first, , again, done] = h.events.map((e) => e.detail);
    expect(again).toMatchObject({ executionArn: run.executionArn, name: run.name, input: '{"n":1}', startDate: first?.startDate, redriveDate: expect.any(Number), stopDate: null, error: null });
    expect(done?.redriveDate).toBe(again?.redriveDate);
    expect(h.engine.redrive(run.executionArn)).toBe(false);
    expect(h.engine.redrive('arn:aws:states:local:000000000000:execution:x:unknown')).toBe(false);
  });

  it('drain() waits for every run; with abortAll it stops them and waits for their calls to settle', async () => {
    const h = harness(() => sleep(30));
    const runs = [1, 2, 3].map(() => localRun(compile({ tasks: [task('a'), task('b', ['a'])] })));
    for (const run of runs) h.engine.start(run);
    await h.engine.drain();
    for (const run of runs) expect(h.statuses(run)).toEqual(['RUNNING', 'SUCCEEDED']);

    let settled = 0;
    const blocked = harness(async (_req, signal) => {
      await aborted(signal);
      await sleep(20);
      settled += 1;
    });
    const stuck = [1, 2].map(() => localRun(compile({ tasks: [task('a')] })));
    for (const run of stuck) blocked.engine.start(run);
    await until(() => blocked.calls.length === 2);
    await blocked.engine.drain({ abortAll: true });
    expect(settled).toBe(2);
    for (const run of stuck) expect(blocked.statuses(run)).toEqual(['RUNNING', 'ABORTED']);
  });
});

describe('LocalEngine: map iterations per run (MAX_MAP_ITEMS_PER_RUN)', () => {
  const mapOver = (items: string, iterator: unknown[] = [{ type: 'generic', id: 'work', command: 'w' }]) => ({ steps: [{ type: 'map', id: 'each', items, max_concurrency: 1000, iterator }] });

  it('fails a map over more items than a run may start before any iteration runs, naming the map', async () => {
    const h = harness();
    const run = localRun(compile(mapOver('$.xs')), { xs: Array.from({ length: MAX_MAP_ITEMS_PER_RUN + 1 }, () => 0) });
    h.engine.start(run);
    await h.engine.drain();
    expect(h.calls).toEqual([]);
    const final = h.events.at(-1)?.detail;
    expect(final).toMatchObject({ status: 'FAILED', error: 'Stepwise.NonRetryable' });
    expect(parseFailureCause(final?.cause)).toEqual({
      failed_node: 'each',
      node_type: 'map',
      error: 'Stepwise.NonRetryable',
      cause: `the map has ${MAX_MAP_ITEMS_PER_RUN + 1} items; a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations`,
    });
  });

  it('counts nested maps together: the total of outer and inner iterations is what counts', async () => {
    const nested = mapOver('$.outer', [{ type: 'map', id: 'inner', items: '{{item.xs}}', iterator: [{ type: 'generic', id: 'work', command: 'w' }] }]);
    const small = harness();
    small.engine.start(localRun(compile(nested), { outer: Array.from({ length: 3 }, () => ({ xs: [1, 2, 3, 4] })) }));
    await small.engine.drain();
    expect(small.events.at(-1)?.detail.status).toBe('SUCCEEDED');
    expect(small.calls).toHaveLength(12);

    // 2 outer items of 6,000 inner items each: 2 + 6,000 fit, the second inner map does not.
    const big = harness();
    const wide = mapOver('$.outer', [{ type: 'map', id: 'inner', items: '{{item.xs}}', max_concurrency: 1, iterator: [{ type: 'pass', id: 'noop' }] }]);
    big.engine.start(localRun(compile(wide), { outer: Array.from({ length: 2 }, () => ({ xs: Array.from({ length: 6_000 }, () => 1) })) }));
    await big.engine.drain();
    const final = big.events.at(-1)?.detail;
    expect(final?.status).toBe('FAILED');
    expect(parseFailureCause(final?.cause)).toMatchObject({
      failed_node: 'inner',
      node_type: 'map',
      cause: `the map has 6000 items (12002 map iterations in this run so far); a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations`,
    });
  });
});

describe('LocalEngine: long waits and the journal (restarts)', () => {
  const waitFlow = (params: Record<string, unknown>) => ({
    definition: { nodes: { hold: { type: 'wait', params, next: 'go' }, go: { type: 'generic', params: { command: 'go' } } } },
  });

  it.each([
    ['seconds beyond 2^31 ms', { seconds: 2_200_000 }, undefined],
    ['a templated until in 2099', { until: '{{input.until}}' }, { timestamp: '2099-01-01T00:00:00Z' }],
    ['templated seconds beyond 2^31 ms', { seconds: '{{input.s}}' }, { seconds: 2_200_000 }],
  ])('a wait of %s keeps waiting (timers beyond 2^31 ms are chunked), until stopped', async (_what, params, answer) => {
    const h = harness((req) => (req.action === 'resolve_wait' ? answer : undefined), { timeScale: 1 });
    const run = localRun(compile(waitFlow(params)), {});
    h.engine.start(run);
    await sleep(300);
    expect(h.engine.isRunning(run.executionArn)).toBe(true);
    expect(h.nodes()).not.toContain('go');
    h.engine.stop(run.executionArn);
    await h.engine.drain();
    expect(h.statuses(run)).toEqual(['RUNNING', 'ABORTED']);
  });

  function journalDir() {
    const dir = mkdtempSync(join(tmpdir(), 'engine-journal-'));
    dirs.push(dir);
    return dir;
  }
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('records runs, attempts, wait deadlines and outcomes; forgets a run that succeeded', async () => {
    const journal = new FileEngineJournal(journalDir());
    const h = harness(undefined, { journal });
    const ok = localRun(compile(waitFlow({ seconds: 10 })));
    const failing = localRun(compile({ tasks: [task('boom', [], { max_retries: 0 })] }));
    h.engine.start(ok);
    await until(() => journal.load().some((r) => r.run.executionArn === ok.executionArn && Object.keys(r.waits).length === 1));
    const during = journal.load().find((r) => r.run.executionArn === ok.executionArn);
    expect(during).toMatchObject({ redriveCount: 0, outcome: undefined, waits: { hold: expect.any(Number) } });
    await h.engine.drain();
    expect(journal.load().map((r) => r.run.executionArn)).not.toContain(ok.executionArn);

    const broken = harness(() => {
      throw errorNamed('Stepwise.NonRetryable', 'no');
    }, { journal });
    broken.engine.start(failing);
    await broken.engine.drain();
    expect(journal.load().find((r) => r.run.executionArn === failing.executionArn)).toMatchObject({ outcome: { status: 'FAILED', error: 'Stepwise.NonRetryable' } });
  });

  it('after a restart, resumes a run that was waiting with its remaining time only', async () => {
    const dir = journalDir();
    const run = localRun(compile(waitFlow({ seconds: 3_600 })));
    // What a server killed during the wait leaves behind: the run, its attempt and the wait's deadline.
    const before = new FileEngineJournal(dir);
    before.started(run, Date.now() - 60_000);
    before.attempt(run.executionArn, 0, null);
    before.waitUntil(run.executionArn, 'hold', Date.now() + 400);

    const h = harness(undefined, { journal: new FileEngineJournal(dir), timeScale: 1 });
    const decided: string[] = [];
    const started = performance.now();
    await h.engine.recover(async (r) => {
      decided.push(r.name);
      return { action: 'resume' };
    });
    await h.engine.drain();
    const elapsed = performance.now() - started;
    expect(decided).toEqual([run.name]);
    expect(h.statuses(run)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(h.nodes()).toEqual(['go']);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('after a restart, fails a run the store says cannot resume, and can redrive it and older failed runs', async () => {
    const dir = journalDir();
    const running = localRun(compile({ tasks: [task('call', [], { max_retries: 0 })] }));
    const failedBefore = localRun(compile({ tasks: [task('other', [], { max_retries: 0 })] }));
    const before = new FileEngineJournal(dir);
    before.started(running, Date.now());
    before.attempt(running.executionArn, 0, null);
    before.started(failedBefore, Date.now());
    before.attempt(failedBefore.executionArn, 0, null);
    before.ended(failedBefore.executionArn, { status: 'FAILED', output: null, error: 'Stepwise.NonRetryable', cause: 'x', stopDate: Date.now() });

    const h = harness(undefined, { journal: new FileEngineJournal(dir) });
    await h.engine.recover(async () => ({ action: 'fail', error: 'Stepwise.Interrupted', cause: '{"failed_node":"call","node_type":"generic","error":"Stepwise.Interrupted","cause":"interrupted"}' }));
    expect(h.events.at(-1)?.detail).toMatchObject({ executionArn: running.executionArn, status: 'FAILED', error: 'Stepwise.Interrupted', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(h.engine.isRunning(running.executionArn)).toBe(false);

    expect(h.engine.redrive(running.executionArn)).toBe(true);
    expect(h.engine.redrive(failedBefore.executionArn)).toBe(true);
    await h.engine.drain();
    expect(h.statuses(running)).toEqual(['FAILED', 'RUNNING', 'SUCCEEDED']);
    expect(h.statuses(failedBefore)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(h.events.filter((e) => e.detail.status === 'SUCCEEDED').map((e) => e.detail.redriveCount)).toEqual([1, 1]);
  });
});

