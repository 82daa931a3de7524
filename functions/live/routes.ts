import * as z from 'zod';
import { isAppError, type AppError } from '../core/errors.ts';
import type { CredentialVerifier } from '../core/auth/ports.ts';
import type { LiveUpdates } from '../core/live/live-updates.ts';
import type { Logger } from '../core/logger.ts';
import { handshakeCredentials, selectedSubprotocol, verifyHandshake } from '../core/auth/handshake.ts';

/** What API Gateway hands a WebSocket route's Lambda proxy integration (`$connect` also has headers and query). */
export interface WebSocketEvent {
  readonly requestContext: { readonly routeKey: string; readonly connectionId: string; readonly requestId?: string };
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** For `$connect` the status is the handshake's answer; for `subscribe` and `$default` the body goes back to the client. */
export interface WebSocketResult {
  readonly statusCode: number;
  readonly body?: string;
  /** `$connect` only: `Sec-WebSocket-Protocol`, which API Gateway passes on to the handshake's answer. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The one client message (FlowRunner's path style aside): API Gateway routes on `action`. */
const SubscribeMessage = z.strictObject({ action: z.literal('subscribe'), execution_id: z.string().min(1).max(64) });

export async function routeWebSocket(event: WebSocketEvent, deps: { readonly verifier: CredentialVerifier; readonly live: Pick<LiveUpdates, 'connect' | 'disconnect' | 'subscribe'> }, logger: Pick<Logger, 'info' | 'error'>): Promise<WebSocketResult> {
  const { routeKey, connectionId, requestId = 'unknown' } = event.requestContext;
  try {
    switch (routeKey) {
      case '$connect': {
        const principal = await verifyHandshake(deps.verifier, handshakeCredentials(event.headers, event.queryStringParameters));
        // An unknown (or another account's) execution refuses the handshake with 404. API Gateway sends nothing
        // before $connect returns, so such a client gets its snapshot by also subscribing (idempotent).
        await deps.live.connect(connectionId, principal, event.queryStringParameters?.execution_id || undefined);
        logger.info('live: connected', { connection_id: connectionId, account_id: principal.accountId, credential_id: principal.credentialId });
        // A browser that offered subprotocols drops a handshake whose answer selects none (RFC 6455 §4.1).
        const protocol = selectedSubprotocol(event.headers);
        return protocol ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': protocol } } : { statusCode: 200 };
      }
      case '$disconnect':
        await deps.live.disconnect(connectionId);
        return { statusCode: 200 };
      case 'subscribe': {
        const message = SubscribeMessage.safeParse(parse(event));
        if (!message.success) return reply(400, errorMessage('invalid_request', 'Send {"action":"subscribe","execution_id":"exec_…"}', requestId));
        const { snapshot } = await deps.live.subscribe(connectionId, message.data.execution_id);
        return reply(200, snapshot);
      }
      default:
        return reply(400, errorMessage('invalid_request', `Unknown action; send {"action":"subscribe","execution_id":"exec_…"}`, requestId));
    }
  } catch (error) {
    if (!isAppError(error)) {
      logger.error('live: route failed', { route: routeKey, connection_id: connectionId, error: String(error) });
      return reply(500, errorMessage('internal_error', 'Internal error', requestId));
    }
    if (routeKey === '$connect') logger.info('live: refused', { connection_id: connectionId, code: error.code, reason: error.message });
    return reply(error.status, errorMessage(error.code, error.message, requestId));
  }
}

/** A WebSocket-level error (FlowRunner names none), carrying the REST API's error object. */
function errorMessage(code: AppError['code'], message: string, requestId: string) {
  return { type: 'error', error: { code, message, request_id: requestId } };
}

function reply(statusCode: number, body: unknown): WebSocketResult {
  return { statusCode, body: JSON.stringify(body) };
}

function parse(event: WebSocketEvent): unknown {
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
