import type { Clock } from '../clock.ts';
import { AppError, forbidden, notFound, unauthorized } from '../errors.ts';
import { runTaskId, type Execution } from '../executions/execution.ts';
import type { ExecutionRepository } from '../executions/ports.ts';
import { isId } from '../ids.ts';
import { hasScope, type Principal } from '../principal.ts';
import { executionUpdate, isFinalMessage, liveEventOf, messageOf, type LiveEvent, type LiveMessage, type MessageFacts } from './messages.ts';
import type { LiveConnectionStore, LivePusher } from './ports.ts';

/** What live updates read: an execution and a task of the caller's account, by key. */
export type ExecutionReader = Pick<ExecutionRepository, 'get' | 'task'>;

export interface LiveUpdatesOptions {
  /** How long a connection counts (API Gateway's own limit on a WebSocket connection is 2 hours). */
  readonly connectionTtlSeconds?: number;
  /** Subscriptions one connection may hold, so one client cannot make every event fan out to it. */
  readonly maxSubscriptions?: number;
  /**
   * Largest `result` sent as is (bytes of JSON). API Gateway refuses WebSocket messages over
   * 128 KB and results may be 256 KB; a bigger one is replaced by a pointer to the REST API.
   */
  readonly maxResultBytes?: number;
}

/** What a subscriber gets at once: the execution's state now, so a late subscriber is never left waiting. */
export interface Subscribed {
  readonly snapshot: LiveMessage;
  /** The execution has already finished: the snapshot is its final message and nothing follows. */
  readonly final: boolean;
}

export interface Notified {
  readonly delivered: number;
  readonly gone: number;
}

/** Reading a run's executions and tasks is what GET /executions/{id} needs, so it is what subscribing needs. */
const REQUIRED_SCOPE = 'workflows:read';

/**
 * Live execution updates (FlowRunner's WebSocket API). Rules:
 * - a connection authenticates once, into one account, and may only subscribe to that account's
 *   executions; another account's execution id is answered exactly like an unknown one;
 * - a subscription is one execution; subscribing answers with the execution's current state;
 * - every bus event of a watched execution becomes one message to each of its subscribers;
 * - after the final message (execution_completed or execution_failed) the subscription ends, and
 *   a connection that named the execution when connecting is closed by the server.
 */
export class LiveUpdates {
  private readonly ttlMs: number;
  private readonly maxSubscriptions: number;
  private readonly maxResultBytes: number;

  constructor(
    private readonly deps: {
      executions: ExecutionReader;
      connections: LiveConnectionStore;
      pusher: LivePusher;
      clock: Clock;
    },
    options: LiveUpdatesOptions = {},
  ) {
    this.ttlMs = (options.connectionTtlSeconds ?? 7200) * 1000;
    this.maxSubscriptions = options.maxSubscriptions ?? 10;
    this.maxResultBytes = options.maxResultBytes ?? 96 * 1024;
  }

