import { WebSocket } from 'ws';

/** A signed-in user of a local server, for benchmarks that drive the API the way a client does. */
export interface BenchClient {
  readonly baseUrl: string;
  readonly token: string;
  readonly accountId: string;
  /** Calls the API as the user; a non-2xx answer throws, so a benchmark never times errors as successes. */
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

export async function signIn(baseUrl: string, prefix: string): Promise<BenchClient> {
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const username = `${prefix}${Date.now()}`;
  await call('POST', '/api/v1/auth/register', { username, password: 'benchmark-password' });
  const { token, account_id: accountId } = (await call('POST', '/api/v1/auth/login', { username, password: 'benchmark-password' })) as { token: string; account_id: string };
  return { baseUrl, token, accountId, call: (method, path, body) => call(method, path, body, token) };
}

/**
 * Resolves when the run's WebSocket (`/ws/executions/{id}`, docs/api.md#live-updates) delivers its
 * last message, `execution_completed`; rejects on `execution_failed` or after `timeoutMs`. A run that
 * ended before the socket opened is told by the first message, so there is no race.
 */
export function untilEnded(client: BenchClient, executionId: string, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(`${client.baseUrl.replace(/^http/, 'ws')}/ws/executions/${executionId}`, { headers: { Authorization: `Bearer ${client.token}` } });
    const timer = setTimeout(() => finish(new Error(`run ${executionId}: no final message in ${timeoutMs} ms`)), timeoutMs);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve();
    };
    socket.on('message', (raw) => {
      let message: { type?: string; error?: string };
      try {
        message = JSON.parse(String(raw)) as typeof message;
      } catch {
        return finish(new Error(`run ${executionId}: a message that is not JSON: ${String(raw).slice(0, 200)}`));
      }
      if (message.type === 'execution_completed') finish();
      else if (message.type === 'execution_failed') finish(new Error(`run ${executionId} failed: ${message.error ?? ''}`));
    });
    socket.on('error', (error) => finish(error));
    // After the last message this is a no-op: the promise has settled.
    socket.on('close', (code, reason) => finish(new Error(`run ${executionId}: the socket closed (${code} ${String(reason)}) before the run's last message`)));
  });
}
