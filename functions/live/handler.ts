import { container } from '../adapters/container.ts';
import { liveDeps } from '../adapters/live-wiring.ts';
import { createLogger } from '../http/logger.ts';
import { routeWebSocket, type WebSocketEvent, type WebSocketResult } from './routes.ts';

const logger = createLogger(container().config.LOG_LEVEL);

/**
 * The WebSocket API's routes (`$connect`, `subscribe`, `$default`, `$disconnect`) for live
 * execution updates; the messages themselves are pushed by functions/live-notifier.
 */
export async function handler(event: WebSocketEvent): Promise<WebSocketResult> {
  return routeWebSocket(event, liveDeps(), logger);
}
