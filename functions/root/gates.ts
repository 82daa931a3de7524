import { DependencyGates } from '../core/runner/dependency-gates.ts';
import { DynamoGateStore } from '../adapters/dynamodb/gate-store.ts';
import { slice } from './stepwise.ts';

/**
 * The gated layout's gates (statemachines/README.md, "Gated layout") for the task runner: records in
 * the table either way; tokens go to the platform's (Step Functions' SendTaskSuccess, or the local
 * engine's registry in the engine's own thread).
 */
export const gatesOf = slice((stepwise): DependencyGates => new DependencyGates(new DynamoGateStore(stepwise.db, stepwise.table), stepwise.platform.taskTokens()));
