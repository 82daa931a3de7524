import { systemClock } from '../core/clock.ts';
import type { LambdaInvoker } from '../core/runner/ports.ts';
import { TaskRunner } from '../core/runner/task-runner.ts';
import { AwsLambdaInvoker } from './aws/lambda-invoker.ts';
import { CloudWatchJobLogs } from './aws/cloudwatch-job-logs.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoRunJournal } from './dynamodb/run-journal.ts';
import { lazy } from './lazy.ts';
import { LocalLambdaInvoker } from './local/local-lambda-invoker.ts';
import { ChildProcessCommands } from './local/child-process-commands.ts';
import { join } from 'node:path';
import { JsonataWorkerPool } from './expressions/jsonata-worker-pool.ts';
import { GuardedHttpClient } from './net/guarded-http-client.ts';

let runner: TaskRunner | undefined;

/**
 * The task runner's wiring (the task-runner Lambda, and the local engine's Task handler). Outbound
 * HTTP may reach loopback only in local mode, and there never Stepwise's own ports (docs/api.md, "SSRF
 * guard"); link-local and metadata never.
 */
export function taskRunner(): TaskRunner {
  if (!runner) {
    const { config, db, secretResolver } = container();
    runner = new TaskRunner(
      new DynamoRunJournal(db, config.TABLE_NAME),
      secretResolver,
      {
        http: new GuardedHttpClient({ policy: { allowLoopback: config.STEPWISE_MODE === 'local', reservedLoopbackPorts: config.reservedPorts } }),
        lambda: lambdaFor(config),
        expressions: new JsonataWorkerPool(),
        // generic/ci: child processes in local mode; on AWS the state machine runs them in CodeBuild.
        commands:
          config.STEPWISE_MODE === 'local' && config.STEPWISE_LOCAL_JOBS === 'on'
            ? new ChildProcessCommands({ workRoot: join(config.STEPWISE_DATA_DIR, 'jobs'), path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' })
            : undefined,
        // AWS: a finished job's stdout and commit come from its CodeBuild log.
        jobLogs: config.STEPWISE_MODE === 'local' ? undefined : new CloudWatchJobLogs(lazy(async () => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({ region: config.AWS_REGION }))),
      },
      systemClock,
    );
  }
  return runner;
}

function lambdaFor(config: Config): LambdaInvoker {
  if (config.STEPWISE_MODE === 'local') return new LocalLambdaInvoker();
  return new AwsLambdaInvoker(lazy(async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({ region: config.AWS_REGION })));
}
