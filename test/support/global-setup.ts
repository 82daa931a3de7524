import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startDynamoDbLocal } from '../../functions/adapters/local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoEndpoint: string;
  }
}

/**
 * One DynamoDB Local and one real `bin/local.ts` server for the whole run: the server is started
 * exactly as `npm start` starts it, as a child process on a free port.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-e2e-'));
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      STEPWISE_DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      STEPWISE_QUIET: '1',
      PLATFORM_ADMINS: 'e2e-operator',
      // Every e2e file registers and logs in from 127.0.0.1, far beyond 20 anonymous requests a
      // minute; the real anonymous limit is exercised by test/e2e/rate-limit.test.ts on its own server.
      RATE_LIMIT_ANONYMOUS: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`local server exited early:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`local server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('baseUrl', baseUrl);
  project.provide('dynamoEndpoint', dynamo.endpoint);

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
