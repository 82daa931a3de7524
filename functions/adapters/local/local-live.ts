import { randomUUID } from 'node:crypto';
import type { ErrorLogger } from '../../core/logger.ts';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { LIVE_UPDATE_EVENTS } from '../../../lib/definitions/event-patterns.ts';
import { systemClock } from '../../core/clock.ts';
import { isAppError, type AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { LiveUpdates } from '../../core/live/live-updates.ts';
import { liveEventOf, type LiveMessage } from '../../core/live/messages.ts';
import type { LivePusher } from '../../core/live/ports.ts';
import { handshakeCredentials, selectedSubprotocol, verifyHandshake } from '../../core/auth/handshake.ts';
import type { CredentialVerifier } from '../../core/auth/ports.ts';
import type { ExecutionReader } from '../../core/live/live-updates.ts';
import { GATEWAY_RESPONSE_HEADERS } from './api-gateway-server.ts';
import type { LocalBus } from './local-bus.ts';
import { MemoryLiveConnectionStore } from './memory-live-connections.ts';

/** `/ws/executions/{id}` (FlowRunner: the connection watches that execution) or `/ws` (subscribe by message, as on AWS). */
const LIVE_PATH = /^\/ws(?:\/executions\/([^/]+))?\/?$/;
/** Client messages are tiny (`{"action":"subscribe",…}`); anything bigger is not one. */
const MAX_CLIENT_MESSAGE = 4 * 1024;
/** Messages held for a connection whose snapshot is not out yet; a client this far behind is dropped. */
const MAX_HELD = 1000;

/** What the handshake and the snapshot need: the REST API's verifier and executions by key. */
export interface LiveBasics {
  readonly verifier: CredentialVerifier;
  readonly executions: ExecutionReader;
}

export interface LocalLiveOptions {
  /** The verifier and execution reader (the local server's Stepwise), built on first connection. */
  deps: () => Promise<LiveBasics>;
  logger?: ErrorLogger;
}

export interface LocalLive {
  /** Closes every socket (1001 going away), so the HTTP server can close. */
  close(): void;
  readonly connections: number;
}

/**
 * Live updates in local mode, on the REST API's own port: an HTTP upgrade at `/ws/executions/{id}`
 * or `/ws`, authenticated like the REST API, then FlowRunner's messages for the events of the
 * LocalBus (the same rule pattern the AWS notifier's rule uses). Refusals happen before the upgrade,
 * as HTTP answers in the API's error shape: 401 for a missing or bad credential, 403 without the
 * `workflows:read` scope, 404 for an unknown execution or another account's.
 */
export function attachLocalLive(server: Server, bus: Pick<LocalBus, 'subscribe'>, options: LocalLiveOptions): LocalLive {
  const logger = options.logger ?? { error: (message: string, fields?: Record<string, unknown>) => console.error(message, fields ?? {}) };
  const loadDeps = options.deps;
  // The answer names `stepwise.v1` when offered, never the `bearer.<token>` credential (ws would pick the first offered).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE, handleProtocols: (_offered, req) => selectedSubprotocol(req.headers) ?? false });
  const store = new MemoryLiveConnectionStore();
  const sockets = new SocketPusher();
  let live: Promise<{ live: LiveUpdates; basics: LiveBasics }> | undefined;
  const liveUpdates = () => (live ??= loadDeps().then((basics) => ({ basics, live: new LiveUpdates({ executions: basics.executions, connections: store, pusher: sockets, clock: systemClock }) })));

  // One delivery at a time per execution: messages leave in the order the bus had the events.
  const chains = new Map<string, Promise<void>>();
  bus.subscribe('live-updates', LIVE_UPDATE_EVENTS, (event) => {
    const e = liveEventOf(event.detail);
    // Nobody has connected yet: nothing to look up.
    if (!e || !live || store.size === 0) return Promise.resolve();
    const key = `${e.accountId}/${e.executionId}`;
    const next = (chains.get(key) ?? Promise.resolve())
      .then(async () => {
        await (await liveUpdates()).live.notify(event.detail);
      })
      .catch((error: unknown) => logger.error('live updates: delivery failed', { event: e.event, execution_id: e.executionId, error: (error as Error).message }));
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
    return next;
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error handler from a socket it hands to 'upgrade': a client that resets
    // while its credential is being checked must not take the server down.
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((error: unknown) => {
      logger.error('live updates: upgrade failed', { error: (error as Error).message });
      refuse(socket, 500, 'internal_error', 'Could not open the live updates connection');
    });
  });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = LIVE_PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'not_found', `No WebSocket endpoint at ${url.pathname}; use /ws/executions/{execution_id}`);
    const executionId = match[1] === undefined ? undefined : decodePathPart(match[1]);
    // Not even decodable: no execution has that id.
    if (executionId === null) return refuse(socket, 404, 'not_found', 'Execution was not found');
    const { live: updates, basics } = await liveUpdates();
    const connectionId = randomUUID();
    sockets.open(connectionId);
    let subscribed;
    try {
      const principal = await verifyHandshake(basics.verifier, handshakeCredentials(req.headers, Object.fromEntries(url.searchParams)));
      subscribed = await updates.connect(connectionId, principal, executionId);
    } catch (error) {
      sockets.forget(connectionId);
      await updates.disconnect(connectionId);
      if (!isAppError(error)) throw error;
      return refuse(socket, error.status, error.code, error.message, error);
    }
    if (socket.destroyed) {
      // The client gave up while it was being checked.
      sockets.forget(connectionId);
      return updates.disconnect(connectionId);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.attach(connectionId, ws);
      ws.on('close', () => {
        sockets.forget(connectionId);
        void updates.disconnect(connectionId);
      });
      ws.on('error', (error) => logger.error('live updates: socket error', { error: error.message }));
      ws.on('message', (data, isBinary) => void onMessage(updates, connectionId, data, isBinary));
      sockets.release(connectionId, subscribed?.snapshot, subscribed?.final === true);
    });
  }

  /** `{"action": "subscribe", "execution_id": "exec_…"}`: the AWS API's message, accepted here too. */
  async function onMessage(updates: LiveUpdates, connectionId: string, data: RawData, isBinary: boolean): Promise<void> {
    const request = isBinary ? undefined : parse(data.toString());
    if (request?.action !== 'subscribe' || typeof request.execution_id !== 'string') {
      sockets.send(connectionId, errorMessage('invalid_request', 'Send {"action":"subscribe","execution_id":"exec_…"}'));
      return;
    }
    sockets.hold(connectionId);
    try {
      const { snapshot } = await updates.subscribe(connectionId, request.execution_id);
      sockets.release(connectionId, snapshot);
    } catch (error) {
      sockets.release(connectionId, undefined);
      if (!isAppError(error)) logger.error('live updates: subscribe failed', { error: (error as Error).message });
      sockets.send(connectionId, isAppError(error) ? errorMessage(error.code, error.message) : errorMessage('internal_error', 'Could not subscribe'));
    }
  }

  return {
    close: () => {
      sockets.closeAll();
      wss.close();
    },
    get connections() {
      return store.size;
    },
  };
}

