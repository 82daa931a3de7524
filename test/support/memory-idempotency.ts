import type { ClaimOutcome, IdempotencyScope, IdempotencyStore, StoredResult } from '../../functions/core/idempotency/idempotency.ts';

/** The store's contract in memory: one claim per scope, mismatch by fingerprint. */
export class MemoryIdempotency implements IdempotencyStore {
  readonly items = new Map<string, { fingerprint: string; state: 'in_progress' | 'completed'; result?: StoredResult }>();
  async claim(scope: IdempotencyScope, fingerprint: string): Promise<ClaimOutcome> {
    const id = JSON.stringify(scope);
    const item = this.items.get(id);
    if (!item) {
      this.items.set(id, { fingerprint, state: 'in_progress' });
      return { state: 'claimed' };
    }
    if (item.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (item.state === 'in_progress') return { state: 'in_progress' };
    return item.result ? { state: 'replay', result: item.result } : { state: 'not_stored' };
  }
  async complete(scope: IdempotencyScope, result: StoredResult | undefined) {
    const item = this.items.get(JSON.stringify(scope))!;
    item.state = 'completed';
    if (result) item.result = result;
  }
  async release(scope: IdempotencyScope) {
    this.items.delete(JSON.stringify(scope));
  }
}
