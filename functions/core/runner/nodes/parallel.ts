import type { NodeExecutor } from './run.ts';

/** `parallel`: a native Parallel state around its branches; nothing of its own reaches the runner. */
export const parallel: NodeExecutor = {};
