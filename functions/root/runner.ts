import { TaskRunner } from '../core/runner/task-runner.ts';
import { DynamoApprovalStore } from '../adapters/dynamodb/approval-store.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { JsonataWorkerPool } from '../adapters/expressions/jsonata-worker-pool.ts';
import { GuardedHttpClient } from '../adapters/net/guarded-http-client.ts';
import { slice } from './stepwise.ts';

/**
 * The task runner (the task-runner Lambda, and the local engine's Task handler). Outbound HTTP may
 * reach loopback only in local mode, and there never Stepwise's own ports (docs/api.md, "SSRF
 * guard"); link-local and metadata never.
 */
export const runnerOf = slice((stepwise): TaskRunner => {
  const { network } = stepwise.platform;
  return new TaskRunner(
    new DynamoRunJournal(stepwise.db, stepwise.table),
    stepwise.secretResolver,
    {
      http: new GuardedHttpClient({ policy: { allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts } }),
      lambda: stepwise.platform.lambdaInvoker(),
      expressions: new JsonataWorkerPool(),
      commands: stepwise.platform.commands(),
      jobLogs: stepwise.platform.jobLogs(),
      approvals: { store: new DynamoApprovalStore(stepwise.db, stepwise.table) },
    },
    stepwise.clock,
  );
});
