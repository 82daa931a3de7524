/**
 * The local engine's thread (functions/adapters/local/engine-worker.ts runs this module): it builds
 * its own Stepwise from the server's settings (plain data in workerData, never process.env), binds
 * every runner Task to that instance's task runner and every status change to its status consumer
 * (what the task-runner and execution-events Lambdas do on AWS), then serves the engine to the API
 * thread. docs/architecture.md#one-run walks a run through it.
 */
import { isGateCall, type GateRequest, type TaskRunnerRequest } from '../../statemachines/task-runner-contract.ts';
import { gatesOf } from './gates.ts';
import { concurrencyLimit, engineWorkerData, MAX_CONCURRENT_TASKS, serveEngine } from '../adapters/local/engine-worker.ts';
import { FileEngineJournal } from '../adapters/local/engine-journal.ts';
import { LocalEngine } from '../adapters/local/local-engine.ts';
import { localStartExecution } from '../adapters/local/local-child-executions.ts';
import { createJsonLogger } from '../adapters/logging/json-logger.ts';
import { parseConfig } from './config.ts';
import { executionsOf } from './executions.ts';
import { localPlatform } from './local.ts';
import { runnerOf } from './runner.ts';
import { createStepwise, type Stepwise } from './stepwise.ts';

/** What the API thread passes (functions/root/local-stepwise.ts). */
export interface EngineThreadData {
  /** The server's settings, as the environment-shaped record its own configuration was parsed from. */
  readonly settings: Readonly<Record<string, string | undefined>>;
  readonly timeScale: number;
  /** Where the engine journal lives (`<dataDir>/engine`): runs, attempts and wait deadlines survive a restart. */
  readonly journalDir: string;
}

const data = engineWorkerData() as EngineThreadData | undefined;
if (data) {
  void serveEngine(async () => {
    const config = parseConfig(data.settings);
    const logger = createJsonLogger(config.LOG_LEVEL);
    const limit = concurrencyLimit(MAX_CONCURRENT_TASKS);
    // The engine and this thread's Stepwise refer to each other; each reference is followed only once a run starts.
    let stepwise: Stepwise;
    const engine = new LocalEngine({
      journal: new FileEngineJournal(data.journalDir),
      // Gate calls order nodes (they run none); both go through the same bound, as the task-runner Lambda would.
      runTask: (payload, signal) =>
        limit<unknown>(signal, () => (isGateCall(payload as { action?: unknown }) ? gatesOf(stepwise).handle(payload as GateRequest) : runnerOf(stepwise).run(payload as TaskRunnerRequest, signal))),
      onStatusChange: async (event) => {
        await executionsOf(stepwise).status.apply(event.detail);
      },
      // Subworkflow start states: the child starts through this thread's execution service, as every run does.
      startExecution: localStartExecution({
        launch: (name) => executionsOf(stepwise).executions.launchChild(name),
        whenEnded: (executionArn, signal) => engine.whenEnded(executionArn, signal),
        read: (child) => executionsOf(stepwise).repository.get(child.accountId, child.id),
        stop: async (executionArn, cause) => engine.stop(executionArn, { error: 'Stepwise.Cancelled', cause }),
      }),
      timeScale: data.timeScale,
      logger,
    });
    stepwise = createStepwise(config, localPlatform(config, { logger, timeScale: data.timeScale, engine, path: data.settings.PATH }));
    return {
      engine,
      // Runs the last server left in progress: resumed or failed, each as the store says (RunRecovery).
      recover: () => engine.recover((run) => executionsOf(stepwise).recovery.plan(run.name)).catch((error: unknown) => logger.error('local engine: recovery failed', { error: String(error) })),
    };
  });
}
