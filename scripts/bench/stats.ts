/** Small, dependency-free statistics for benchmark reports. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function median(values: number[]): number {
  return percentile(values.toSorted((a, b) => a - b), 50);
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
}

/**
 * Closed-loop load: `concurrency` workers call `op` back to back for `seconds`. Bounded in time and
 * count, and only ever aimed at loopback targets.
 */
export async function runLoad(name: string, op: (i: number) => Promise<void>, opts: { concurrency: number; seconds: number; maxRequests?: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const max = opts.maxRequests ?? 1_000_000;
  const deadline = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < deadline && issued < max) {
        const i = issued++;
        const t = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { name, requests: latencies.length, errors, seconds, throughput: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
