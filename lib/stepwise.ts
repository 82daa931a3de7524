import type { Construct } from 'constructs';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EventsStack } from './events-stack.ts';
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
  /** Domain events: table change stream → bus, and (next) webhook delivery, triggers, live updates. */
  readonly events: EventsStack;
  // Seams for what comes next; each takes what it needs from `data` the way ApiStack does:
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
    description: description('task runner, execution events, state-machine role, log group and domain event bus'),
    table: data.table,
    secretsKey: data.secretsKey,
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

  const events = new EventsStack(scope, `${config.stackPrefix}-Events`, {
    config,
    description: description('domain events from the table stream to the bus'),
    table: data.table,
    bus: workflow.eventBus,
    jwksSecret: data.jwksSecret,
  });
  // The live-updates WebSocket stage logs through the account's API Gateway CloudWatch role, which the API stack sets.
  events.addStackDependency(api, 'API Gateway account CloudWatch role');

  return { data, workflow, api, events };
}
