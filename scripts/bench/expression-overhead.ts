import jsonata from 'jsonata';
import { JsonataWorkerPool } from '../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { percentile } from './stats.ts';

const SAMPLES = 1_000;
const WARMUP = 100;
/** What the bench chain's transform nodes evaluate, with the scope the runner gives them. */
const EXPRESSION = 'steps.n0.output + 1';
const SCOPE = { input: { start: 1, note: 'x'.repeat(200) }, steps: { n0: { output: 41, status: 'completed', error: null } } };

export interface ExpressionOverhead {
  samples: number;
  inProcess: { p50: number; p99: number };
  pool: { p50: number; p99: number };
  /** pool − in process, sample by sample. */
  overhead: { p50: number; p99: number };
}

const stats = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/**
 * What evaluating JSONata in the worker pool (so a runaway expression can be stopped) costs a node,
 * next to evaluating the same compiled expression in process, alternated sample by sample.
 */
export async function measureExpressionOverhead(): Promise<ExpressionOverhead> {
  const pool = new JsonataWorkerPool();
  const compiled = jsonata(EXPRESSION);
  const local: number[] = [];
  const pooled: number[] = [];
  const diffs: number[] = [];
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i += 1) {
      const t0 = performance.now();
      await compiled.evaluate(SCOPE);
      const t1 = performance.now();
      await pool.evaluate(EXPRESSION, SCOPE, { timeoutMs: 10_000 });
      const t2 = performance.now();
      if (i < WARMUP) continue;
      local.push(t1 - t0);
      pooled.push(t2 - t1);
      diffs.push(t2 - t1 - (t1 - t0));
    }
  } finally {
    await pool.close();
  }
  return { samples: SAMPLES, inProcess: stats(local), pool: stats(pooled), overhead: stats(diffs) };
}
