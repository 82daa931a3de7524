/**
 * Watching a run: FlowRunner's live messages over a WebSocket (docs/api.md#live-updates), falling
 * back to polling `GET /executions/{id}` when no socket can be had or it drops. Either way the
 * caller gets one stream of events — each node's state changes, log lines (WebSocket only), and a
 * final `end` with the execution as the REST API has it — so a progress display does not care how
 * they came.
 *
 * - Local mode: `ws://<api>/ws/executions/{id}`, the credential in the handshake headers.
 * - AWS: the events stack's WebSocket API (stack output `LiveUrl`), `?execution_id=` plus a
 *   `subscribe` message, since API Gateway sends nothing before the connection is established.
 *
 * A late subscriber only hears what happens after it connects, so after the first message the
 * run's tasks are read once and every node already past `pending` is reported; statuses only move
 * forward: a `running` arriving after `completed` (EventBridge keeps no order on AWS) is dropped.
 * After a redrive, `since` keeps the previous attempt's states out of the catch-up.
 */
import type { Client } from 'openapi-fetch';
import { WebSocket } from 'ws';
import { StepwiseApiError, unwrap, type ApiErrorBody } from './errors.ts';
import { abortableSleep } from './retry.ts';
import type { components, paths } from './schema.ts';

export type Execution = components['schemas']['Execution'];
export type RunTask = components['schemas']['WorkflowRunTask'];
export type ExecutionStatus = Execution['status'];
export type NodeStatus = RunTask['status'];
export type LogLine = components['schemas']['ExecutionLogLine'];

export const FINISHED: readonly ExecutionStatus[] = ['completed', 'failed', 'cancelled', 'timed_out'];
export const isFinished = (status: string) => (FINISHED as readonly string[]).includes(status);

export type WatchEvent =
  | { type: 'transport'; transport: 'websocket' | 'polling'; reason?: string }
  | { type: 'status'; status: ExecutionStatus; at: string }
  | { type: 'node'; nodeId: string; nodeType: string | null; status: NodeStatus; error?: string | null; result?: unknown; at: string }
  | { type: 'log'; line: Omit<LogLine, 'id'> & { id?: string } }
  | { type: 'end'; execution: Execution };

/** FlowRunner's messages (docs/api.md#messages). */
export type LiveMessage =
  | { type: 'execution_update'; execution_id: string; status: string; node_id: string | null; node_type: string | null; timestamp: string }
  | { type: 'node_completed'; execution_id: string; node_id: string; node_type: string; result: unknown; timestamp: string }
  | { type: 'execution_completed'; execution_id: string; status: 'completed'; result: unknown; timestamp: string }
  | { type: 'execution_failed'; execution_id: string; status: string; error: string | null; node_id: string | null; node_type: string | null; timestamp: string }
  | { type: 'log'; execution_id: string; level: LogLine['level']; message: string; node_id: string | null; node_type: string | null; data: Record<string, unknown> | null; timestamp: string }
  | { type: 'error'; error: { code: string; message: string; request_id?: string } };

export interface WatchOptions {
  /** The REST API's address (the local WebSocket is on the same port). */
  baseUrl: string;
  /** The events stack's WebSocket API (`LiveUrl`), on AWS. Without it the local path is used. */
  liveUrl?: string | undefined;
  /** Handshake headers (`Authorization` or `X-API-Key`), asked for at each connection attempt. */
  headers?: () => Record<string, string>;
  /** Called when the handshake is refused with 401; resolves true when it is worth trying again (a refreshed session). */
  onUnauthorized?: () => Promise<boolean>;
  /** `auto` (default): the WebSocket, polling when it fails. */
  transport?: 'auto' | 'websocket' | 'polling';
  /** First poll interval; it grows to `maxPollIntervalMs` while nothing changes (default 250 ms → 2 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Give up (reject) after this long (default: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How long a handshake may take before polling takes over (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * Ignore task states older than this instant (ISO 8601) when catching up: after a redrive the
   * nodes that will run again still show the previous attempt's `failed` until they start.
   */
  since?: string;
}

