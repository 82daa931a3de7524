import { TaskRunner } from '../core/runner/task-runner.ts';
import { S3ObjectStore } from '../adapters/local/local-s3-object-store.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { JsonataWorkerPool } from '../adapters/expressions/jsonata-worker-pool.ts';
import { GuardedHttpClient } from '../adapters/net/guarded-http-client.ts';
import { modelsOf } from './models.ts';
import { slice } from './stepwise.ts';

/**
 * The task runner (the task-runner Lambda, and the local engine's Task handler). Outbound HTTP may
 * reach loopback only in local mode, and there never Stepwise's own ports (docs/api.md, "SSRF
 * guard"); link-local and metadata never.
 */
export const runnerOf = slice((stepwise): TaskRunner => {
  const { network } = stepwise.platform;
  const { config } = stepwise;
  return new TaskRunner(
    new DynamoRunJournal(stepwise.db, stepwise.table),
    stepwise.secretResolver,
    {
      http: new GuardedHttpClient({ policy: { allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts } }),
      lambda: stepwise.platform.lambdaInvoker(),
      expressions: new JsonataWorkerPool(),
      commands: stepwise.platform.commands(),
      jobLogs: stepwise.platform.jobLogs(),
      // Local mode's object store; on AWS SageMaker reads datasets and writes models (no S3 call from the runner).
      objects: config.S3_ENDPOINT ? new S3ObjectStore({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }) : undefined,
      models: modelsOf(stepwise),
    },
    stepwise.clock,
  );
});

