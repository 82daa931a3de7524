import type { NodeExecutor } from './run.ts';

/** Validates and compiles (a callback Task); starting the child run is not built yet (issue #16, docs/compatibility.md). */
export const subworkflow: NodeExecutor = { pending: 'the jobs issue (#16): sub-workflows' };
