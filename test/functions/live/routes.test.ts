import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLiveConnectionStore } from '../../../functions/adapters/local/memory-live-connections.ts';
import type { CredentialVerifier } from '../../../functions/core/auth/ports.ts';
import { unauthorized } from '../../../functions/core/errors.ts';
import type { Execution } from '../../../functions/core/executions/execution.ts';
import { newId } from '../../../functions/core/ids.ts';
import { LiveUpdates } from '../../../functions/core/live/live-updates.ts';
import { createJsonLogger as createLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { routeWebSocket, type WebSocketEvent } from '../../../functions/live/routes.ts';
import { executionAt } from '../../support/execution-fixtures.ts';
import { fixedClock, principal } from '../../support/fakes.ts';
import { MemoryExecutions } from '../../support/memory-executions.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const B = 'acct_01JBBBBBBBBBBBBBBBBBBBBBBB';
const NOW = '2026-03-01T10:00:00.000Z';
const logger = createLogger('error', () => undefined);

/** Tokens `good-a`, API keys `sk_a…`; anything else is refused like a bad signature. */
const verifier: CredentialVerifier = {
  verifyAccessToken: async (token) => {
    if (token === 'good-a') return principal({ accountId: A });
    throw unauthorized('Invalid token');
  },
  verifyApiKey: async (key) => {
    if (key.startsWith('sk_a')) return principal({ accountId: A, authMethod: 'api_key', credentialId: 'key_1' });
    throw unauthorized('Invalid API key');
  },
};

let executions: MemoryExecutions;
let connections: MemoryLiveConnectionStore;
let deps: Parameters<typeof routeWebSocket>[1];
let mine: Execution;
let theirs: Execution;

beforeEach(async () => {
  executions = new MemoryExecutions();
  connections = new MemoryLiveConnectionStore();
  const live = new LiveUpdates({ executions, connections, pusher: { push: async () => true, disconnect: async () => undefined }, clock: fixedClock(NOW) });
  deps = { verifier, live };
  mine = executionAt(A, 'wf_1', Date.parse(NOW) - 1000, { status: 'running' });
  theirs = executionAt(B, 'wf_2', Date.parse(NOW) - 1000, { status: 'running' });
  await executions.create(mine, []);
  await executions.create(theirs, []);
});

const event = (routeKey: string, extra: Partial<WebSocketEvent> = {}): WebSocketEvent => ({ requestContext: { routeKey, connectionId: 'conn-1', requestId: 'req-1' }, ...extra });
const body = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('WebSocket routes (API Gateway)', () => {
  it('$connect authenticates with Authorization: Bearer, records the connection and subscribes to ?execution_id=', async () => {
    const result = await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a' }, queryStringParameters: { execution_id: mine.id } }), deps, logger);
    expect(result).toEqual({ statusCode: 200 });
    expect(await connections.connection('conn-1')).toMatchObject({ accountId: A });
    expect(await connections.subscribers(A, mine.id)).toEqual([expect.objectContaining({ connectionId: 'conn-1', bound: true })]);
  });

  it('$connect takes ?token= (browsers cannot set headers) and X-API-Key; an sk_ token is an API key', async () => {
    expect((await routeWebSocket(event('$connect', { queryStringParameters: { token: 'good-a' } }), deps, logger)).statusCode).toBe(200);
    expect((await routeWebSocket(event('$connect', { headers: { 'x-api-key': 'sk_a.key.secret' } }), deps, logger)).statusCode).toBe(200);
    const viaQuery = vi.spyOn(verifier, 'verifyApiKey');
    expect((await routeWebSocket(event('$connect', { queryStringParameters: { token: 'sk_a.key.secret' } }), deps, logger)).statusCode).toBe(200);
    expect(viaQuery).toHaveBeenCalledWith('sk_a.key.secret');
  });

  it('$connect takes a bearer.<token> subprotocol and answers with Sec-WebSocket-Protocol: stepwise.v1, never the credential', async () => {
    const offered = await routeWebSocket(event('$connect', { headers: { 'Sec-WebSocket-Protocol': 'stepwise.v1, bearer.good-a' }, queryStringParameters: { execution_id: mine.id } }), deps, logger);
    expect(offered).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'stepwise.v1' } });
    expect(await connections.subscribers(A, mine.id)).toEqual([expect.objectContaining({ connectionId: 'conn-1' })]);
    const apiKey = vi.spyOn(verifier, 'verifyApiKey');
    expect(await routeWebSocket(event('$connect', { headers: { 'sec-websocket-protocol': 'bearer.sk_a.key.secret,stepwise.v1' } }), deps, logger)).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'stepwise.v1' } });
    expect(apiKey).toHaveBeenCalledWith('sk_a.key.secret');
    // The header credential wins; no subprotocol offered, none answered.
    expect(await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a', 'Sec-WebSocket-Protocol': 'bearer.forged' } }), deps, logger)).toEqual({ statusCode: 200 });
    const forged = await routeWebSocket(event('$connect', { headers: { 'Sec-WebSocket-Protocol': 'stepwise.v1, bearer.forged' } }), deps, logger);
    expect(forged.statusCode).toBe(401);
    expect(forged.headers).toBeUndefined();
    expect((await routeWebSocket(event('$connect', { headers: { 'Sec-WebSocket-Protocol': 'stepwise.v1, bearer.' } }), deps, logger)).statusCode).toBe(401);
  });

  it('$connect refuses a missing or bad credential with 401, and another account’s execution with 404', async () => {
    const missing = await routeWebSocket(event('$connect'), deps, logger);
    expect(missing.statusCode).toBe(401);
    expect(body(missing)).toMatchObject({ type: 'error', error: { code: 'unauthorized', request_id: 'req-1' } });
    expect((await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer forged' } }), deps, logger)).statusCode).toBe(401);
    const foreign = await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a' }, queryStringParameters: { execution_id: theirs.id } }), deps, logger);
    expect(foreign.statusCode).toBe(404);
    expect(body(foreign).error.code).toBe('not_found');
    expect(connections.size).toBe(0);
  });

  it('subscribe answers with the snapshot; only the connection’s own account; bad messages get an error message', async () => {
    await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a' } }), deps, logger);
    const ok = await routeWebSocket(event('subscribe', { body: JSON.stringify({ action: 'subscribe', execution_id: mine.id }) }), deps, logger);
    expect(ok.statusCode).toBe(200);
    expect(body(ok)).toEqual({ type: 'execution_update', execution_id: mine.id, status: 'running', node_id: null, node_type: null, timestamp: NOW });
    const foreign = await routeWebSocket(event('subscribe', { body: JSON.stringify({ action: 'subscribe', execution_id: theirs.id }) }), deps, logger);
    const unknown = await routeWebSocket(event('subscribe', { body: JSON.stringify({ action: 'subscribe', execution_id: newId('execution') }) }), deps, logger);
    expect([foreign.statusCode, unknown.statusCode]).toEqual([404, 404]);
    const extra = await routeWebSocket(event('subscribe', { body: JSON.stringify({ action: 'subscribe', execution_id: mine.id, account_id: B }) }), deps, logger);
    expect(body(extra).error.code).toBe('invalid_request');
    expect(body(await routeWebSocket(event('subscribe', { body: 'not json' }), deps, logger)).error.code).toBe('invalid_request');
    expect(body(await routeWebSocket(event('$default', { body: '{"action":"dance"}' }), deps, logger)).error.code).toBe('invalid_request');
  });

  it('subscribe on a connection that never authenticated is unauthorized', async () => {
    const result = await routeWebSocket(event('subscribe', { body: JSON.stringify({ action: 'subscribe', execution_id: mine.id }) }), deps, logger);
    expect(body(result).error.code).toBe('unauthorized');
  });

  it('$disconnect forgets the connection; an unexpected failure is a 500 without details', async () => {
    await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a' }, queryStringParameters: { execution_id: mine.id } }), deps, logger);
    expect(await routeWebSocket(event('$disconnect'), deps, logger)).toEqual({ statusCode: 200 });
    expect(connections.size).toBe(0);
    vi.spyOn(executions, 'get').mockRejectedValueOnce(new Error('table down'));
    const failed = await routeWebSocket(event('$connect', { headers: { Authorization: 'Bearer good-a' }, queryStringParameters: { execution_id: mine.id } }), deps, logger);
    expect(failed.statusCode).toBe(500);
    expect(body(failed).error).toEqual({ code: 'internal_error', message: 'Internal error', request_id: 'req-1' });
  });
});
