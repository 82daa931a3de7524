import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';

/** Runs `bin/local.ts` in its own process, so the load generator does not share its event loop. */
export async function startServer(dynamoEndpoint: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    // Limits far above what the run can reach: the limiter still makes its one write per request
    // (part of the API's real cost), but no request is refused.
    env: { ...process.env, PORT: String(port), STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: dynamoEndpoint, STEPWISE_QUIET: '1', RATE_LIMIT_FREE: '1000000', RATE_LIMIT_ANONYMOUS: '1000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('bench server exited');
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (i > 600) throw new Error('bench server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
