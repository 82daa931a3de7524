import type { Construct } from 'constructs';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { WorkflowStack } from './workflow-stack.ts';
import type { StageConfig } from './stage-config.ts';

/**
 * The stacks of one stage. Stateful and stateless resources live apart so the API (and later
 * the workflow and events stacks) can be replaced freely while the data stack is left alone.
 */
export interface StepwiseStacks {
  readonly data: DataStack;
  readonly workflow: WorkflowStack;
  readonly api: ApiStack;
  // Seams for what comes next; each takes what it needs from `data` the way ApiStack does:
  // - workflow: WorkflowStack (Step Functions role and task-runner Lambda; state machines are
  //   created at run time by the workflows API, so the stack holds only their shared pieces).
  // - events:   EventsStack (domain event bus, execution-status rule, SQS + webhook dispatcher,
  //   WebSocket API). ApiStack would then take `eventBusName` the way it takes `table`.
}

/** Builds every stack of a stage under `scope` (an App in bin/app.ts, a fresh App in tests). */
export function createStepwiseStacks(scope: Construct, config: StageConfig): StepwiseStacks {
  const description = (what: string) => `Stepwise ${config.stage} (${config.appVersion}): ${what}`;

  const data = new DataStack(scope, `${config.stackPrefix}-Data`, {
    config,
    description: description('table, signing keys and their rotation'),
    terminationProtection: config.retainData,
  });

  const workflow = new WorkflowStack(scope, `${config.stackPrefix}-Workflow`, {
    config,
    description: description('state-machine role, log group and domain event bus'),
  });

  const api = new ApiStack(scope, `${config.stackPrefix}-Api`, {
    config,
    description: description('REST API and its functions'),
    table: data.table,
    jwksSecret: data.jwksSecret,
    signingKeySecret: data.signingKeySecret,
    stateMachines: workflow,
    secretsKey: data.secretsKey,
  });

  return { data, workflow, api };
}
