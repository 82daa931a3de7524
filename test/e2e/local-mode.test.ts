import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';

/** `npm start` as a user runs it: its own DynamoDB Local, data under STEPWISE_DATA_DIR. */
async function start(dataDir: string, port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = Date.now();
  // No DYNAMODB_ENDPOINT: the server starts (and must stop) its own DynamoDB Local.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DYNAMODB_ENDPOINT'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env: { ...env, PORT: String(port), STEPWISE_DATA_DIR: dataDir, STEPWISE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`local server exited: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { child, readyMs: Date.now() - started };
    } catch {
      // not yet listening
    }
    if (Date.now() - started > 60_000) throw new Error(`not ready: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const javaFor = (dataDir: string) => {
  try {
    return execFileSync('pgrep', ['-f', join(dataDir, 'dynamodb')], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  child.kill(signal);
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
}

describe('local mode (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-local-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts its own DynamoDB Local, persists data across restarts, and stops it on SIGTERM and SIGINT', async () => {
    const port = await freePort();
    const first = await start(dataDir, port);
    expect(first.readyMs).toBeLessThan(30_000);
    expect(javaFor(dataDir)).not.toBe('');
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    await post('/api/v1/auth/register', { username: 'persisted', password: 'persisted-pass' });
    const { token } = (await (await post('/api/v1/auth/login', { username: 'persisted', password: 'persisted-pass' })).json()) as { token: string };
    const task = (await (await post('/api/v1/tasks', { name: 'survives restarts' }, token)).json()) as { id: string };

    expect(await stop(first.child, 'SIGTERM')).toBe(0);
    expect(javaFor(dataDir)).toBe('');

    const second = await start(dataDir, port);
    // Same data dir: same table items and the same signing key, so the old token still verifies.
    const again = await fetch(`${base}/api/v1/tasks/${task.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe('survives restarts');
    expect(await stop(second.child, 'SIGINT')).toBe(0);
    expect(javaFor(dataDir)).toBe('');
  }, 120_000);
});
