import { inject } from 'vitest';
import { createContract, type Contract } from './contract.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

const contracts = new Map<string, Promise<Contract>>();

/** The OpenAPI document a server serves, as a checker (one fetch per server and test file). */
export function contractOf(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetch(`${baseUrl}/api/v1/openapi.json`).then(async (res) => createContract((await res.json()) as Record<string, unknown>));
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/**
 * A tiny fetch wrapper for end-to-end tests against the shared local server. Every response it
 * receives from a Stepwise server is checked against that server's OpenAPI document
 * (test/support/contract.ts); a mismatch fails the request's test.
 */
export function api(token?: string) {
  return apiAt(inject('baseUrl'), token);
}

/** The same against any server (tests that start one of their own); an absolute URL is called as it is. */
export function apiAt(baseUrl: string, token?: string) {
  const call = async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const url = path.startsWith('http') ? path : `${baseUrl}${path}`;
    const requestHeaders: Record<string, string> = {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    };
    const requestBody = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(url, { method, headers: requestHeaders, body: requestBody });
    const text = await res.text();
    if (url.startsWith(baseUrl)) {
      const problems = (await contractOf(baseUrl)).check({
        method,
        url: url.slice(baseUrl.length),
        requestHeaders,
        requestBody,
        status: res.status,
        responseHeaders: Object.fromEntries(res.headers),
        responseBody: text,
      });
      if (problems.length) throw new Error(`The response breaks the OpenAPI document:\n${problems.join('\n')}`);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  return {
    baseUrl,
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PATCH', path, body, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) => call<T>('DELETE', path, undefined, headers),
    raw: call,
  };
}

let counter = 0;

/** Registers a fresh account (unique username) and logs in; returns its token and ids. */
export async function newAccount(prefix = 'user', baseUrl: string = inject('baseUrl')) {
  const username = `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const password = 'correct horse battery staple';
  const anon = apiAt(baseUrl);
  const reg = await anon.post('/api/v1/auth/register', { username, password, name: 'Test', lastname: 'User' });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const login = await anon.post('/api/v1/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { username, password, token: login.body.token as string, accountId: login.body.account_id as string, userId: reg.body.user_id as string, client: apiAt(baseUrl, login.body.token) };
}
