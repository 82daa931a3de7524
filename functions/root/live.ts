import type { CredentialVerifier } from '../core/auth/ports.ts';
import type { ExecutionReader, LiveUpdates } from '../core/live/live-updates.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { slice } from './stepwise.ts';
import { identityOf } from './identity.ts';
import { liveUpdatesOf } from './live-updates.ts';

/** What both WebSocket front doors need: the REST API's credential verifier and executions by key. */
export interface LiveBasics {
  readonly verifier: CredentialVerifier;
  readonly executions: ExecutionReader;
}

export interface Live extends LiveBasics {
  readonly live: LiveUpdates;
}

export const liveBasicsOf = slice((stepwise): LiveBasics => ({ verifier: identityOf(stepwise).verifier, executions: new DynamoExecutionRepository(stepwise.db, stepwise.table) }));

/** The WebSocket routes (functions/live): connections authorised with the REST API's credentials, then live updates (functions/root/live-updates.ts). Local mode builds its own LiveUpdates over in-process sockets (functions/adapters/local/local-live.ts) from liveBasicsOf. */
export const liveOf = slice((stepwise): Live => ({ ...liveBasicsOf(stepwise), live: liveUpdatesOf(stepwise) }));