  /**
   * Records an authenticated connection; with `executionId` (FlowRunner's path style) also its
   * one subscription, checked first so a refused connection leaves nothing behind.
   */
  async connect(connectionId: string, principal: Principal, executionId?: string): Promise<Subscribed | undefined> {
    if (!hasScope(principal, REQUIRED_SCOPE)) throw forbidden(`Live updates require the '${REQUIRED_SCOPE}' scope`);
    const execution = executionId === undefined ? undefined : await this.execution(principal.accountId, executionId);
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs).toISOString();
    await this.deps.connections.open({ id: connectionId, accountId: principal.accountId, credentialId: principal.credentialId, connectedAt: now.toISOString(), expiresAt });
    if (!execution) return undefined;
    return this.watch(connectionId, execution, true, expiresAt);
  }

  /** `{"action": "subscribe", "execution_id": …}` on an open connection. */
  async subscribe(connectionId: string, executionId: string): Promise<Subscribed> {
    const connection = await this.deps.connections.connection(connectionId);
    if (!connection || Date.parse(connection.expiresAt) <= this.deps.clock.now().getTime()) {
      throw unauthorized('This connection is not authenticated (or has expired); connect again');
    }
    const execution = await this.execution(connection.accountId, executionId);
    const watched = await this.deps.connections.subscriptions(connectionId);
    if (!watched.includes(execution.id) && watched.length >= this.maxSubscriptions) {
      throw new AppError('invalid_request', `A connection may watch at most ${this.maxSubscriptions} executions at once; open another connection`, { field: 'execution_id' });
    }
    return this.watch(connectionId, execution, false, connection.expiresAt);
  }

  disconnect(connectionId: string): Promise<void> {
    return this.deps.connections.close(connectionId);
  }

  /** One bus event (its envelope): a message to each subscriber of its execution, if it has any. */
  async notify(envelope: unknown): Promise<Notified> {
    const event = liveEventOf(envelope);
    if (!event) return { delivered: 0, gone: 0 };
    const now = this.deps.clock.now().getTime();
    // DynamoDB's TTL deletes within days, not at the second: expiry is checked here as well.
    const subscribers = (await this.deps.connections.subscribers(event.accountId, event.executionId)).filter((s) => Date.parse(s.expiresAt) > now);
    // Nobody watching (the usual case): no reads for results.
    if (subscribers.length === 0) return { delivered: 0, gone: 0 };
    const message = await this.messageFor(event);
    const final = isFinalMessage(message);
    let delivered = 0;
    let gone = 0;
    await Promise.all(
      subscribers.map(async (s) => {
        if (!(await this.deps.pusher.push(s.connectionId, message))) {
          gone += 1;
          await this.deps.connections.close(s.connectionId);
          return;
        }
        delivered += 1;
        if (!final) return;
        if (s.bound) {
          await this.deps.pusher.disconnect(s.connectionId, 'execution finished');
          await this.deps.connections.close(s.connectionId);
        } else {
          await this.deps.connections.unsubscribe(s.connectionId, event.executionId);
        }
      }),
    );
    return { delivered, gone };
  }

  /** FlowRunner's message for a live event, with what the event leaves out read from the store. */
  async messageFor(event: LiveEvent): Promise<LiveMessage> {
    const { accountId, executionId, data } = event;
    let facts: MessageFacts = {};
    if (event.event === 'task.completed') {
      const taskId = typeof data.task_id === 'string' ? data.task_id : runTaskId(executionId, String(data.node_id));
      facts = { result: this.fit((await this.deps.executions.task(accountId, taskId))?.result ?? null, executionId) };
    } else if (event.event === 'workflow.completed') {
      facts = { result: this.fit((await this.deps.executions.get(accountId, executionId))?.result ?? null, executionId) };
    } else if ((event.event === 'workflow.failed' || event.event === 'workflow.cancelled') && typeof data.failed_node === 'string') {
      facts = await this.failedNode(accountId, executionId, data.failed_node);
    }
    return messageOf(event, facts);
  }

  /** The execution's state now: its final message when it has finished, else an update with its status. */
  async snapshot(execution: Execution): Promise<LiveMessage> {
    const now = this.deps.clock.now().toISOString();
    if (execution.status === 'completed') {
      return { type: 'execution_completed', execution_id: execution.id, status: 'completed', result: this.fit(execution.result, execution.id), timestamp: execution.completedAt ?? now };
    }
    if (execution.status === 'failed' || execution.status === 'timed_out' || execution.status === 'cancelled') {
      const facts = execution.failedNode ? await this.failedNode(execution.accountId, execution.id, execution.failedNode) : {};
      return {
        type: 'execution_failed',
        execution_id: execution.id,
        status: execution.status,
        error: facts.nodeError ?? execution.error,
        node_id: execution.failedNode,
        node_type: execution.failedNode ? (facts.nodeType ?? null) : null,
        timestamp: execution.completedAt ?? now,
      };
    }
    return executionUpdate(execution.id, execution.status, null, null, now);
  }

  private async watch(connectionId: string, execution: Execution, bound: boolean, expiresAt: string): Promise<Subscribed> {
    // Recorded before the state is read: an end that lands in between is then pushed, not missed.
    await this.deps.connections.subscribe({ connectionId, accountId: execution.accountId, executionId: execution.id, bound, expiresAt });
    // Read again after recording: the state may have moved since the tenancy check read it.
    const snapshot = await this.snapshot((await this.deps.executions.get(execution.accountId, execution.id)) ?? execution);
    const final = isFinalMessage(snapshot);
    // A finished execution has nothing more to tell (a retry is a new start: subscribe again then).
    if (final) await this.deps.connections.unsubscribe(connectionId, execution.id);
    return { snapshot, final };
  }

  /** The tenancy check: looked up under the caller's own account only, so a foreign id is simply not found. */
  private async execution(accountId: string, executionId: string): Promise<Execution> {
    const execution = isId('execution', executionId) ? await this.deps.executions.get(accountId, executionId) : undefined;
    if (!execution) throw notFound('Execution', executionId);
    return execution;
  }

  private async failedNode(accountId: string, executionId: string, nodeId: string): Promise<MessageFacts> {
    const task = await this.deps.executions.task(accountId, runTaskId(executionId, nodeId));
    return { nodeType: task?.type ?? null, nodeError: task?.error ?? undefined };
  }

  private fit(result: unknown, executionId: string): unknown {
    const bytes = Buffer.byteLength(JSON.stringify(result ?? null));
    if (bytes <= this.maxResultBytes) return result ?? null;
    return { truncated: true, size_bytes: bytes, href: `/api/v1/executions/${executionId}` };
  }
}
