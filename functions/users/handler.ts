import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/users.ts';

/** Users of an account (AstraFlow): admins manage, everyone manages their own profile. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/UsersFunction'));
