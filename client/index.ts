/**
 * A typed Stepwise client: openapi-fetch over the types generated from the OpenAPI document
 * (client/schema.ts, `npm run generate:client`). Every path, parameter, body and answer is typed
 * as the document says: `client.POST('/api/v1/tasks', { body: { name: 'x' } })`.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.ts';

export type { components, operations, paths } from './schema.ts';

export type StepwiseClient = Client<paths>;

export interface StepwiseClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the API is, without /api/v1 (e.g. http://127.0.0.1:3000). */
  baseUrl: string;
  /** An access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An API key, sent as `X-API-Key` (instead of a token). */
  apiKey?: string;
}

export function createStepwiseClient({ baseUrl, token, apiKey, headers, ...rest }: StepwiseClientOptions): StepwiseClient {
  return createClient<paths>({
    ...rest,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(apiKey ? { 'X-API-Key': apiKey } : {}), ...(headers as Record<string, string> | undefined) },
  });
}
