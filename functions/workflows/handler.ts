import { pipelineOptions } from '../adapters/container.ts';
import { workflowDeps } from '../adapters/workflows-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { workflowOperations } from './operations.ts';

/** Workflows API (FlowRunner flows, FlowCtl DAGs, CloudFlow steps), with the /flows aliases. */
export const handler = httpHandler('workflows', workflowOperations(workflowDeps), pipelineOptions());
