import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { authOperations } from './operations.ts';

/** Registration, login and the current user (FlowRunner + Behflow, with Behflow's root aliases). */
export const handler = httpHandler('auth', authOperations(() => container().auth, () => container().verifier), pipelineOptions());
