import { pipelineOptions } from '../adapters/container.ts';
import { executionDeps } from '../adapters/executions-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { executionOperations } from './operations.ts';

/** Runs: start (with the /flows and /processes aliases), read, logs, cancel and redrive. */
export const handler = httpHandler('executions', executionOperations(executionDeps), pipelineOptions());
