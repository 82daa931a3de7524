import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/oauth.ts';

/** OAuth 2.0: token endpoint, authorization (PKCE), client registration and the JWKS. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/OauthFunction'));
