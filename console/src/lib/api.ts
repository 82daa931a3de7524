import type { ApiIssue, Session } from './api-types.ts';
import type { ConsoleConfig } from './config.ts';
import { session, setSession, startSession } from './session.ts';

/** An answer in the API's one error shape, `{"error":{code,message,field?,details?,request_id}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The per-field issues of a validation error (`details.issues`), when the API listed them. */
  get issues(): ApiIssue[] {
    const issues = this.details?.issues;
    return Array.isArray(issues) ? (issues as ApiIssue[]) : [];
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

let config: ConsoleConfig | undefined;
let refreshing: Promise<boolean> | undefined;
let onExpired: (() => void) | undefined;

export function configureApi(value: ConsoleConfig, expired: () => void): void {
  config = value;
  onExpired = expired;
}

export function apiConfig(): ConsoleConfig {
  if (!config) throw new Error('API not configured');
  return config;
}

function url(path: string, query?: Query): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return `${apiConfig().apiUrl}/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; field?: string; request_id?: string; details?: Record<string, unknown> } };
    if (body.error?.message) return new ApiError(res.status, body.error.code ?? 'error', body.error.message, body.error.field, body.error.request_id, body.error.details);
  } catch {
    // not the API's error shape (a proxy's page, an outage)
  }
  return new ApiError(res.status, 'http_error', `The API answered ${res.status} ${res.statusText}`.trim());
}

/** One new access token from the refresh token, shared by every request that got a 401 at once. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session();
    if (!current) return false;
    try {
      const res = await fetch(url('/auth/refresh'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: current.refreshToken }) });
      if (!res.ok) return false;
      startSession((await res.json()) as Session);
      return true;
    } catch {
      return false;
    }
  })().finally(() => (refreshing = undefined));
  return refreshing;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sign-in and registration: no credential, and a 401 is an answer, not an expired session. */
  anonymous?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}, retried = false): Promise<T> {
  const token = options.anonymous ? undefined : session()?.token;
  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      headers: {
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', `Could not reach the API at ${apiConfig().apiUrl}`);
  }
  if (res.status === 401 && !options.anonymous) {
    if (!retried && (await refresh())) return request<T>(method, path, options, true);
    const error = await errorOf(res);
    onExpired?.();
    setSession(undefined);
    throw error;
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export const enc = encodeURIComponent;
