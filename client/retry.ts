/**
 * Retry on 429 honouring `Retry-After` (docs/api.md#rate-limits: the whole seconds until the
 * subject's window ends, also `retry_after` in the body). A fetch wrapper, so it sits under
 * openapi-fetch (`createStepwiseClient({ retry: … })`) or under anything else that takes a fetch.
 */

export type FetchLike = (request: Request) => Promise<Response>;

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 429 is returned (default 60 s, one default window). */
  maxDelayMs?: number;
  /** Wait used when a 429 has no Retry-After: 1 s, doubling (default 1000). */
  fallbackDelayMs?: number;
  /** Called before each wait (the CLI says "rate limited, retrying in 42 s"). */
  onRetry?: (info: { attempt: number; delayMs: number; url: string }) => void;
  /** For tests: how to wait. Must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: the clock an HTTP-date Retry-After is measured against. */
  now?: () => number;
}

/**
 * Milliseconds a 429 asks to wait: `Retry-After` as delta-seconds or an HTTP date (RFC 9110
 * §10.2.3); undefined when it has none or it cannot be read.
 */
export function retryAfterMs(response: Response, now: number = Date.now()): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function retryOn429(fetch: FetchLike = (r) => globalThis.fetch(r), options: RetryOptions = {}): FetchLike {
  const { maxRetries = 3, maxDelayMs = 60_000, fallbackDelayMs = 1000, onRetry, sleep = abortableSleep, now = Date.now } = options;
  return async (request) => {
    let current = request;
    for (let attempt = 1; ; attempt++) {
      // A body can be read once: keep a copy for the retry before this attempt consumes it.
      const next = attempt <= maxRetries ? current.clone() : undefined;
      const response = await fetch(current);
      if (response.status !== 429 || !next) return response;
      const delayMs = retryAfterMs(response, now()) ?? fallbackDelayMs * 2 ** (attempt - 1);
      if (delayMs > maxDelayMs) return response;
      await response.body?.cancel();
      onRetry?.({ attempt, delayMs, url: current.url });
      await sleep(delayMs, current.signal);
      current = next;
    }
  };
}
