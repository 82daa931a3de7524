/** Compiled machines in aws-local-stepfunctions: retries, failure naming and timeouts. */
import { describe, expect, it } from 'vitest';
import { parseFailureCause } from '../../../statemachines/task-runner-contract.ts';
import { compile, flowctl, task } from '../support/fixtures.ts';
import { errorNamed, runLocal } from '../support/local-sfn.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('retries', () => {
  it('retries max_attempts - 1 times, then fails naming the node', async () => {
    const body = { config: { retry_policy: { max_attempts: 3 } }, tasks: [task('flaky'), task('after', ['flaky'])] };
    const compiled = compile(body);
    const attempts: number[] = [];
    const recovers = await runLocal(compiled, {
      retryOverrides: { flaky: 0 },
      handler: (req, attempt) => {
        if (req.node_id !== 'flaky') return undefined;
        attempts.push(attempt);
        if (attempt < 3) throw errorNamed('Stepwise.Retryable', 'HTTP 503');
        return undefined;
      },
    });
    expect(recovers.status).toBe('SUCCEEDED');
    expect(attempts).toEqual([1, 2, 3]);
    expect(recovers.events.filter((e) => e.type === 'StateRetried')).toHaveLength(2);

    const fails = await runLocal(compiled, {
      retryOverrides: { flaky: 0 },
      handler: (req) => {
        if (req.node_id === 'flaky') throw errorNamed('Stepwise.Retryable', 'HTTP 503');
      },
    });
    expect(fails.status).toBe('FAILED');
    expect(fails.calls.filter((c) => c.request.node_id === 'flaky')).toHaveLength(3);
    expect(fails.calls.some((c) => c.request.node_id === 'after')).toBe(false);
    expect(fails.error).toBe('Stepwise.Retryable');
    expect(parseFailureCause(fails.cause)).toMatchObject({ failed_node: 'flaky', node_type: 'generic', error: 'Stepwise.Retryable', cause: expect.stringContaining('HTTP 503') });
  });

  it('honours a task max_retries and never retries non-retryable errors', async () => {
    const compiled = compile({ tasks: [task('once', [], { max_retries: 1 }), task('fatal')] });
    const run = await runLocal(compiled, {
      retryOverrides: { once: 0, fatal: 0 },
      handler: (req) => {
        throw errorNamed(req.node_id === 'fatal' ? 'Stepwise.NonRetryable' : 'Stepwise.Retryable');
      },
    });
    expect(run.status).toBe('FAILED');
    const count = (id: string) => run.calls.filter((c) => c.request.node_id === id).length;
    // "once" and "fatal" run in parallel; whichever fails first ends the run, but neither exceeds its budget.
    expect(count('once')).toBeLessThanOrEqual(2);
    expect(count('fatal')).toBeLessThanOrEqual(1);
    const single = await runLocal(compile({ tasks: [task('fatal')] }), { handler: () => Promise.reject(errorNamed('Stepwise.NonRetryable', '404')) });
    expect(single.calls).toHaveLength(1);
    expect(parseFailureCause(single.cause)).toMatchObject({ failed_node: 'fatal', error: 'Stepwise.NonRetryable' });
  });

  it('backs off by initial_delay × backoff_factor^n', async () => {
    const compiled = compile({ config: { retry_policy: { max_attempts: 3, initial_delay: '1s', backoff_factor: 2 } }, tasks: [task('slow')] }, { jitter: 'NONE' });
    const run = await runLocal(compiled, { handler: () => Promise.reject(errorNamed('Stepwise.Retryable')) });
    const starts = run.calls.map((c) => c.start);
    expect(starts).toHaveLength(3);
    const gaps = [(starts[1] ?? 0) - (starts[0] ?? 0), (starts[2] ?? 0) - (starts[1] ?? 0)];
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[0]).toBeLessThan(1800);
    expect(gaps[1]).toBeGreaterThanOrEqual(1950);
    expect(gaps[1]).toBeLessThan(2900);
  });
});

describe('failures name the node', () => {
  it('inside a parallel branch', async () => {
    const body = flowctl(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']], { retry_policy: { max_attempts: 1 } });
    const run = await runLocal(compile(body), { handler: (req) => (req.node_id === 'c' ? Promise.reject(errorNamed('Stepwise.Retryable', 'disk full')) : sleep(20)) });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Stepwise.Retryable');
    expect(parseFailureCause(run.cause)).toMatchObject({ failed_node: 'c', node_type: 'generic', cause: expect.stringContaining('disk full') });
    expect(run.calls.some((c) => c.request.node_id === 'd')).toBe(false);
  });

  it('inside a map iteration, with the item key', async () => {
    const body = { config: { retry_policy: { max_attempts: 1 } }, steps: [{ type: 'map', id: 'each', items: '$.xs', iterator: [{ type: 'generic', id: 'work', command: 'x' }] }] };
    const run = await runLocal(compile(body), {
      input: { xs: ['ok', 'bad', 'ok'] },
      handler: (req) => (req.map?.item === 'bad' ? Promise.reject(errorNamed('Boom', 'bad item')) : undefined),
    });
    expect(run.status).toBe('FAILED');
    expect(parseFailureCause(run.cause)).toEqual({ failed_node: 'work', node_type: 'generic', error: 'Boom', cause: expect.stringContaining('bad item'), map_node: 'each', map_key: '1' });
  });

  it('for a templated fail node, without retrying it', async () => {
    const body = { steps: [{ type: 'fail', id: 'stop', error: 'Rejected', cause: 'order {{input.id}} rejected' }] };
    const compiled = compile(body);
    expect(compiled.task_states.stop?.action).toBe('fail');
    const run = await runLocal(compiled, { input: { id: 7 }, handler: () => Promise.reject(errorNamed('Rejected', 'order 7 rejected')) });
    expect(run.calls).toHaveLength(1);
    expect(run.error).toBe('Rejected');
    expect(parseFailureCause(run.cause)).toMatchObject({ failed_node: 'stop', node_type: 'fail' });
  });
});

describe('timeouts', () => {
  it('fails a node that exceeds its timeout, naming it', async () => {
    const body = { tasks: [task('stuck', [], { timeout: '1s', max_retries: 0 })] };
    const run = await runLocal(compile(body), { handler: () => sleep(2_500) });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Timeout');
    expect(parseFailureCause(run.cause)).toMatchObject({ failed_node: 'stuck', error: 'States.Timeout' });
    expect(run.durationMs).toBeLessThan(2_000);
  });

  it('times out the whole execution at config.timeout', async () => {
    const body = { config: { timeout: '1s' }, tasks: [task('long')] };
    const run = await runLocal(compile(body), { handler: () => sleep(2_500) });
    expect(run.status).toBe('TIMED_OUT');
    expect(run.durationMs).toBeLessThan(2_000);
  });
});
