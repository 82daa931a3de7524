import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/api-keys.ts';

/** API keys (CloudFlow `X-API-Key`): create (secret shown once), list, revoke. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/Api-keysFunction'));
