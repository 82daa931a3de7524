import { BEARER_SUBPROTOCOL_PREFIX, LIVE_SUBPROTOCOL } from '../../../lib/definitions/live.ts';
import { apiConfig } from './api.ts';
import type { LiveMessage } from './api-types.ts';
import { session } from './session.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'ended';

/**
 * Watches one execution over the live-updates WebSocket (docs/api.md#live-updates): connect,
 * send `{"action":"subscribe","execution_id":…}`, then FlowRunner's messages, the first being a
 * snapshot. A browser's WebSocket cannot send headers, so the access token travels as the
 * `bearer.<token>` subprotocol (lib/definitions/live.ts) in the handshake's Sec-WebSocket-Protocol
 * header: never in a URL, where proxies and logs keep it. Reconnects (and resubscribes) until the
 * run has finished.
 */
export function watchExecution(executionId: string, onMessage: (message: LiveMessage) => void, onState: (state: LiveState) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    const token = session()?.token;
    if (stopped || !token) return;
    onState(attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(apiConfig().liveUrl, [LIVE_SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`]);
    socket = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ action: 'subscribe', execution_id: executionId })));
    ws.addEventListener('message', (event) => {
      let message: LiveMessage | { type: 'error' };
      try {
        message = JSON.parse(String(event.data)) as LiveMessage | { type: 'error' };
      } catch {
        return;
      }
      // `{"type":"error",…}` answers a bad subscribe; the connection stays as it was.
      if (message.type === 'error') return;
      attempt = 0;
      onState('live');
      onMessage(message);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws || stopped) return;
      attempt++;
      onState('reconnecting');
      timer = setTimeout(connect, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
    });
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
    onState('ended');
  };
}
