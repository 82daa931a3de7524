/**
 * Polls `read` until `ok` holds or `timeoutMs` passes, and returns the last value either way, so
 * the test's own assertion on it says what was wrong (an eventually consistent path: stream,
 * bus, queue, scheduler).
 */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * `GET /executions/{id}` until `done` holds (by default: the run has ended); throws with the last body
 * after `timeoutMs`. The interval starts at `intervalMs` and grows to a second, so a long wait stays
 * within the credential's rate limit (100 a minute) and leaves the test room for its other calls; a
 * 429 waits out its Retry-After.
 */
export async function waitForExecution(
  client: { get(path: string): Promise<{ status: number; body: any }> },
  executionId: string,
  done: (body: any) => boolean = (b) => !['pending', 'running'].includes(b.status),
  timeoutMs = 30_000,
  intervalMs = 150,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = intervalMs; ; wait = Math.min(1_000, wait * 1.5)) {
    const got = await client.get(`/api/v1/executions/${executionId}`);
    if (got.status === 200 && done(got.body)) return got.body;
    if (Date.now() > deadline) throw new Error(`execution ${executionId} did not settle: ${JSON.stringify(got.body)}`);
    const retryAfter = got.status === 429 ? Number(got.body?.error?.retry_after ?? 1) * 1_000 : 0;
    await new Promise((r) => setTimeout(r, Math.max(wait, Math.min(retryAfter, deadline - Date.now()))));
  }
}
