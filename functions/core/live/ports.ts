import type { LiveMessage } from './messages.ts';

/** An authenticated WebSocket connection. */
export interface LiveConnection {
  readonly id: string;
  /** The tenant it authenticated into: it may only ever subscribe to this account's executions. */
  readonly accountId: string;
  /** The credential it presented (session, API key or OAuth client id), for logs and audits. */
  readonly credentialId: string;
  readonly connectedAt: string;
  /** From then on the connection counts as gone (API Gateway ends a WebSocket connection after 2 hours anyway). */
  readonly expiresAt: string;
}

/** One connection watching one execution. */
export interface LiveSubscription {
  readonly connectionId: string;
  readonly accountId: string;
  readonly executionId: string;
  /**
   * The connection named this execution when it connected (FlowRunner's `/ws/executions/{id}`):
   * it exists for this execution only, so the server ends it after the final message.
   */
  readonly bound: boolean;
  readonly expiresAt: string;
}

/** Who is connected and what they watch: DynamoDB on AWS (connections live across Lambdas), memory locally. */
export interface LiveConnectionStore {
  open(connection: LiveConnection): Promise<void>;
  connection(connectionId: string): Promise<LiveConnection | undefined>;
  /** Adds (or renews) a subscription. */
  subscribe(subscription: LiveSubscription): Promise<void>;
  /** The executions a connection watches. */
  subscriptions(connectionId: string): Promise<string[]>;
  /** Who watches an execution of an account (by index, never a scan); expired ones may be included. */
  subscribers(accountId: string, executionId: string): Promise<LiveSubscription[]>;
  unsubscribe(connectionId: string, executionId: string): Promise<void>;
  /** Forgets the connection and all its subscriptions. */
  close(connectionId: string): Promise<void>;
}

/** Sends to a connection: API Gateway's management API on AWS, the socket itself locally. */
export interface LivePusher {
  /** False when the connection is gone (the client left without saying so); the caller forgets it. */
  push(connectionId: string, message: LiveMessage): Promise<boolean>;
  /** Ends a connection from the server's side; one already gone is not an error. */
  disconnect(connectionId: string, reason: string): Promise<void>;
}
