/**
 * Live updates speak FlowRunner's WebSocket messages, field for field and in its field order:
 * `execution_update`, `node_completed`, `execution_completed`, `execution_failed` and `log`.
 * This module turns bus events (the table's change feed, functions/core/events) into them; it is
 * pure: what an event does not carry (results) is handed in by the caller (live-updates.ts).
 */
import { LIVE_UPDATE_EVENT_TYPES } from '../../../lib/definitions/event-patterns.ts';

export interface ExecutionUpdateMessage {
  readonly type: 'execution_update';
  readonly execution_id: string;
  /** The execution's status, or the node's when `node_id` is set (`running`, `retrying`, `failed`). */
  readonly status: string;
  readonly node_id: string | null;
  readonly node_type: string | null;
  readonly timestamp: string;
}

export interface NodeCompletedMessage {
  readonly type: 'node_completed';
  readonly execution_id: string;
  readonly node_id: string;
  readonly node_type: string | null;
  readonly result: unknown;
  readonly timestamp: string;
}

export interface ExecutionCompletedMessage {
  readonly type: 'execution_completed';
  readonly execution_id: string;
  readonly status: 'completed';
  readonly result: unknown;
  readonly timestamp: string;
}

export interface ExecutionFailedMessage {
  readonly type: 'execution_failed';
  readonly execution_id: string;
  /** `failed`, `timed_out` or `cancelled`: FlowRunner has no other terminal message, so every unhappy end is this one. */
  readonly status: string;
  readonly error: string | null;
  readonly node_id: string | null;
  readonly node_type: string | null;
  readonly timestamp: string;
}

export interface LogMessage {
  readonly type: 'log';
  readonly execution_id: string;
  readonly level: string;
  readonly message: string;
  readonly node_id: string | null;
  readonly node_type: string | null;
  readonly data: Record<string, unknown> | null;
  readonly timestamp: string;
}

export type LiveMessage = ExecutionUpdateMessage | NodeCompletedMessage | ExecutionCompletedMessage | ExecutionFailedMessage | LogMessage;

/** After these nothing more comes for the execution (until someone retries it). */
export const isFinalMessage = (message: LiveMessage): message is ExecutionCompletedMessage | ExecutionFailedMessage =>
  message.type === 'execution_completed' || message.type === 'execution_failed';

export type LiveEventType = (typeof LIVE_UPDATE_EVENT_TYPES)[number];

/** One bus event about one execution, as live updates need it. */
export interface LiveEvent {
  readonly event: LiveEventType;
  readonly accountId: string;
  readonly executionId: string;
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The envelope every domain and internal event travels in (functions/core/events/catalog.ts). */
interface Envelope {
  readonly event?: unknown;
  readonly account_id?: unknown;
  readonly timestamp?: unknown;
  readonly data?: unknown;
}

const isLiveEventType = (value: unknown): value is LiveEventType => (LIVE_UPDATE_EVENT_TYPES as readonly unknown[]).includes(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The live event in a bus event's envelope, or undefined when it tells subscribers nothing:
 * another type, or no execution (a bus event is input from outside this process: checked, not trusted).
 */
export function liveEventOf(envelope: unknown): LiveEvent | undefined {
  if (envelope === null || typeof envelope !== 'object') return undefined;
  const { event, account_id: accountId, timestamp, data } = envelope as Envelope;
  if (!isLiveEventType(event) || typeof accountId !== 'string' || typeof timestamp !== 'string') return undefined;
  if (data === null || typeof data !== 'object') return undefined;
  const executionId = (data as Record<string, unknown>).execution_id;
  if (typeof executionId !== 'string' || executionId === '') return undefined;
  return { event, accountId, executionId, timestamp, data: data as Record<string, unknown> };
}

/** What the event leaves out and the store holds: outputs (events stay small), and the failed node's type and error. */
export interface MessageFacts {
  /** The node's output (`task.completed`) or the execution's result (`workflow.completed`). */
  readonly result?: unknown;
  /** The failed node's type (`workflow.failed`, which names the node but not its type). */
  readonly nodeType?: string | null | undefined;
  /** The failed node's own error, without the execution's "Node 'x': " prefix (FlowRunner's wording). */
  readonly nodeError?: string | null | undefined;
}

const NODE_STATUS = { 'task.started': 'running', 'task.retrying': 'retrying', 'task.failed': 'failed' } as const;

/** FlowRunner's message for a live event; `facts` fills in what the event does not carry. */
export function messageOf(e: LiveEvent, facts: MessageFacts = {}): LiveMessage {
  const d = e.data;
  switch (e.event) {
    case 'workflow.started':
      // A redrive starts the same execution again: it is `running` once more, at no node.
      return executionUpdate(e.executionId, 'running', null, null, e.timestamp);
    case 'task.started':
    case 'task.retrying':
    case 'task.failed':
      // A node's failure is an update; the execution's own end (execution_failed) follows if it gives up.
      return executionUpdate(e.executionId, NODE_STATUS[e.event], text(d.node_id), text(d.type), e.timestamp);
    case 'task.completed':
      return { type: 'node_completed', execution_id: e.executionId, node_id: text(d.node_id) ?? '', node_type: text(d.type), result: facts.result ?? null, timestamp: e.timestamp };
    case 'workflow.completed':
      return { type: 'execution_completed', execution_id: e.executionId, status: 'completed', result: facts.result ?? null, timestamp: e.timestamp };
    case 'workflow.failed':
    case 'workflow.cancelled': {
      const nodeId = text(d.failed_node);
      return {
        type: 'execution_failed',
        execution_id: e.executionId,
        status: text(d.status) ?? (e.event === 'workflow.cancelled' ? 'cancelled' : 'failed'),
        error: (nodeId ? facts.nodeError : undefined) ?? text(d.error),
        node_id: nodeId,
        node_type: nodeId ? (facts.nodeType ?? null) : null,
        timestamp: e.timestamp,
      };
    }
    case 'execution.log':
      return {
        type: 'log',
        execution_id: e.executionId,
        level: text(d.level) ?? 'info',
        message: text(d.message) ?? '',
        node_id: text(d.node_id),
        node_type: text(d.node_type),
        data: d.data !== null && typeof d.data === 'object' ? (d.data as Record<string, unknown>) : null,
        timestamp: e.timestamp,
      };
  }
}

export function executionUpdate(executionId: string, status: string, nodeId: string | null, nodeType: string | null, timestamp: string): ExecutionUpdateMessage {
  return { type: 'execution_update', execution_id: executionId, status, node_id: nodeId, node_type: nodeType, timestamp };
}
