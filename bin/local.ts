import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { startLocalStepwise } from '../functions/root/local-stepwise.ts';

/** `npm start`: the whole API on 127.0.0.1 with DynamoDB Local, no AWS account needed. */
const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    STEPWISE_DATA_DIR: z.string().min(1).default('.stepwise'),
    DYNAMODB_ENDPOINT: z.url().optional(),
    STEPWISE_QUIET: z.enum(['0', '1']).default('0'),
    /** Scales Wait states and retry intervals of local runs; 1 is real time (tests may speed it up). */
    STEPWISE_TIME_SCALE: z.coerce.number().positive().max(1).default(1),
    /** The table in DynamoDB Local (default stepwise-local); a second server on a shared DynamoDB Local (tests) picks its own. */
    STEPWISE_TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).optional(),
    /** The local S3-compatible store on 127.0.0.1 (docs/api.md, "Local object store"); 0 picks a free port. */
    STEPWISE_S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  })
  .parse(process.env);

// Local mode supports Node 20.19+ on purpose; the SDK's Node 22 notice is noise here (Lambda runs 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const started = performance.now();

try {
  const app = await startLocalStepwise({
    port: env.PORT,
    dataDir: env.STEPWISE_DATA_DIR,
    version,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT,
    timeScale: env.STEPWISE_TIME_SCALE,
    // The operator's settings (LOG_LEVEL, RATE_LIMIT_*, CHAT_ENGINE, …), read once here.
    settings: process.env,
    ...(env.STEPWISE_TABLE_NAME ? { tableName: env.STEPWISE_TABLE_NAME } : {}),
    objectStorePort: env.STEPWISE_S3_PORT,
    onRequest:
      env.STEPWISE_QUIET === '1'
        ? undefined
        : ({ method, path, status, ms }) => console.info(`${method} ${path} → ${status} (${ms.toFixed(1)} ms)`),
  });
  console.info(`Stepwise ${version} local API ready at ${app.url} in ${Math.round(performance.now() - started)} ms (data: ${env.STEPWISE_DATA_DIR}; object store: ${app.objectStoreEndpoint})`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal}: stopping Stepwise and DynamoDB Local…`);
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  console.error(`Stepwise could not start: ${(error as Error).message}`);
  process.exit(1);
}
