/** A signed-in user of a local server, for benchmarks that drive the API the way a client does. */
export interface BenchClient {
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
  return { token, accountId, call: (method, path, body) => call(method, path, body, token) };
}
