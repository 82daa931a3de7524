import type { EventBridgeEvent } from 'aws-lambda';
import { liveDeps } from '../adapters/live-wiring.ts';
import type { Notified } from '../core/live/live-updates.ts';

/**
 * Run events and log lines from the stage's bus (an EventBridge rule on LIVE_UPDATE_EVENTS): each
 * becomes FlowRunner's message to every connection watching the execution. Connections that are
 * gone are forgotten; a throw makes EventBridge retry (subscribers may then get a message twice).
 */
export async function handler(event: Pick<EventBridgeEvent<string, unknown>, 'detail'>): Promise<Notified> {
  return liveDeps().live.notify(event.detail);
}
