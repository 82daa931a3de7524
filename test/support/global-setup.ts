import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess } from '../../scripts/local-server-process.ts';
import { startValidatingProxy } from './validating-proxy.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The validating proxy in front of the server: every response is checked against the OpenAPI document. */
    baseUrl: string;
    /** The server itself (tests that must see it without the proxy, such as its own address). */
    serverUrl: string;
    dynamoEndpoint: string;
    /** The server's local S3-compatible store (docs/api.md, "Local object store"). */
    objectStoreEndpoint: string;
  }
}

/**
 * One DynamoDB Local and one real `bin/local.ts` server for the whole run: the server is started
 * exactly as `npm start` starts it, as a child process on a free port, behind a validating proxy
 * that checks every response against the server's OpenAPI document.
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
  const proxy = await startValidatingProxy(server.url);
  project.provide('baseUrl', proxy.url);
  project.provide('serverUrl', server.url);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('objectStoreEndpoint', server.objectStoreEndpoint);

  return async () => {
    await proxy.close();
    await server.stop();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
    // Zero contract violations over the whole e2e traffic (test/support/contract.ts); each file also
    // fails on its own (test/support/contract-setup.ts), since vitest only logs teardown errors.
    const violations = proxy.violations();
    if (violations.length) throw new Error(`${violations.length} responses broke the OpenAPI document:\n${violations.flatMap((v) => v.problems).join('\n')}`);
  };
}
