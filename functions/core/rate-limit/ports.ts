/** Where request counts live (DynamoDB in every mode). One call per counted request. */
export interface RateLimitCounter {
  /**
   * Counts one request for `key` in the window starting at `windowStart`, unless the window already
   * holds `limit` requests. `count` is the window's count after this request when allowed, and the
   * count that refused it otherwise. Rejects with `RateLimitStoreUnavailable` when the store cannot
   * answer.
   */
  increment(request: RateLimitIncrement): Promise<{ count: number; allowed: boolean }>;
}

export interface RateLimitIncrement {
  readonly key: string;
  readonly limit: number;
  /** Epoch seconds. */
  readonly windowStart: number;
  /** Epoch seconds; the counter may be forgotten after this. */
  readonly windowEnd: number;
}

/** The counter store failed or timed out; callers fail open. */
export class RateLimitStoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimitStoreUnavailable';
  }
}
