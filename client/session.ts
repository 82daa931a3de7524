/**
 * A signed-in user's session: the access token (15 minutes) and the single-use refresh token
 * (docs/api.md#auth). Its `fetch` sends the access token and, when an answer is 401 and a refresh
 * token is at hand, rotates it once (`POST /api/v1/auth/refresh`) and repeats the request.
 * Concurrent 401s share one refresh: a refresh token presented twice is treated as theft and
 * revokes the whole session.
 */
import createClient from 'openapi-fetch';
import { errorBodyOf, StepwiseApiError } from './errors.ts';
import type { FetchLike } from './retry.ts';
import type { components, paths } from './schema.ts';

export interface SessionTokens {
  token: string;
  refreshToken?: string | undefined;
  /** ISO 8601, as the API said when it issued the token. */
  expiresAt?: string | undefined;
}

export type LoginResponse = components['schemas']['LoginResponse'];

export interface SessionOptions {
  baseUrl: string;
  tokens: SessionTokens;
  /** Where new tokens go after a refresh (the CLI writes them to its config file). */
  onTokens?: (tokens: SessionTokens) => void | Promise<void>;
  /**
   * Asked before refreshing: tokens another holder (another CLI process) may have refreshed
   * meanwhile. If they differ from the rejected ones they are used instead of spending the refresh
   * token a second time.
   */
  reload?: () => SessionTokens | undefined | Promise<SessionTokens | undefined>;
  /** The fetch requests go through (e.g. `retryOn429(...)`). */
  fetch?: FetchLike;
}

export function tokensOf(answer: Pick<LoginResponse, 'token' | 'refresh_token' | 'expires_at'>, previous?: SessionTokens): SessionTokens {
  // Refreshing with an access token answers without a refresh token: the session keeps its own.
  return { token: answer.token, refreshToken: answer.refresh_token ?? previous?.refreshToken, expiresAt: answer.expires_at };
}

export class Session {
  readonly baseUrl: string;
  #tokens: SessionTokens;
  #refreshing: Promise<boolean> | undefined;
  readonly #options: SessionOptions;
  readonly #fetch: FetchLike;

  constructor(options: SessionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#tokens = options.tokens;
    this.#options = options;
    this.#fetch = options.fetch ?? ((r) => globalThis.fetch(r));
  }

  get tokens(): SessionTokens {
    return this.#tokens;
  }

  /** Headers that authenticate as this session now (for a WebSocket handshake). */
  authHeaders(): Record<string, string> {
    return { Authorization: `Bearer ${this.#tokens.token}` };
  }

  /**
   * Gets a new access token. Resolves false when there is no refresh token or the API refused it
   * (the session ended: log in again).
   */
  refresh(rejectedToken: string = this.#tokens.token, via: FetchLike = this.#fetch): Promise<boolean> {
    // Another request already refreshed past the token that was rejected.
    if (rejectedToken !== this.#tokens.token) return Promise.resolve(true);
    this.#refreshing ??= this.#refresh(via).finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refresh(via: FetchLike): Promise<boolean> {
    const rejected = this.#tokens;
    const reloaded = await this.#options.reload?.();
    if (reloaded && reloaded.token !== rejected.token) {
      this.#tokens = reloaded;
      return true;
    }
    if (!rejected.refreshToken) return false;
    const anonymous = createClient<paths>({ baseUrl: this.baseUrl, fetch: via });
    const { data, response } = await anonymous.POST('/api/v1/auth/refresh', { body: { refresh_token: rejected.refreshToken } });
    if (!response.ok || !data) return false;
    this.#tokens = tokensOf(data, rejected);
    await this.#options.onTokens?.(this.#tokens);
    return true;
  }

  /** A fetch that authenticates as the session and refreshes once on 401, sending through `inner`. */
  fetchWith(inner: FetchLike = this.#fetch): FetchLike {
    return async (request) => {
      const retry = request.clone();
      const sent = this.#tokens.token;
      request.headers.set('Authorization', `Bearer ${sent}`);
      const response = await inner(request);
      if (response.status !== 401) return response;
      if (!(await this.refresh(sent, inner))) return response;
      await response.body?.cancel();
      retry.headers.set('Authorization', `Bearer ${this.#tokens.token}`);
      return inner(retry);
    };
  }

  /** `fetchWith` over the session's own fetch. */
  readonly fetch: FetchLike = (request) => this.fetchWith()(request);
}

export interface LoginOptions {
  baseUrl: string;
  username: string;
  password: string;
  fetch?: FetchLike;
  onTokens?: SessionOptions['onTokens'];
}

/**
 * `POST /api/v1/auth/login`; resolves with the session and the login answer (user, account), or
 * rejects with the API's error.
 */
export async function login({ baseUrl, username, password, fetch, onTokens }: LoginOptions): Promise<{ session: Session; login: LoginResponse }> {
  const anonymous = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), ...(fetch ? { fetch } : {}) });
  const { data, error, response } = await anonymous.POST('/api/v1/auth/login', { body: { username, password } });
  if (!data) throw new StepwiseApiError(response.status, errorBodyOf(error));
  const session = new Session({ baseUrl, tokens: tokensOf(data), ...(fetch ? { fetch } : {}), ...(onTokens ? { onTokens } : {}) });
  return { session, login: data };
}
