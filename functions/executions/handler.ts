import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/executions.ts';

/** Runs: start (with the /flows and /processes aliases), read, logs, cancel and redrive. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/ExecutionsFunction'));
