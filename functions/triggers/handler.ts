import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/triggers.ts';

/** Triggers API: webhook hooks (public, token in the path), webhook-token rotation, and Behflow's processes view. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/TriggersFunction'));
