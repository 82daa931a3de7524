import { systemClock } from '../core/clock.ts';
import { ExecutionService } from '../core/executions/execution-service.ts';
import { ExecutionStatusService } from '../core/executions/execution-status.ts';
import { RunRecovery } from '../core/executions/recovery.ts';
import type { RunStatsStore } from '../core/executions/run-stats.ts';
import { ExecutionTransitions } from '../core/executions/transitions.ts';
import { createLogger } from '../http/logger.ts';
import { DynamoRunStatsStore } from './dynamodb/run-stats-store.ts';
import { ExecutionRollupObserver } from '../core/insight/rollups.ts';
import { DynamoRollupStore } from './dynamodb/rollup-store.ts';
import type { ExecutionEngine } from '../core/executions/ports.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoExecutionRepository } from './dynamodb/execution-repository.ts';
import { DynamoWorkflowRepository } from './dynamodb/workflow-repository.ts';
import { lazy } from './lazy.ts';
import { localEngine } from './local/engine-registry.ts';

/**
 * Runs: the executions API, `run: true` on workflow creation, and the execution-events consumer
 * share this wiring. The engine is Step Functions in AWS (SDK loaded on first use) and the
 * in-process engine the local server registers in local mode.
 */
export interface ExecutionWiring {
  executions: ExecutionService;
  status: ExecutionStatusService;
  /** Last run and outcome counts per workflow (workflow views, metrics). */
  runStats: RunStatsStore;
  /** Local mode: what to do with runs a restart of the local server interrupted. */
  recovery: RunRecovery;
}

let wiring: ExecutionWiring | undefined;

export function executionDeps(): ExecutionWiring {
  if (!wiring) {
    const { config, db } = container();
    const repo = new DynamoExecutionRepository(db, config.TABLE_NAME);
    const workflows = new DynamoWorkflowRepository(db, config.TABLE_NAME);
    const runStats = new DynamoRunStatsStore(db, config.TABLE_NAME);
    // Rollups for insight analytics sit next to the run stats: both are kept on each applied change.
    const rollups = new ExecutionRollupObserver(new DynamoRollupStore(db, config.TABLE_NAME));
    const transitions = new ExecutionTransitions(repo, systemClock, [runStats, rollups], createLogger(config.LOG_LEVEL));
    wiring = {
      executions: new ExecutionService(repo, workflows, engineFor(config), transitions, systemClock),
      status: new ExecutionStatusService(repo, transitions, systemClock),
      runStats,
      recovery: new RunRecovery(repo, systemClock),
    };
  }
  return wiring;
}

function engineFor(config: Config): ExecutionEngine {
  if (config.STEPWISE_MODE === 'local') {
    // Resolved per call: the local server registers its engine before serving, after this module loads.
    return { start: (i) => localEngine().start(i), stop: (a, r) => localEngine().stop(a, r), redrive: (a) => localEngine().redrive(a) };
  }
  const sfn = lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({ region: config.AWS_REGION, maxAttempts: 6, retryMode: 'adaptive' }));
  const load = lazy(async () => new (await import('./aws/step-functions-engine.ts')).StepFunctionsEngine(sfn));
  return {
    start: async (i) => (await load()).start(i),
    stop: async (a, r) => (await load()).stop(a, r),
    redrive: async (a) => (await load()).redrive(a),
  };
}
