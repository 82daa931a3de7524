/**
 * The live-updates WebSocket's subprotocols (docs/api.md#live-updates). A browser's `WebSocket`
 * cannot set headers, but it can offer subprotocols, which travel in the handshake's
 * `Sec-WebSocket-Protocol` header, not in the URL: `new WebSocket(url, [LIVE_SUBPROTOCOL,
 * `${BEARER_SUBPROTOCOL_PREFIX}${token}`])`. The server answers with `LIVE_SUBPROTOCOL` only,
 * never echoing the credential. Local mode (functions/adapters/local/local-live.ts), the AWS
 * `$connect` route (functions/live/routes.ts) and the console all read this. Pure data.
 */

/** The protocol the server selects; a client offering subprotocols must offer this one. */
export const LIVE_SUBPROTOCOL = 'stepwise.v1';

/** A subprotocol `bearer.<access token or API key>` carries the credential. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';
