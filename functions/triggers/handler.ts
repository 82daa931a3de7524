import { pipelineOptions } from '../adapters/container.ts';
import { triggerDeps } from '../adapters/triggers-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { triggerOperations } from './operations.ts';

/** Triggers API: webhook hooks (public, token in the path), webhook-token rotation, and Behflow's processes view. */
export const handler = httpHandler('triggers', triggerOperations(triggerDeps), pipelineOptions());
