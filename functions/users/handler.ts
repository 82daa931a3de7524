import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { userOperations } from './operations.ts';

/** Users of an account (AstraFlow): admins manage, everyone manages their own profile. */
export const handler = httpHandler('users', userOperations(() => container().users), pipelineOptions());
