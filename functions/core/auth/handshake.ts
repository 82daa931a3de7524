import { BEARER_SUBPROTOCOL_PREFIX, LIVE_SUBPROTOCOL } from '../../../lib/definitions/live.ts';
import { unauthorized } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { bearerToken, lowerCaseHeaders } from './credentials.ts';
import type { PresentedCredentials } from './gateway-authorizer.ts';
import type { CredentialVerifier } from './ports.ts';

type Values = Readonly<Record<string, string | string[] | undefined>> | null | undefined;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** API keys are `sk_<account>.<key>.<secret>` (functions/core/api-keys/api-key.ts). */
const looksLikeApiKey = (value: string) => value.startsWith('sk_');

/** The subprotocols a handshake offers (`Sec-WebSocket-Protocol`, comma-separated, possibly repeated). */
function offeredSubprotocols(headers: Values): string[] {
  const values = Object.entries(headers ?? {})
    .filter(([name]) => name.toLowerCase() === 'sec-websocket-protocol')
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value ?? '']));
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

/**
 * The credential of a WebSocket handshake (local server and API Gateway's `$connect` alike):
 * `X-API-Key` or `Authorization` as on every REST route; else a `bearer.<token>` subprotocol, the
 * way a browser sends one outside the URL (lib/definitions/live.ts); else the `token` query
 * parameter, for clients that can do neither. A token holding an API key is taken as one.
 */
export function handshakeCredentials(headers: Values, query: Values): PresentedCredentials {
  const lower = lowerCaseHeaders(Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, first(v)])));
  const apiKey = lower['x-api-key'] || undefined;
  if (apiKey) return { apiKey };
  const fromProtocol = offeredSubprotocols(headers)
    .find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX))
    ?.slice(BEARER_SUBPROTOCOL_PREFIX.length);
  const token = bearerToken(lower) ?? (fromProtocol || undefined) ?? first(query?.token);
  if (!token) return {};
  return looksLikeApiKey(token) ? { apiKey: token } : { token };
}

/**
 * The subprotocol to answer a handshake with: `stepwise.v1` when the client offered it, else none.
 * Never the `bearer.` one, so the credential does not travel back.
 */
export function selectedSubprotocol(headers: Values): string | undefined {
  return offeredSubprotocols(headers).includes(LIVE_SUBPROTOCOL) ? LIVE_SUBPROTOCOL : undefined;
}

/** The principal behind the credentials, with the verifier every REST request uses (sessions and revocation included). */
export async function verifyHandshake(verifier: CredentialVerifier, credentials: PresentedCredentials): Promise<Principal> {
  if (credentials.apiKey) return verifier.verifyApiKey(credentials.apiKey);
  if (credentials.token) return verifier.verifyAccessToken(credentials.token);
  throw unauthorized(`Missing credentials: send Authorization: Bearer <token> or X-API-Key; from a browser, offer the subprotocols ${LIVE_SUBPROTOCOL} and ${BEARER_SUBPROTOCOL_PREFIX}<token> (or ?token=)`);
}
