import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { accountOperations } from './operations.ts';

/** Accounts (tenants, FlowRunner): platform admins manage all; an admin manages their own. */
export const handler = httpHandler('accounts', accountOperations(() => container().accounts), pipelineOptions());
