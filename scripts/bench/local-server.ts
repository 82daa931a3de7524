import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServerProcess } from '../local-server-process.ts';

/** Runs `bin/local.ts` in its own process, so the load generator does not share its event loop. */
export async function startServer(dynamoEndpoint: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  const server = await startLocalServerProcess({
    // Limits far above what the run can reach: the limiter still makes its one write per request
    // (part of the API's real cost), but no request is refused.
    env: { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: dynamoEndpoint, RATE_LIMIT_FREE: '1000000', RATE_LIMIT_ACCOUNT_FREE: '1000000', RATE_LIMIT_ANONYMOUS: '1000000', ...options.env },
    inheritOutput: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return {
    url: server.url,
    pid: server.child.pid!,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
