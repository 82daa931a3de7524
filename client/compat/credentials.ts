/**
 * How the seed SDK facades find the API and a credential when the seed's call gives none: the same
 * environment the `stepwise` CLI reads (STEPWISE_API_URL, STEPWISE_TOKEN, STEPWISE_API_KEY), so a
 * seed snippet runs with only its import changed.
 */
import { createStepwiseClient, type StepwiseClient } from '../index.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface FacadeOptions {
  /** The API's address (default STEPWISE_API_URL, else the local server). */
  baseUrl?: string;
  /** An access token (Bearer). */
  token?: string;
  /** An API key (`sk_…`, sent as X-API-Key). */
  apiKey?: string;
}

/** A typed client for a facade: `sk_…` credentials are API keys, anything else a bearer token. 429s are retried. */
export function facadeClient(options: FacadeOptions): StepwiseClient {
  const env = typeof process === 'undefined' ? {} : process.env;
  const baseUrl = options.baseUrl ?? env.STEPWISE_API_URL ?? DEFAULT_API_URL;
  const credential = options.token ?? options.apiKey ?? env.STEPWISE_API_KEY ?? env.STEPWISE_TOKEN;
  // Stepwise API keys are `sk_<account>.<key>.<secret>`; anything else is a bearer token.
  const isKey = options.apiKey !== undefined || Boolean(credential?.startsWith('sk_'));
  return createStepwiseClient({ baseUrl, retry: true, ...(credential ? (isKey ? { apiKey: credential } : { token: credential }) : {}) });
}
