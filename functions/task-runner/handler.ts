import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/task-runner.ts';

/** Every runner Task state of every workflow invokes this with its TaskRunnerRequest (statemachines/task-runner-contract.ts). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Workflow/TaskRunner'));
