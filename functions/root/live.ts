import type { CredentialVerifier } from '../core/auth/ports.ts';
import { LiveUpdates, type ExecutionReader } from '../core/live/live-updates.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { DynamoLiveConnectionStore } from '../adapters/dynamodb/live-connection-store.ts';
import { slice } from './stepwise.ts';
import { identityOf } from './identity.ts';

/** What both WebSocket front doors need: the REST API's credential verifier and executions by key. */
export interface LiveBasics {
  readonly verifier: CredentialVerifier;
  readonly executions: ExecutionReader;
}

export interface Live extends LiveBasics {
  readonly live: LiveUpdates;
}

export const liveBasicsOf = slice((stepwise): LiveBasics => ({ verifier: identityOf(stepwise).verifier, executions: new DynamoExecutionRepository(stepwise.db, stepwise.table) }));

/**
 * AWS: connections and subscriptions in the table (each WebSocket route and each notification is
 * its own Lambda invocation), messages through the platform's pusher. Local mode builds its own
 * LiveUpdates over in-process sockets (functions/adapters/local/local-live.ts) from liveBasicsOf.
 */
export const liveOf = slice((stepwise): Live => {
  const basics = liveBasicsOf(stepwise);
  return {
    ...basics,
    live: new LiveUpdates({ executions: basics.executions, connections: new DynamoLiveConnectionStore(stepwise.db, stepwise.table), pusher: stepwise.platform.livePusher(), clock: stepwise.clock }),
  };
});
