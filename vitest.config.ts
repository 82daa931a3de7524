import { defineConfig } from 'vitest/config';

// The SDK warns that Node 20 support ends in 2027; local mode targets Node 20.19+ on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Two projects: fast tests that need nothing running, and integration/end-to-end tests that share
 * one DynamoDB Local and one real local server per run (started in test/support/global-setup.ts).
 */
export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: one worker on these 2-core machines. Most
    // e2e time is spent waiting on the server, DynamoDB Local or a run, so two files at a time
    // overlap those waits (docs/architecture.md#tests).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // Nothing here runs a server or keeps state between files, so one worker runs many files
          // without a new process and module graph for each: half the project's CPU time (docs/architecture.md#tests).
          isolate: false,
          exclude: ['test/e2e/**', 'test/**/*.int.test.ts', 'test/deploy/**', 'node_modules/**'],
          // Records the SDK commands adapters send, for the deploy check (test/support/sdk-recorder.ts).
          setupFiles: ['test/support/sdk-recorder.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/**/*.int.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // The SDK recorder (deploy check), and a file fails when traffic during it broke the OpenAPI document (test/support/contract.ts).
          setupFiles: ['test/support/sdk-recorder.ts', 'test/support/contract-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The offline deploy check reads what the other projects recorded, so it runs after them.
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
