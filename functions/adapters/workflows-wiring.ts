import { systemClock } from '../core/clock.ts';
import type { StateMachineProvisioner } from '../core/workflows/ports.ts';
import { WorkflowService } from '../core/workflows/workflow-service.ts';
import type { WorkflowDeps } from '../workflows/operations.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoWorkflowRepository } from './dynamodb/workflow-repository.ts';
import { createLogger } from '../http/logger.ts';
import { DynamoSecretMetadataRepository } from './dynamodb/secret-metadata-repository.ts';
import { lazy } from './lazy.ts';
import { LocalProvisioner } from './local/local-provisioner.ts';
import { workflowCompiler } from './workflow-compiler.ts';
import { executionDeps } from './executions-wiring.ts';
import { triggerDeps } from './triggers-wiring.ts';
import { jobsProjectName } from '../../lib/definitions/names.ts';

/**
 * The workflows function's own wiring. It lives apart from the shared container so the compiler
 * (with yaml and jsonata) is bundled only into the functions that compile definitions.
 */
let deps: WorkflowDeps | undefined;

export function workflowDeps(): WorkflowDeps {
  if (!deps) {
    const { config, db } = container();
    const prefix = config.STATE_MACHINE_PREFIX ?? `stepwise-${config.STEPWISE_STAGE}`;
    const compiler = workflowCompiler(compilerTargets(config, prefix));
    const secretMetadata = new DynamoSecretMetadataRepository(db, config.TABLE_NAME);
    const workflows = new WorkflowService(new DynamoWorkflowRepository(db, config.TABLE_NAME), compiler, provisionerFor(config, prefix), systemClock);
    deps = {
      compiler,
      workflows,
      get runs() {
        return executionDeps();
      },
      get triggers() {
        return triggerDeps().triggers;
      },
      publicBaseUrl: config.PUBLIC_BASE_URL,
      secretKeys: async (accountId) => (await secretMetadata.list(accountId)).map((s) => s.key),
    };
  }
  return deps;
}

/**
 * Where compiled machines point: on AWS the real task runner and machine ARNs (partition and
 * account included) that CDK sets; local mode has no account, so its engine gets local-only ARNs.
 */
export function compilerTargets(config: Config, prefix: string): { taskRunnerArn: string; stateMachineArnPrefix: string; partition: string; jobsProject?: string } {
  if (config.STEPWISE_MODE === 'local') {
    return {
      taskRunnerArn: config.TASK_RUNNER_ARN ?? `arn:aws:lambda:${config.AWS_REGION}:000000000000:function:${prefix}-task-runner`,
      stateMachineArnPrefix: config.STATE_MACHINE_ARN_PREFIX ?? `arn:aws:states:${config.AWS_REGION}:000000000000:stateMachine:${prefix}-`,
      partition: 'aws',
    };
  }
  if (!config.TASK_RUNNER_ARN || !config.STATE_MACHINE_ARN_PREFIX) throw new Error('TASK_RUNNER_ARN and STATE_MACHINE_ARN_PREFIX are required to compile workflows');
  // generic/ci run in the stage's CodeBuild project on AWS; locally the runner runs them (docs/api.md, "Jobs").
  return { taskRunnerArn: config.TASK_RUNNER_ARN, stateMachineArnPrefix: config.STATE_MACHINE_ARN_PREFIX, partition: config.STATE_MACHINE_ARN_PREFIX.split(':')[1] ?? 'aws', jobsProject: jobsProjectName(prefix) };
}

/** Step Functions on AWS (SDK loaded on first use), the local store in local mode. */
function provisionerFor(config: Config, prefix: string): StateMachineProvisioner {
  if (config.STEPWISE_MODE === 'local') return new LocalProvisioner(prefix);
  const load = lazy(async () => {
    const [{ SFNClient }, { StepFunctionsProvisioner }] = await Promise.all([import('@aws-sdk/client-sfn'), import('./aws/step-functions-provisioner.ts')]);
    if (!config.STATE_MACHINE_ROLE_ARN || !config.STATE_MACHINE_LOG_GROUP_ARN) throw new Error('STATE_MACHINE_ROLE_ARN and STATE_MACHINE_LOG_GROUP_ARN are required to provision workflows');
    // Adaptive retries pace CreateStateMachine (throttled near 1/s per account) instead of failing bursts.
    const sfn = new SFNClient({ region: config.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' });
    const logger = createLogger(config.LOG_LEVEL);
    return new StepFunctionsProvisioner(sfn, {
      namePrefix: prefix,
      roleArn: config.STATE_MACHINE_ROLE_ARN,
      logGroupArn: config.STATE_MACHINE_LOG_GROUP_ARN,
      onPruneError: (error, stateMachineArn) => logger.warn('pruning old state machine versions failed; the next publish retries', { state_machine_arn: stateMachineArn, error: String(error) }),
    });
  });
  return {
    publish: async (input) => (await load()).publish(input),
    remove: async (machine) => (await load()).remove(machine),
  };
}
