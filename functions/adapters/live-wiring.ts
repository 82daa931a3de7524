import type { CredentialVerifier } from '../core/auth/ports.ts';
import { systemClock } from '../core/clock.ts';
import type { ExecutionReader } from '../core/live/live-updates.ts';
import { LiveUpdates } from '../core/live/live-updates.ts';
import type { LivePusher } from '../core/live/ports.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoExecutionRepository } from './dynamodb/execution-repository.ts';
import { DynamoLiveConnectionStore } from './dynamodb/live-connection-store.ts';
import { lazy } from './lazy.ts';

/** What both WebSocket front doors need: the REST API's credential verifier and executions by key. */
export interface LiveBasics {
  verifier: CredentialVerifier;
  executions: ExecutionReader;
}

export function liveBasics(): LiveBasics {
  const { config, db, verifier } = container();
  return { verifier, executions: new DynamoExecutionRepository(db, config.TABLE_NAME) };
}

export interface LiveWiring extends LiveBasics {
  live: LiveUpdates;
}

let wiring: LiveWiring | undefined;

/**
 * AWS: connections and subscriptions in the table (each WebSocket route and each notification is
 * its own Lambda invocation), messages through the WebSocket API's management endpoint. Local mode
 * builds its own LiveUpdates over in-process sockets (functions/adapters/local/local-live.ts).
 */
export function liveDeps(): LiveWiring {
  if (!wiring) {
    const { config, db } = container();
    const basics = liveBasics();
    wiring = {
      ...basics,
      live: new LiveUpdates({ executions: basics.executions, connections: new DynamoLiveConnectionStore(db, config.TABLE_NAME), pusher: pusherFor(config), clock: systemClock }),
    };
  }
  return wiring;
}

/** The management API client and its SDK load on first push: the `$connect`/`subscribe` function never pushes. */
function pusherFor(config: Config): LivePusher {
  const load = lazy(async () => {
    const endpoint = config.LIVE_CALLBACK_URL;
    if (!endpoint) throw new Error('LIVE_CALLBACK_URL is required to push live updates');
    const [{ ApiGatewayManagementApiClient }, { ApiGatewayLivePusher }] = await Promise.all([import('@aws-sdk/client-apigatewaymanagementapi'), import('./aws/api-gateway-live-pusher.ts')]);
    const client = new ApiGatewayManagementApiClient({ region: config.AWS_REGION, endpoint });
    return new ApiGatewayLivePusher(async () => client);
  });
  return {
    push: async (connectionId, message) => (await load()).push(connectionId, message),
    disconnect: async (connectionId) => (await load()).disconnect(connectionId),
  };
}
