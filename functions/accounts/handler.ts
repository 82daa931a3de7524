import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/accounts.ts';

/** Accounts (tenants, FlowRunner) and their secrets: platform admins manage all; an admin manages their own. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/AccountsFunction'));
