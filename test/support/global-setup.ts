import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
