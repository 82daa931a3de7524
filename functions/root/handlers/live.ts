import { routeWebSocket, type WebSocketEvent, type WebSocketResult } from '../../live/routes.ts';
import { liveOf } from '../live.ts';
import type { Stepwise } from '../stepwise.ts';

/**
 * The WebSocket API's routes (`$connect`, `subscribe`, `$default`, `$disconnect`) for live
 * execution updates; the messages themselves are pushed by functions/live-notifier.
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: WebSocketEvent): Promise<WebSocketResult> =>
    routeWebSocket(event, liveOf(stepwise), stepwise.logger);
