import { DependencyGates, type TaskTokens } from '../core/runner/dependency-gates.ts';
import { StepFunctionsTaskTokens } from './aws/step-functions-task-tokens.ts';
import { container } from './container.ts';
import { DynamoGateStore } from './dynamodb/gate-store.ts';
import { lazy } from './lazy.ts';

let gates: DependencyGates | undefined;

/**
 * The gated layout's gates (statemachines/README.md, "Gated layout") for the task-runner Lambda and the
 * local engine: records in the table either way; tokens go to Step Functions, or locally to the engine in
 * this thread (functions/adapters/local/local-task-tokens.ts), loaded only in local mode.
 */
export function dependencyGates(): DependencyGates {
  if (!gates) {
    const { config, db } = container();
    const tokens: TaskTokens =
      config.STEPWISE_MODE === 'local'
        ? { succeed: async (token) => (await import('./local/local-task-tokens.ts')).localTaskTokens.succeed(token) }
        : new StepFunctionsTaskTokens(lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({ region: config.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' })));
    gates = new DependencyGates(new DynamoGateStore(db, config.TABLE_NAME), tokens);
  }
  return gates;
}
