import type { LiveConnection, LiveConnectionStore, LiveSubscription } from '../../core/live/ports.ts';

/**
 * Local mode's connection store: the sockets live in this process, so their records do too
 * (a restart drops every socket anyway). Same contract as the DynamoDB store.
 */
export class MemoryLiveConnectionStore implements LiveConnectionStore {
  private readonly connections = new Map<string, LiveConnection>();
  /** connection id → execution id → subscription. */
  private readonly byConnection = new Map<string, Map<string, LiveSubscription>>();
  /** `<account>/<execution>` → connection id → subscription (the GSI's role). */
  private readonly byExecution = new Map<string, Map<string, LiveSubscription>>();

  async open(connection: LiveConnection): Promise<void> {
    this.connections.set(connection.id, connection);
  }

  async connection(connectionId: string): Promise<LiveConnection | undefined> {
    return this.connections.get(connectionId);
  }

  async subscribe(s: LiveSubscription): Promise<void> {
    getOrCreate(this.byConnection, s.connectionId).set(s.executionId, s);
    getOrCreate(this.byExecution, watchKey(s.accountId, s.executionId)).set(s.connectionId, s);
  }

  async subscriptions(connectionId: string): Promise<string[]> {
    return [...(this.byConnection.get(connectionId)?.keys() ?? [])];
  }

  async subscribers(accountId: string, executionId: string): Promise<LiveSubscription[]> {
    return [...(this.byExecution.get(watchKey(accountId, executionId))?.values() ?? [])];
  }

  async unsubscribe(connectionId: string, executionId: string): Promise<void> {
    const s = this.byConnection.get(connectionId)?.get(executionId);
    if (!s) return;
    this.byConnection.get(connectionId)?.delete(executionId);
    const key = watchKey(s.accountId, executionId);
    this.byExecution.get(key)?.delete(connectionId);
    if (this.byExecution.get(key)?.size === 0) this.byExecution.delete(key);
  }

  async close(connectionId: string): Promise<void> {
    for (const executionId of await this.subscriptions(connectionId)) await this.unsubscribe(connectionId, executionId);
    this.byConnection.delete(connectionId);
    this.connections.delete(connectionId);
  }

  /** Open connections (tests, shutdown). */
  get size(): number {
    return this.connections.size;
  }
}

const watchKey = (accountId: string, executionId: string) => `${accountId}/${executionId}`;

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}
