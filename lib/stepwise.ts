import type { Construct } from 'constructs';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EventsStack } from './events-stack.ts';
import { WorkflowStack } from './workflow-stack.ts';
import type { RouteDefinition } from './definitions/routes.ts';
import type { StageConfig } from './stage-config.ts';

/**
 * The stacks of one stage, in deploy order: data → workflow → events → API (docs/deploy.md#deploy-order).
 * Stateful and stateless resources live apart so the other stacks can be replaced freely while
 * the data stack is left alone.
 */
export interface StepwiseStacks {
  readonly data: DataStack;
  readonly workflow: WorkflowStack;
  readonly api: ApiStack;
  /** Domain events: table change stream → bus, webhook delivery, triggers, live updates. */
  readonly events: EventsStack;
}

/** Builds every stack of a stage under `scope` (an App in bin/app.ts, a fresh App in tests). */
export function createStepwiseStacks(scope: Construct, config: StageConfig, options: { readonly routes?: readonly RouteDefinition[] } = {}): StepwiseStacks {
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

  // Created before the events stack only because it is declared here; the dependency below orders the deploy.
  const api = new ApiStack(scope, `${config.stackPrefix}-Api`, {
    config,
    description: description('REST API and its functions'),
    table: data.table,
    jwksSecret: data.jwksSecret,
    signingKeySecret: data.signingKeySecret,
    stateMachines: workflow,
    secretsKey: data.secretsKey,
    ...(options.routes ? { routes: options.routes } : {}),
  });

  const events = new EventsStack(scope, `${config.stackPrefix}-Events`, {
    config,
    description: description('domain events from the table stream to the bus'),
    table: data.table,
    tableStreamArn: data.tableStreamArn,
    bus: workflow.eventBus,
    jwksSecret: data.jwksSecret,
  });
  // The API is the stage's front door, so it goes last: when it is live, everything its functions
  // call exists (the schedule target and role, the delivery queue; docs/deploy.md#deploy-order).
  api.addStackDependency(events, 'the API calls what the events stack creates (scheduler role and target, delivery queue)');

  return { data, workflow, api, events };
}
