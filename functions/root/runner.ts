import { TaskRunner } from '../core/runner/task-runner.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { DynamoEmailTemplateRepository } from '../adapters/dynamodb/email-template-repository.ts';
import { DynamoOutbox } from '../adapters/dynamodb/outbox-repository.ts';
import { JsonataWorkerPool } from '../adapters/expressions/jsonata-worker-pool.ts';
import { GuardedHttpClient } from '../adapters/net/guarded-http-client.ts';
import { QuickJsScriptEvaluator } from '../adapters/scripts/quickjs-script-evaluator.ts';
import { slice, type Stepwise } from './stepwise.ts';
import type { ExecutorDeps } from '../core/runner/executors.ts';

/**
 * The task runner (the task-runner Lambda, and the local engine's Task handler). Outbound HTTP may
 * reach loopback only in local mode, and there never Stepwise's own ports (docs/api.md, "SSRF
 * guard"); link-local and metadata never.
 */
function emailDeps(stepwise: Stepwise): ExecutorDeps['email'] {
  const sender = stepwise.platform.mailSender(new DynamoOutbox(stepwise.db, stepwise.table));
  return sender ? { templates: new DynamoEmailTemplateRepository(stepwise.db, stepwise.table), sender } : undefined;
}

export const runnerOf = slice((stepwise): TaskRunner => {
  const { network } = stepwise.platform;
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
      email: emailDeps(stepwise),
    },
    stepwise.clock,
  );
});