const RANK: Record<NodeStatus, number> = { pending: 0, running: 1, retrying: 1, waiting: 1, completed: 2, failed: 2, cancelled: 2, skipped: 2 };

/** Each node's last reported status; says whether a newly seen status is news. */
export class NodeStates {
  readonly #states = new Map<string, NodeStatus>();

  /** True (and remembered) when `status` is a change that moves the node forward, or a retry's running ↔ retrying. */
  advance(nodeId: string, status: NodeStatus): boolean {
    const last = this.#states.get(nodeId) ?? 'pending';
    if (status === last || RANK[status] < RANK[last]) return false;
    this.#states.set(nodeId, status);
    return true;
  }

  get(nodeId: string): NodeStatus | undefined {
    return this.#states.get(nodeId);
  }
}

/** An unbounded queue the socket's handlers push into and the generator pulls from. */
class Inbox<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #closed: unknown = undefined;
  #done = false;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }

  close(reason?: unknown): void {
    this.#done = true;
    this.#closed = reason;
    this.#wake?.();
  }

  /** The next item, or `undefined` once closed and drained (`reason` says why). */
  async next(): Promise<{ item?: T; reason?: unknown }> {
    for (;;) {
      if (this.#items.length) return { item: this.#items.shift() as T };
      if (this.#done) return { reason: this.#closed };
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

export class LiveRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`live updates refused: HTTP ${status}`);
  }
}

type Socket = { inbox: Inbox<LiveMessage>; close(): void };

function socketUrl(executionId: string, options: WatchOptions): string {
  if (options.liveUrl) {
    const url = new URL(options.liveUrl);
    url.searchParams.set('execution_id', executionId);
    return url.toString();
  }
  const url = new URL(options.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws/executions/${encodeURIComponent(executionId)}`;
  return url.toString();
}

function connect(executionId: string, options: WatchOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(executionId, options), { headers: options.headers?.() ?? {}, handshakeTimeout: options.connectTimeoutMs ?? 10_000 });
    const inbox = new Inbox<LiveMessage>();
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      const refuse = () => {
        reject(new LiveRefused(res.statusCode ?? 0, body));
        ws.terminate();
      };
      res.on('end', refuse);
      res.on('error', refuse);
    });
    ws.on('error', (error) => (opened ? inbox.close(error) : reject(error)));
    ws.on('open', () => {
      opened = true;
      // AWS sends the state now only as the answer to a subscribe (idempotent with ?execution_id=).
      if (options.liveUrl) ws.send(JSON.stringify({ action: 'subscribe', execution_id: executionId }));
      resolve({ inbox, close: () => ws.close(1000) });
    });
    ws.on('message', (data) => {
      try {
        inbox.push(JSON.parse(data.toString()) as LiveMessage);
      } catch {
        // Not a message of the protocol: nothing to report.
      }
    });
    ws.on('close', (code, reason) => inbox.close(code === 1000 ? undefined : new Error(`live connection closed (${code} ${reason.toString()})`)));
  });
}

async function readExecution(client: Client<paths>, id: string, signal?: AbortSignal): Promise<Execution> {
  return unwrap(client.GET('/api/v1/executions/{id}', { params: { path: { id } }, ...(signal ? { signal } : {}) }));
}

function* nodeEventsFrom(tasks: readonly RunTask[], states: NodeStates, since?: string): Generator<WatchEvent> {
  // In the order they happened, so a backfilled run reads as it ran.
  const sorted = tasks.filter((t) => !since || t.updated_at >= since).toSorted((a, b) => (a.started_at ?? a.updated_at).localeCompare(b.started_at ?? b.updated_at));
  for (const t of sorted) {
    if (t.status === 'pending') continue;
    // A node seen only after it finished still ran: report its start first.
    if (RANK[t.status] === 2 && t.status !== 'skipped' && t.status !== 'cancelled' && states.advance(t.node_id, 'running')) {
      yield { type: 'node', nodeId: t.node_id, nodeType: t.type, status: 'running', at: t.started_at ?? t.updated_at };
    }
    if (states.advance(t.node_id, t.status)) {
      yield { type: 'node', nodeId: t.node_id, nodeType: t.type, status: t.status, error: t.error, result: t.result, at: t.completed_at ?? t.updated_at };
    }
  }
}

/**
 * The events of one execution until it finishes (the last one is `end`). Rejects with the API's
 * error (an unknown execution is a StepwiseApiError 404), on timeout, or when the signal aborts.
 */
export async function* watchExecution(client: Client<paths>, executionId: string, options: WatchOptions): AsyncGenerator<WatchEvent, void, undefined> {
  const timeout = options.timeoutMs !== undefined ? AbortSignal.timeout(options.timeoutMs) : undefined;
  const signal = options.signal && timeout ? AbortSignal.any([options.signal, timeout]) : (options.signal ?? timeout);
  const states = new NodeStates();
  const transport = options.transport ?? 'auto';

  if (transport !== 'polling') {
    let socket: Socket | undefined;
    let reason = '';
    for (let attempt = 0; attempt < 2 && !socket; attempt++) {
      try {
        socket = await connect(executionId, options);
      } catch (error) {
        if (error instanceof LiveRefused && error.status === 401 && attempt === 0 && (await options.onUnauthorized?.())) continue;
        if (transport === 'websocket') throw error;
        reason = (error as Error).message;
        break;
      }
    }
    if (socket) {
      yield { type: 'transport', transport: 'websocket' };
      const ended = yield* fromSocket(client, executionId, socket, states, options.since, signal);
      if (ended) return;
      reason = 'the live connection ended before the run did';
    }
    yield { type: 'transport', transport: 'polling', reason };
  } else {
    yield { type: 'transport', transport: 'polling' };
  }
  yield* byPolling(client, executionId, states, options, signal);
}

/** Resolves true when the run's end was reported; false when the socket went away first. */
async function* fromSocket(client: Client<paths>, executionId: string, socket: Socket, states: NodeStates, since: string | undefined, signal?: AbortSignal): AsyncGenerator<WatchEvent, boolean, undefined> {
  const onAbort = () => socket.inbox.close(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let first = true;
    for (;;) {
      const { item: message } = await socket.inbox.next();
      if (signal?.aborted) throw signal.reason;
      if (!message) return false;
      if (message.type === 'error') {
        const status = message.error.code === 'not_found' ? 404 : message.error.code === 'unauthorized' ? 401 : 400;
        throw new StepwiseApiError(status, message.error as Partial<ApiErrorBody>);
      }
      if (first) {
        first = false;
        if (message.type === 'execution_update' && message.node_id === null) {
          yield { type: 'status', status: message.status as ExecutionStatus, at: message.timestamp };
        }
        // What happened before we connected.
        const execution = await readExecution(client, executionId, signal);
        yield* nodeEventsFrom(execution.tasks ?? [], states, since);
        if (message.type === 'execution_update' && message.node_id === null) continue;
      }
      switch (message.type) {
        case 'execution_update':
          if (message.node_id === null) {
            yield { type: 'status', status: message.status as ExecutionStatus, at: message.timestamp };
          } else if (states.advance(message.node_id, message.status as NodeStatus)) {
            // The message names no error; the task record has it.
            const error = message.status === 'failed' ? ((await readExecution(client, executionId, signal)).tasks ?? []).find((t) => t.node_id === message.node_id)?.error : undefined;
            yield { type: 'node', nodeId: message.node_id, nodeType: message.node_type, status: message.status as NodeStatus, ...(error ? { error } : {}), at: message.timestamp };
          }
          break;
        case 'node_completed':
          if (states.get(message.node_id) === undefined && states.advance(message.node_id, 'running')) {
            yield { type: 'node', nodeId: message.node_id, nodeType: message.node_type, status: 'running', at: message.timestamp };
          }
          if (states.advance(message.node_id, 'completed')) {
            yield { type: 'node', nodeId: message.node_id, nodeType: message.node_type, status: 'completed', result: message.result, at: message.timestamp };
          }
          break;
        case 'log':
          yield { type: 'log', line: { timestamp: message.timestamp, level: message.level, message: message.message, node_id: message.node_id, node_type: message.node_type, data: message.data } };
          break;
        case 'execution_failed':
          if (message.node_id && states.advance(message.node_id, 'failed')) {
            yield { type: 'node', nodeId: message.node_id, nodeType: message.node_type, status: 'failed', error: message.error, at: message.timestamp };
          }
          return yield* finish(client, executionId, states, since, signal);
        case 'execution_completed':
          return yield* finish(client, executionId, states, since, signal);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    socket.close();
  }
}

/** The final record: every node's last state (skipped and cancelled ones too) and the end. */
async function* finish(client: Client<paths>, executionId: string, states: NodeStates, since: string | undefined, signal?: AbortSignal): AsyncGenerator<WatchEvent, true, undefined> {
  let execution = await readExecution(client, executionId, signal);
  // The live message can come a moment before the record says so (events are applied in order, not
  // at once), and the run's tasks are settled just after its status: nodes that ran as native states
  // (pass, wait) become completed, ones still running become failed or cancelled. Wait for that a
  // little, never for ever.
  const settledBy = Date.now() + 5000;
  for (let wait = 100; !isFinished(execution.status) || (!settled(execution) && Date.now() < settledBy); wait = Math.min(wait * 2, 1000)) {
    await abortableSleep(wait, signal);
    execution = await readExecution(client, executionId, signal);
  }
  yield* nodeEventsFrom(execution.tasks ?? [], states, since);
  yield { type: 'end', execution };
  return true;
}

/** Every task has its final state: none still running, and none pending after a run that completed. */
function settled(execution: Execution): boolean {
  return (execution.tasks ?? []).every((t) => t.status !== 'running' && t.status !== 'retrying' && (execution.status !== 'completed' || t.status !== 'pending'));
}

async function* byPolling(client: Client<paths>, executionId: string, states: NodeStates, options: WatchOptions, signal?: AbortSignal): AsyncGenerator<WatchEvent, void, undefined> {
  const min = options.pollIntervalMs ?? 250;
  const max = options.maxPollIntervalMs ?? 2000;
  let interval = min;
  let lastStatus: string | undefined;
  let settleDeadline: number | undefined;
  for (;;) {
    const execution = await readExecution(client, executionId, signal);
    let changed = false;
    if (execution.status !== lastStatus) {
      if (lastStatus === undefined || !isFinished(execution.status)) yield { type: 'status', status: execution.status, at: execution.started_at ?? execution.created_at };
      lastStatus = execution.status;
      changed = true;
    }
    for (const event of nodeEventsFrom(execution.tasks ?? [], states, options.since)) {
      changed = true;
      yield event;
    }
    if (isFinished(execution.status) && (settled(execution) || Date.now() > (settleDeadline ??= Date.now() + 5000))) {
      yield { type: 'end', execution };
      return;
    }
    interval = changed ? min : Math.min(max, Math.round(interval * 1.5));
    await abortableSleep(interval, signal);
  }
}

/** Waits for the run to finish and resolves with the execution (its events go to `onEvent`). */
export async function waitForExecution(client: Client<paths>, executionId: string, options: WatchOptions & { onEvent?: (event: WatchEvent) => void }): Promise<Execution> {
  for await (const event of watchExecution(client, executionId, options)) {
    options.onEvent?.(event);
    if (event.type === 'end') return event.execution;
  }
  throw new Error(`watching ${executionId} ended without its end`);
}
