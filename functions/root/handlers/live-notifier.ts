import type { EventBridgeEvent } from 'aws-lambda';
import type { Notified } from '../../core/live/live-updates.ts';
import { liveUpdatesOf } from '../live-updates.ts';
import type { Stepwise } from '../stepwise.ts';

/**
 * Run events and log lines from the stage's bus (an EventBridge rule on LIVE_UPDATE_EVENTS): each
 * becomes FlowRunner's message to every connection watching the execution. Connections that are
 * gone are forgotten; a throw makes EventBridge retry (subscribers may then get a message twice).
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: Pick<EventBridgeEvent<string, unknown>, 'detail'>): Promise<Notified> =>
    liveUpdatesOf(stepwise).notify(event.detail);
