import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess } from '../../scripts/local-server-process.ts';

/** `npm start` as a user runs it: its own DynamoDB Local (no DYNAMODB_ENDPOINT), data under STEPWISE_DATA_DIR. */
const start = (dataDir: string, port: number) => startLocalServerProcess({ port, env: { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined } });

const javaFor = (dataDir: string) => {
  try {
    return execFileSync('pgrep', ['-f', join(dataDir, 'dynamodb')], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

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

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(javaFor(dataDir)).toBe('');

    const second = await start(dataDir, port);
    // Same data dir: same table items and the same signing key, so the old token still verifies.
    const again = await fetch(`${base}/api/v1/tasks/${task.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe('survives restarts');
    expect(await second.stop('SIGINT')).toBe(0);
    expect(javaFor(dataDir)).toBe('');
  }, 120_000);
});
