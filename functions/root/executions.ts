import { ExecutionService } from '../core/executions/execution-service.ts';
import { ExecutionStatusService } from '../core/executions/execution-status.ts';
import { RunRecovery } from '../core/executions/recovery.ts';
import type { RunStatsStore } from '../core/executions/run-stats.ts';
import { ExecutionTransitions } from '../core/executions/transitions.ts';
import { ExecutionRollupObserver } from '../core/insight/rollups.ts';
import { ApprovalService } from '../core/approvals/approval-service.ts';
import { DynamoApprovalStore } from '../adapters/dynamodb/approval-store.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { DynamoIdentityRepository } from '../adapters/dynamodb/identity-repository.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import { DynamoRollupStore } from '../adapters/dynamodb/rollup-store.ts';
import { DynamoRunStatsStore } from '../adapters/dynamodb/run-stats-store.ts';
import type { ModelRegistry } from '../core/runner/ports.ts';
import { modelsOf } from './models.ts';
import { slice } from './stepwise.ts';
import { workflowRepositoryOf } from './repositories.ts';

/** Runs: the executions API, `run: true` on workflow creation, triggers, chat, and the execution-events consumer. */
export interface Executions {
  readonly executions: ExecutionService;
  readonly status: ExecutionStatusService;
  /** Last run and outcome counts per workflow (workflow views, metrics). */
  readonly runStats: RunStatsStore;
  /** Local mode: what to do with runs a restart of the local server interrupted. */
  readonly recovery: RunRecovery;
  readonly repository: DynamoExecutionRepository;
  readonly models: Pick<ModelRegistry, 'list'> | undefined;
  /** Decisions on approval nodes (GET /approvals, POST /executions/{id}/approvals/{node_id}). */
  readonly approvals: ApprovalService;
}

export const executionsOf = slice((stepwise): Executions => {
  const { db, table, clock } = stepwise;
  const repository = new DynamoExecutionRepository(db, table);
  const workflows = workflowRepositoryOf(stepwise);
  const runStats = new DynamoRunStatsStore(db, table);
  const approvalStore = new DynamoApprovalStore(db, table);
  // Rollups for insight analytics sit next to the run stats: both are kept on each applied change.
  const rollups = new ExecutionRollupObserver(new DynamoRollupStore(db, table));
  const transitions = new ExecutionTransitions(repository, clock, [runStats, rollups], stepwise.logger);
  const engine = stepwise.platform.engine(async (accountId, workflowId, version) => {
    const found = await workflows.version(accountId, workflowId, version);
    if (!found) throw new Error(`Workflow ${workflowId} version ${version} has no stored definition`);
    return found.asl;
  });
  return {
    executions: new ExecutionService(repository, workflows, engine, transitions, clock),
    status: new ExecutionStatusService(repository, transitions, clock, approvalStore),
    runStats,
    recovery: new RunRecovery(repository, clock),
    repository,
    models: modelsOf(stepwise).registry,
    approvals: new ApprovalService({
      store: approvalStore,
      executions: repository,
      users: new DynamoIdentityRepository(db, table),
      journal: new DynamoRunJournal(db, table),
      tokens: stepwise.platform.taskTokens(),
      clock,
    }),
  };
});
