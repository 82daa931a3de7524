import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/workflows.ts';

/** Workflows API (FlowRunner flows, FlowCtl DAGs, CloudFlow steps), with the /flows aliases. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/WorkflowsFunction'));
