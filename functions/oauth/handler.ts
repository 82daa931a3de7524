import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { oauthOperations } from './operations.ts';

/** OAuth 2.0: token endpoint, authorization (PKCE), client registration and the JWKS. */
export const handler = httpHandler('oauth', oauthOperations(() => container().oauth), pipelineOptions());