/** A WebSocket-level error (FlowRunner names none): `{"type":"error","error":{code,message,request_id}}`. */
function errorMessage(code: string, message: string) {
  return { type: 'error', error: { code, message, request_id: newId('request') } };
}

function decodePathPart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An HTTP answer instead of the upgrade, in the API's one error shape. */
function refuse(socket: Duplex, status: number, code: string, message: string, error?: AppError): void {
  const requestId = newId('request');
  const body = JSON.stringify({ error: { code, message, request_id: requestId } });
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Request-Id': requestId,
    Connection: 'close',
    ...GATEWAY_RESPONSE_HEADERS,
    ...error?.headers,
  };
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
}

interface Entry {
  ws: WebSocket | undefined;
  /** Snapshots being read; messages wait meanwhile, so a subscriber's snapshot always comes first. */
  holds: number;
  queue: LiveMessage[];
  /** The server ended the connection while messages were held: close once they are out. */
  closing: string | undefined;
}

/** The LivePusher of local mode: the sockets themselves, with holds for snapshot-first ordering. */
class SocketPusher implements LivePusher {
  private readonly entries = new Map<string, Entry>();

  /** A connection being authenticated: held until its socket is attached and its snapshot sent. */
  open(connectionId: string): void {
    this.entries.set(connectionId, { ws: undefined, holds: 1, queue: [], closing: undefined });
  }

  attach(connectionId: string, ws: WebSocket): void {
    const entry = this.entries.get(connectionId);
    if (entry) entry.ws = ws;
  }

  hold(connectionId: string): void {
    const entry = this.entries.get(connectionId);
    if (entry) entry.holds += 1;
  }

  /**
   * Sends `first` (a snapshot) and, once nothing else is held, what waited. `endAfterFirst`: the
   * connection exists for an execution that has already finished, so its snapshot is the last word.
   */
  release(connectionId: string, first: LiveMessage | undefined, endAfterFirst = false): void {
    const entry = this.entries.get(connectionId);
    if (!entry?.ws) return;
    entry.holds = Math.max(0, entry.holds - 1);
    if (first) this.send(connectionId, first);
    if (endAfterFirst) return this.end(entry, 'execution finished');
    if (entry.holds > 0) return;
    for (const message of entry.queue.splice(0)) this.send(connectionId, message);
    if (entry.closing !== undefined) this.end(entry, entry.closing);
  }

  async push(connectionId: string, message: LiveMessage): Promise<boolean> {
    const entry = this.entries.get(connectionId);
    if (!entry) return false;
    if (entry.holds > 0) {
      if (entry.queue.length >= MAX_HELD) {
        entry.ws?.close(1008, 'too many messages waiting');
        return false;
      }
      entry.queue.push(message);
      return true;
    }
    if (entry.ws?.readyState !== WebSocket.OPEN) return false;
    entry.ws.send(JSON.stringify(message));
    return true;
  }

  async disconnect(connectionId: string, reason: string): Promise<void> {
    const entry = this.entries.get(connectionId);
    if (!entry) return;
    if (entry.holds > 0) entry.closing = reason;
    else this.end(entry, reason);
  }

  send(connectionId: string, message: unknown): void {
    const ws = this.entries.get(connectionId)?.ws;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  forget(connectionId: string): void {
    this.entries.delete(connectionId);
  }

  closeAll(): void {
    for (const entry of this.entries.values()) entry.ws?.close(1001, 'server shutting down');
    this.entries.clear();
  }

  private end(entry: Entry, reason: string): void {
    entry.queue = [];
    entry.ws?.close(1000, reason);
  }
}
