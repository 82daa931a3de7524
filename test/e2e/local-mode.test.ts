import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServerProcess } from '../../scripts/local-server-process.ts';
import { apiAt, newAccount } from '../support/api-client.ts';
import { eventually } from '../support/polling.ts';
import { processAlive } from '../../functions/adapters/local/data-dir-lock.ts';

const newAccountAt = (baseUrl: string) => newAccount('local', baseUrl);

/**
 * `npm start` as a user runs it: its own DynamoDB Local (no DYNAMODB_ENDPOINT), data under
 * STEPWISE_DATA_DIR. Each start on ports of its own: a port kept across a restart could be taken by
 * another test file's server meanwhile.
 */
const start = (dataDir: string) => startLocalServerProcess({ env: { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined } });

const javaFor = (dataDir: string) => {
  try {
    return execFileSync('pgrep', ['-f', join(dataDir, 'dynamodb')], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** Resolves with the connection's outcome: 'connected' or the error code. */
const tryConnect = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

const portOf = (pid: string) => Number(/-port (\d+)/.exec(execFileSync('ps', ['-o', 'args=', '-p', pid], { encoding: 'utf8' }))?.[1]);


describe('local mode (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-local-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // One server start serves several checks: each start costs a DynamoDB Local boot, the longest part of this file.
  it('starts its own DynamoDB Local on 127.0.0.1 only, persists data across restarts, refuses a second server on its data dir, and stops DynamoDB Local on SIGTERM and SIGINT', async () => {
    const first = await start(dataDir);
    expect(first.readyMs).toBeLessThan(30_000);
    const pid = javaFor(dataDir);
    expect(pid).toMatch(/^\d+$/);

    // DynamoDB Local listens on 127.0.0.1 only: this machine's other addresses are refused.
    const dynamoPort = portOf(pid);
    expect(await tryConnect('127.0.0.1', dynamoPort)).toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80'))
      .map((a) => a!.address);
    expect(others.length).toBeGreaterThan(0);
    for (const address of others) expect([address, await tryConnect(address, dynamoPort)]).toEqual([address, 'ECONNREFUSED']);

    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${first.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    await post('/api/v1/auth/register', { username: 'persisted', password: 'persisted-pass' });
    const { token } = (await (await post('/api/v1/auth/login', { username: 'persisted', password: 'persisted-pass' })).json()) as { token: string };
    const task = (await (await post('/api/v1/tasks', { name: 'survives restarts' }, token)).json()) as { id: string };

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(javaFor(dataDir)).toBe('');

    const second = await start(dataDir);
    // Same data dir: same table items and the same signing key, so the old token still verifies.
    const again = await fetch(`${second.url}/api/v1/tasks/${task.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe('survives restarts');

    // A second server on the data dir in use refuses to start, naming the server that holds it.
    const error = await start(dataDir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`is in use by another Stepwise local server (pid ${second.child.pid}`);
    expect(javaFor(dataDir).split('\n')).toHaveLength(1);
    expect((await fetch(`${second.url}/health`)).status).toBe(200);

    expect(await second.stop('SIGINT')).toBe(0);
    expect(javaFor(dataDir)).toBe('');
  }, 180_000);

  // One data dir through three starts (each boots a DynamoDB Local): a stale, stopped DynamoDB Local
  // left by a SIGKILL, then a SIGKILL whose DynamoDB Local goes with it.
  it('a start that finds a stale DynamoDB Local stops it; SIGKILL of the server takes its DynamoDB Local with it; every next start serves the same data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-kill-'));
    try {
      const first = await start(dir);
      const stale = Number(javaFor(dir));
      expect(stale).toBeGreaterThan(0);
      const { client: before, token } = await newAccountAt(first.url);
      const client = (server: { url: string }) => apiAt(server.url, token);
      const task = await before.post('/api/v1/tasks', { name: 'written before the crashes' });
      expect(task.status).toBe(201);
      // A DynamoDB Local that cannot notice its parent died (stopped), like one an older version left running.
      process.kill(stale, 'SIGSTOP');
      await first.stop('SIGKILL');
      expect(processAlive(stale)).toBe(true);

      const second = await start(dir);
      expect(processAlive(stale)).toBe(false);
      expect(second.output()).toContain(`Stopped a DynamoDB Local (pid ${stale})`);
      expect((await client(second).get(`/api/v1/tasks/${task.body.id}`)).status).toBe(200);
      // One DynamoDB Local on the files: writes work (two of them made writes fail with InternalFailure).
      const between = await client(second).post('/api/v1/tasks', { name: 'written between the crashes' });
      expect(between.status).toBe(201);
      expect(javaFor(dir).split('\n')).toHaveLength(1);
      const java = Number(javaFor(dir));

      await second.stop('SIGKILL');
      // The launcher's watchdog sees its stdin close; no parentless DynamoDB Local keeps serving the files.
      expect(await eventually(async () => processAlive(java), (up) => !up, { timeoutMs: 30_000 })).toBe(false);

      const third = await start(dir);
      expect((await client(third).get(`/api/v1/tasks/${task.body.id}`)).status).toBe(200);
      expect((await client(third).get(`/api/v1/tasks/${between.body.id}`)).status).toBe(200);
      expect((await client(third).post('/api/v1/tasks', { name: 'written after the restarts' })).status).toBe(201);
      expect(javaFor(dir).split('\n')).toHaveLength(1);
      expect(await third.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
