import type { NodeExecutor } from './run.ts';

/** Validates and compiles (a task-token callback Task); the decision API is not built yet (issue #16, docs/compatibility.md). */
export const approval: NodeExecutor = { pending: 'the jobs issue (#16): approvals' };
