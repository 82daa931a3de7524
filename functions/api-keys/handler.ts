import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { apiKeyOperations } from './operations.ts';

/** API keys (CloudFlow `X-API-Key`): create (secret shown once), list, revoke. */
export const handler = httpHandler('api-keys', apiKeyOperations(() => container().apiKeys), pipelineOptions());
