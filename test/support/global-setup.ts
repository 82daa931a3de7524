import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess } from '../../scripts/local-server-process.ts';

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
  // Earlier servers' recordings: this run's server writes its own.
  const recordings = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'stepwise-sdk-calls');
  for (const f of existsSync(recordings) ? readdirSync(recordings) : []) if (f.startsWith('local-server-')) rmSync(join(recordings, f));
  const dynamo = await startDynamoDbLocal();
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-e2e-'));
  const server = await startLocalServerProcess({
    env: {
      STEPWISE_DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      PLATFORM_ADMINS: 'e2e-operator',
      // Every e2e file registers and logs in from 127.0.0.1, far beyond 20 anonymous requests a
      // minute; the real anonymous limit is exercised by test/e2e/rate-limit.test.ts on its own server.
      RATE_LIMIT_ANONYMOUS: '100000',
      // Records the DynamoDB calls adapters make while serving, for the deploy check (test/support/sdk-recorder.ts).
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${new URL('./sdk-recorder-process.mjs', import.meta.url).href}`].filter(Boolean).join(' '),
    },
  });
  const baseUrl = server.url;
  project.provide('baseUrl', baseUrl);
  project.provide('dynamoEndpoint', dynamo.endpoint);

  return async () => {
    await server.stop();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
