import { container, pipelineOptions } from '../adapters/container.ts';
import { executionDeps } from '../adapters/executions-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { taskOperations } from './operations.ts';

/** Tasks API: AstraFlow + Behflow task CRUD, filters and pagination. */
export const handler = httpHandler('tasks', taskOperations(() => container().tasks, () => executionDeps().executions), pipelineOptions());
