import { afterEach, describe, expect, it } from 'vitest';
import { JsonataWorkerPool } from '../../../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { ExpressionFailure } from '../../../../functions/core/runner/ports.ts';

const CATASTROPHIC = '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/)';
const ENDLESS = '($f := function($x){ $f($x) }; $f(1))';

const pools: JsonataWorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
const pool = (maxWorkers?: number) => {
  const p = new JsonataWorkerPool(maxWorkers === undefined ? {} : { maxWorkers });
  pools.push(p);
  return p;
};

async function failure(promise: Promise<unknown>): Promise<ExpressionFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpressionFailure);
  return error as ExpressionFailure;
}

/** Largest gap between ticks of a 20 ms interval on this thread while `work` runs: how long it was blocked. */
async function longestStall<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 20);
  const [result] = await Promise.allSettled([work]);
  clearInterval(tick);
  return { result, stallMs };
}

describe('JsonataWorkerPool', () => {
  it('evaluates in a worker, keeping it for the next evaluation', async () => {
    const p = pool();
    expect(await p.evaluate('$sum(orders.total)', { orders: [{ total: 2 }, { total: 3 }] }, { timeoutMs: 5_000 })).toBe(5);
    expect(await p.evaluate('input.name & "!"', { input: { name: 'Ada' } }, { timeoutMs: 5_000 })).toBe('Ada!');
    expect(p.size).toBe(1);
  });

  it('tells "matches nothing" (undefined) from null, and returns plain JSON', async () => {
    const p = pool();
    expect(await p.evaluate('missing', { present: 1 }, { timeoutMs: 5_000 })).toBeUndefined();
    expect(await p.evaluate('present', { present: null }, { timeoutMs: 5_000 })).toBeNull();
    expect(await p.evaluate('[1, 2] ~> $map(function($v){ $v * 2 })', {}, { timeoutMs: 5_000 })).toEqual([2, 4]);
  });

  it('reports syntax and evaluation errors with JSONata\'s code and position', async () => {
    const p = pool();
    expect(await failure(p.evaluate('(', {}, { timeoutMs: 5_000 }))).toMatchObject({ kind: 'syntax', code: expect.stringMatching(/^S0/) });
    expect(await failure(p.evaluate('1 + "a"', {}, { timeoutMs: 5_000 }))).toMatchObject({ kind: 'evaluation', code: 'T2002', position: expect.any(Number) });
    expect(await failure(p.evaluate('$error("custom")', {}, { timeoutMs: 5_000 }))).toMatchObject({ kind: 'evaluation', message: 'custom' });
  });

  it.each([
    ['a catastrophic regular expression', CATASTROPHIC],
    ['an endless (tail) recursion', ENDLESS],
  ])('stops %s at the deadline without blocking this thread', async (_what, expression) => {
    const p = pool();
    const started = performance.now();
    const { result, stallMs } = await longestStall(p.evaluate(expression, {}, { timeoutMs: 300 }));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toMatchObject({ kind: 'timeout', message: 'it did not finish within 300 ms and was stopped' });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5_000);
    // The event loop here kept running while the worker spun (generous: the machine is shared).
    expect(stallMs).toBeLessThan(250);
  });

  it('replaces a killed worker: the next evaluation works', async () => {
    const p = pool(1);
    await failure(p.evaluate(CATASTROPHIC, {}, { timeoutMs: 200 }));
    expect(await p.evaluate('1 + 1', {}, { timeoutMs: 5_000 })).toBe(2);
    expect(p.size).toBe(1);
  });

  it('runs at most maxWorkers evaluations at once; the rest wait their turn and still get their own deadline', async () => {
    const p = pool(2);
    const slow = [failure(p.evaluate(CATASTROPHIC, {}, { timeoutMs: 400 })), failure(p.evaluate(CATASTROPHIC, {}, { timeoutMs: 400 }))];
    const queued = p.evaluate('"after"', {}, { timeoutMs: 5_000 });
    expect(p.size).toBe(2);
    expect(await queued).toBe('after');
    for (const s of slow) expect(await s).toMatchObject({ kind: 'timeout' });
    expect(p.size).toBeLessThanOrEqual(2);
  });

  it('an aborted signal stops the evaluation at once', async () => {
    const p = pool();
    const controller = new AbortController();
    const running = p.evaluate(ENDLESS, {}, { timeoutMs: 30_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    expect(await failure(running)).toMatchObject({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await failure(p.evaluate('1', {}, { timeoutMs: 1_000, signal: controller.signal }))).toMatchObject({ kind: 'aborted' });
  });

  it('close() fails what is in flight and queued', async () => {
    const p = pool(1);
    const running = failure(p.evaluate(ENDLESS, {}, { timeoutMs: 30_000 }));
    const queued = failure(p.evaluate('1', {}, { timeoutMs: 30_000 }));
    await p.close();
    expect(await running).toMatchObject({ kind: 'aborted' });
    expect(await queued).toMatchObject({ kind: 'aborted' });
    expect(p.size).toBe(0);
  });
});
