import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { accountResourceOperations } from './operations.ts';

/** Accounts (tenants, FlowRunner) and their secrets: platform admins manage all; an admin manages their own. */
export const handler = httpHandler(
  'accounts',
  accountResourceOperations(
    () => container().accounts,
    () => container().secrets,
  ),
  pipelineOptions(),
);
