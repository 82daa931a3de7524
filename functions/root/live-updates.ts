import { LiveUpdates } from '../core/live/live-updates.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { DynamoLiveConnectionStore } from '../adapters/dynamodb/live-connection-store.ts';
import { slice } from './stepwise.ts';

/**
 * AWS: connections and subscriptions in the table (each WebSocket route and each notification is
 * its own Lambda invocation), messages through the platform's pusher. A module of its own, without
 * the credential verifier the WebSocket routes use (functions/root/live.ts), so the live notifier
 * pushes to connections already authorised and carries no identity code (docs/architecture.md#the-composition-root).
 */
export const liveUpdatesOf = slice(
  (stepwise): LiveUpdates =>
    new LiveUpdates({
      executions: new DynamoExecutionRepository(stepwise.db, stepwise.table),
      connections: new DynamoLiveConnectionStore(stepwise.db, stepwise.table),
      pusher: stepwise.platform.livePusher(),
      clock: stepwise.clock,
    }),
);
