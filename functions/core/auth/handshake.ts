import { unauthorized } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { bearerToken, lowerCaseHeaders } from './credentials.ts';
import type { PresentedCredentials } from './gateway-authorizer.ts';
import type { CredentialVerifier } from './ports.ts';

type Values = Readonly<Record<string, string | string[] | undefined>> | null | undefined;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** API keys are `sk_<account>.<key>.<secret>` (functions/core/api-keys/api-key.ts). */
const looksLikeApiKey = (value: string) => value.startsWith('sk_');

/**
 * The credential of a WebSocket handshake (local server and API Gateway's `$connect` alike):
 * `X-API-Key` or `Authorization` as on every REST route, else the `token` query parameter,
 * because a browser's WebSocket cannot send headers. A `token` holding an API key is taken as one.
 */
export function handshakeCredentials(headers: Values, query: Values): PresentedCredentials {
  const lower = lowerCaseHeaders(Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, first(v)])));
  const apiKey = lower['x-api-key'] || undefined;
  if (apiKey) return { apiKey };
  const token = bearerToken(lower) ?? first(query?.token);
  if (!token) return {};
  return looksLikeApiKey(token) ? { apiKey: token } : { token };
}

/** The principal behind the credentials, with the verifier every REST request uses (sessions and revocation included). */
export async function verifyHandshake(verifier: CredentialVerifier, credentials: PresentedCredentials): Promise<Principal> {
  if (credentials.apiKey) return verifier.verifyApiKey(credentials.apiKey);
  if (credentials.token) return verifier.verifyAccessToken(credentials.token);
  throw unauthorized('Missing credentials: send Authorization: Bearer <token> or X-API-Key, or ?token= where headers cannot be set');
}
