import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/auth.ts';

/** Registration, login and the current user (FlowRunner + Behflow, with Behflow's root aliases). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/AuthFunction'));
