/**
 * A typed Stepwise client: openapi-fetch over the types generated from the OpenAPI document
 * (client/schema.ts, `npm run generate:client`). Every path, parameter, body and answer is typed
 * as the document says: `client.POST('/api/v1/tasks', { body: { name: 'x' } })`.
 *
 * The hand-written helpers beside it (client/*.ts other than schema.ts) add what every caller
 * needs: a session that refreshes on 401, retry on 429 with Retry-After, pagination as an async
 * iterator, and waiting for a run over the WebSocket (or by polling).
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { retryOn429, type FetchLike, type RetryOptions } from './retry.ts';
import type { Session } from './session.ts';
import type { paths } from './schema.ts';

export type { components, operations, paths } from './schema.ts';
export { errorBodyOf, StepwiseApiError, unwrap, type ApiErrorBody } from './errors.ts';
export { abortableSleep, retryAfterMs, retryOn429, type FetchLike, type RetryOptions } from './retry.ts';
export { login, Session, tokensOf, type LoginOptions, type LoginResponse, type SessionOptions, type SessionTokens } from './session.ts';
export { listAll, paginate, type ListItem, type ListPath, type PaginateInit, type PaginateOptions } from './paginate.ts';
export {
  FINISHED,
  isFinished,
  LiveRefused,
  NodeStates,
  waitForExecution,
  watchExecution,
  type Execution,
  type ExecutionStatus,
  type LiveMessage,
  type LogLine,
  type NodeStatus,
  type RunTask,
  type WatchEvent,
  type WatchOptions,
} from './watch.ts';

export type StepwiseClient = Client<paths>;

export interface StepwiseClientOptions extends Omit<ClientOptions, 'baseUrl' | 'fetch'> {
  /** Where the API is, without /api/v1 (e.g. http://127.0.0.1:3000). */
  baseUrl: string;
  /** An access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An API key, sent as `X-API-Key` (instead of a token). */
  apiKey?: string;
  /** A signed-in session (client/session.ts): its token is sent, and a 401 refreshes it once. */
  session?: Session;
  /** Retry 429s after their Retry-After (`true` for the defaults: 3 retries, waits up to 60 s). */
  retry?: boolean | RetryOptions;
  /** The fetch underneath (tests pass a fake one). */
  fetch?: FetchLike;
}

export function createStepwiseClient({ baseUrl, token, apiKey, headers, session, retry, fetch, ...rest }: StepwiseClientOptions): StepwiseClient {
  let send: FetchLike | undefined = fetch;
  if (retry) send = retryOn429(send, retry === true ? {} : retry);
  // The session sits above the retry: a request refused for the rate goes out again with the token it has then.
  if (session) send = session.fetchWith(send);
  return createClient<paths>({
    ...rest,
    ...(send ? { fetch: send } : {}),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(apiKey ? { 'X-API-Key': apiKey } : {}), ...(headers as Record<string, string> | undefined) },
  });
}
