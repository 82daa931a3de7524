import { TaskRunner } from '../core/runner/task-runner.ts';
import { DynamoApprovalStore } from '../adapters/dynamodb/approval-store.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { DynamoEmailTemplateRepository } from '../adapters/dynamodb/email-template-repository.ts';
import { DynamoOutbox } from '../adapters/dynamodb/outbox-repository.ts';
import { DynamoDataSourceRepository } from '../adapters/dynamodb/data-source-repository.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { PgSqlClient } from '../adapters/sql/pg-sql-client.ts';
import { LOCAL_DATA_SOURCE } from '../core/data-sources/data-source.ts';
import { builtInDataSource } from './data-sources.ts';
import { JsonataWorkerPool } from '../adapters/expressions/jsonata-worker-pool.ts';
import { GuardedHttpClient } from '../adapters/net/guarded-http-client.ts';
import { QuickJsScriptEvaluator } from '../adapters/scripts/quickjs-script-evaluator.ts';
import { executionsOf } from './executions.ts';
import { slice, type Stepwise } from './stepwise.ts';
import type { ExecutorDeps } from '../core/runner/executors.ts';
import { modelsOf } from './models.ts';
import { StoreDataStores } from '../adapters/etl/data-stores.ts';

/** AWS: etl runs inside the task runner Lambda (15 min timeout), so it stops itself with a clear error first (docs/deploy.md, "etl placement"). */
const AWS_MAX_ETL_MS = 14 * 60_000;

/**
 * The task runner (the task-runner Lambda, and the local engine's Task handler). Outbound HTTP may
 * reach loopback only in local mode, and there never Stepwise's own ports (docs/api.md, "SSRF
 * guard"); link-local and metadata never.
 */
function emailDeps(stepwise: Stepwise): ExecutorDeps['email'] {
  const sender = stepwise.platform.mailSender(new DynamoOutbox(stepwise.db, stepwise.table));
  return sender ? { templates: new DynamoEmailTemplateRepository(stepwise.db, stepwise.table), sender } : undefined;
}

function localPostgresEndpoint(stepwise: Stepwise): string | undefined {
  const local = stepwise.platform.localPostgres();
  return local ? new URL(local.url).host : undefined;
}

function dataDeps(stepwise: Stepwise, sql: PgSqlClient): NonNullable<ExecutorDeps['data']> {
  const sources = new DynamoDataSourceRepository(stepwise.db, stepwise.table);
  const executions = new DynamoExecutionRepository(stepwise.db, stepwise.table);
  return {
    source: async (accountId, name) => (name === LOCAL_DATA_SOURCE ? builtInDataSource(stepwise, accountId) : undefined) ?? sources.get(accountId, name),
    sql,
    lastSuccessfulRun: async (accountId, workflowId) => {
      const page = await executions.list(accountId, { workflowId, status: 'completed' }, { limit: 1, offset: 0, cursor: undefined });
      const last = page.items[0];
      return last ? (last.startedAt ?? last.createdAt) : undefined;
    },
  };
}

/**
 * etl's stores. Local mode: the local object store and DynamoDB Local (any table but Stepwise's own). AWS: S3 and
 * DynamoDB with the task runner's role, which reaches only the stage's data bucket under etl/ and tables named
 * DATA_TABLE_PREFIX… (lib/workflow-stack.ts); core checks the account's part of both names.
 */
function etlDeps(stepwise: Stepwise, sql: PgSqlClient): ExecutorDeps['etl'] {
  const { config } = stepwise;
  return {
    stores: new StoreDataStores({ s3: { region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }, sql, db: stepwise.db }),
    // Scoped whenever the names are configured (data:move requires both on AWS), whatever S3 endpoint
    // is in use: an S3-compatible or VPC endpoint must not switch the account checks off. Local mode
    // sets neither (docs/api.md#etl: a local server has one developer).
    scope: { bucket: config.DATA_BUCKET, userTablePrefix: config.DATA_TABLE_PREFIX, reservedTables: [stepwise.table] },
  };
}

export const runnerOf = slice((stepwise): TaskRunner => {
  const { network } = stepwise.platform;
  const { config } = stepwise;
  const sql = new PgSqlClient({ allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts }, localPostgresEndpoint(stepwise));
  return new TaskRunner(
    new DynamoRunJournal(stepwise.db, stepwise.table),
    stepwise.secretResolver,
    {
      http: new GuardedHttpClient({ policy: { allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts } }),
      lambda: stepwise.platform.lambdaInvoker(),
      expressions: new JsonataWorkerPool(),
      scripts: new QuickJsScriptEvaluator(),
      commands: stepwise.platform.commands(),
      jobLogs: stepwise.platform.jobLogs(),
      // subworkflow nodes write child records through the execution service, built only when one runs.
      children: {
        prepareChild: (start) => executionsOf(stepwise).executions.prepareChild(start),
        childResult: (accountId, executionId) => executionsOf(stepwise).executions.childResult(accountId, executionId),
        abandonChild: (accountId, executionId, reason) => executionsOf(stepwise).executions.abandonChild(accountId, executionId, reason),
      },
      email: emailDeps(stepwise),
      data: dataDeps(stepwise, sql),
      etl: etlDeps(stepwise, sql),
      ...(config.S3_ENDPOINT ? {} : { limits: { maxEtlMs: AWS_MAX_ETL_MS } }),
      // Local mode trains here; on AWS SageMaker reads datasets and writes models (no S3 call from the runner).
      training: stepwise.platform.training(),
      models: modelsOf(stepwise),
      approvals: { store: new DynamoApprovalStore(stepwise.db, stepwise.table) },
    },
    stepwise.clock,
  );
});

