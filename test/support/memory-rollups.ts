import type { Granularity, RollupBucket, RollupCounts, RollupStore, RollupWrite } from '../../functions/core/insight/ports.ts';
import { addCounts, EMPTY_COUNTS } from '../../functions/core/insight/rollups.ts';

/** Rollup buckets in memory with the DynamoDB store's contract: ADD, `onlyIfPresent`, TTL expiry on demand. */
export class MemoryRollups implements RollupStore {
  readonly buckets = new Map<string, { counts: RollupCounts; expiresAt: number }>();
  readonly writes: RollupWrite[] = [];

  private key = (accountId: string, workflowId: string, g: Granularity, bucket: string) => `${accountId}|${workflowId}|${g}|${bucket}`;

  async add(write: RollupWrite): Promise<void> {
    this.writes.push(write);
    const key = this.key(write.accountId, write.workflowId, write.granularity, write.bucket);
    const current = this.buckets.get(key);
    if (!current && write.onlyIfPresent) return;
    this.buckets.set(key, { counts: addCounts(current?.counts ?? EMPTY_COUNTS, write.deltas), expiresAt: current?.expiresAt ?? write.expiresAt });
  }

  async read(accountId: string, workflowId: string, g: Granularity, from: string, to: string): Promise<RollupBucket[]> {
    const prefix = `${accountId}|${workflowId}|${g}|`;
    return [...this.buckets.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => ({ start: k.slice(prefix.length), ...v.counts }))
      .filter((b) => b.start >= from && b.start < to)
      .toSorted((a, b) => a.start.localeCompare(b.start));
  }

  /** What DynamoDB's TTL does, eventually: drop every bucket whose expiry is before `epochSeconds`. */
  expire(epochSeconds: number): void {
    for (const [k, v] of this.buckets) if (v.expiresAt < epochSeconds) this.buckets.delete(k);
  }

  /** One bucket's counts (zeros when absent), for exact assertions. */
  get(accountId: string, workflowId: string, g: Granularity, bucket: string): RollupCounts | undefined {
    return this.buckets.get(this.key(accountId, workflowId, g, bucket))?.counts;
  }
}
