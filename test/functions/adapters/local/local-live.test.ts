import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LocalBus } from '../../../../functions/adapters/local/local-bus.ts';
import { attachLocalLive, type LocalLive } from '../../../../functions/adapters/local/local-live.ts';
import type { CredentialVerifier } from '../../../../functions/core/auth/ports.ts';
import { unauthorized } from '../../../../functions/core/errors.ts';
import type { PublishedEvent } from '../../../../functions/core/events/catalog.ts';
import type { Execution } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { executionAt } from '../../../support/execution-fixtures.ts';
import { principal } from '../../../support/fakes.ts';
import { MemoryExecutions } from '../../../support/memory-executions.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const B = 'acct_01JBBBBBBBBBBBBBBBBBBBBBBB';

const verifier: CredentialVerifier = {
  verifyAccessToken: async (token) => {
    if (token === 'token-a') return principal({ accountId: A });
    throw unauthorized('Invalid token');
  },
  verifyApiKey: async () => {
    throw unauthorized('Invalid API key');
  },
};

const event = (accountId: string, name: PublishedEvent['event'], data: Record<string, unknown>): PublishedEvent => ({ id: newId('event'), event: name, timestamp: new Date().toISOString(), account_id: accountId, data });

let server: Server;
let bus: LocalBus;
let live: LocalLive;
let executions: MemoryExecutions;
let mine: Execution;
let base: string;

beforeEach(async () => {
  executions = new MemoryExecutions();
  mine = executionAt(A, 'wf_1', Date.now() - 1000, { status: 'running' });
  await executions.create(mine, []);
  bus = new LocalBus();
  server = createServer((_req, res) => res.end('rest'));
  live = attachLocalLive(server, bus, { deps: async () => ({ verifier, executions }), logger: { error: () => undefined } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  live.close();
  await new Promise<void>((r) => server.close(() => r()));
});

interface Client {
  socket: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
}

function open(path: string, headers: Record<string, string> = { Authorization: 'Bearer token-a' }, protocols: string[] = []): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base}${path}`, protocols, { headers });
    const messages: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => socket.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.on('open', () => resolve({ socket, messages, closed }));
    socket.on('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
    socket.on('error', reject);
  });
}
const statusOf = (promise: Promise<unknown>) => promise.then(() => 101, (e: { status?: number }) => e.status);

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('attachLocalLive', () => {
  it('sends the state now, then the bus events of the execution, and closes after the final message', async () => {
    const client = await open(`/ws/executions/${mine.id}`);
    await until(() => client.messages.length === 1);
    expect(client.messages[0]).toMatchObject({ type: 'execution_update', execution_id: mine.id, status: 'running', node_id: null });
    await bus.publish([event(A, 'task.started', { execution_id: mine.id, node_id: 'a', type: 'transform' })]);
    await bus.publish([event(A, 'execution.log', { execution_id: mine.id, level: 'info', message: 'hello', node_id: 'a', node_type: 'transform', data: null })]);
    executions.executions.set(mine.id, { ...mine, status: 'completed', result: { ok: true } });
    await bus.publish([event(A, 'workflow.completed', { execution_id: mine.id, status: 'completed' })]);
    expect(await client.closed).toEqual({ code: 1000, reason: 'execution finished' });
    expect(client.messages.map((m) => m.type)).toEqual(['execution_update', 'execution_update', 'log', 'execution_completed']);
    expect(client.messages[3]).toMatchObject({ result: { ok: true } });
    expect(live.connections).toBe(0);
  });

  it('holds events that arrive while the state is being read, so the state always comes first', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const get = executions.get.bind(executions);
    let calls = 0;
    executions.get = async (accountId, id) => {
      // The second read is the snapshot's (the first is the tenancy check): stall it.
      if ((calls += 1) === 2) await gate;
      return get(accountId, id);
    };
    const opening = open(`/ws/executions/${mine.id}`);
    await until(() => calls === 2);
    await bus.publish([event(A, 'task.started', { execution_id: mine.id, node_id: 'a', type: 'transform' })]);
    await new Promise((r) => setTimeout(r, 50));
    release();
    const client = await opening;
    await until(() => client.messages.length === 2);
    expect(client.messages.map((m) => [m.type, m.node_id])).toEqual([
      ['execution_update', null],
      ['execution_update', 'a'],
    ]);
    client.socket.close();
  });

  it('refuses before the upgrade: 401 without or with a bad credential, 404 for another account’s execution or another path', async () => {
    expect(await statusOf(open(`/ws/executions/${mine.id}`, {}))).toBe(401);
    expect(await statusOf(open(`/ws/executions/${mine.id}`, { Authorization: 'Bearer forged' }))).toBe(401);
    const theirs = executionAt(B, 'wf_2', Date.now(), { status: 'running' });
    await executions.create(theirs, []);
    expect(await statusOf(open(`/ws/executions/${theirs.id}`))).toBe(404);
    expect(await statusOf(open('/ws/elsewhere'))).toBe(404);
    expect(await statusOf(open(`/ws/executions/${mine.id}?token=token-a`, {}))).toBe(101);
    // Another account's events never reach this account's subscriber.
    const client = await open(`/ws/executions/${mine.id}`);
    await bus.publish([event(B, 'workflow.started', { execution_id: mine.id })]);
    await bus.drain();
    await new Promise((r) => setTimeout(r, 50));
    expect(client.messages).toHaveLength(1);
    client.socket.close();
  });

  it('takes the credential as a bearer.<token> subprotocol (a browser, without a URL token) and answers stepwise.v1 only', async () => {
    const client = await open(`/ws/executions/${mine.id}`, {}, ['stepwise.v1', 'bearer.token-a']);
    expect(client.socket.protocol).toBe('stepwise.v1');
    await until(() => client.messages.length === 1);
    expect(client.messages[0]).toMatchObject({ type: 'execution_update', execution_id: mine.id });
    client.socket.close();
    // The credential offered first is still never the answer.
    const reversed = await open('/ws', {}, ['bearer.token-a', 'stepwise.v1']);
    expect(reversed.socket.protocol).toBe('stepwise.v1');
    reversed.socket.close();
    expect(await statusOf(open(`/ws/executions/${mine.id}`, {}, ['stepwise.v1', 'bearer.forged']))).toBe(401);
    expect(await statusOf(open(`/ws/executions/${mine.id}`, {}, ['stepwise.v1']))).toBe(401);
    // Offering no stepwise.v1 selects nothing, which a WebSocket client refuses (RFC 6455 §4.1).
    await expect(open(`/ws/executions/${mine.id}`, {}, ['bearer.token-a'])).rejects.toThrow(/no subprotocol|Server sent no subprotocol/i);
  });

  it('closes every socket when the server stops (so the HTTP server can close)', async () => {
    const client = await open('/ws');
    live.close();
    expect((await client.closed).code).toBe(1001);
  });
});
