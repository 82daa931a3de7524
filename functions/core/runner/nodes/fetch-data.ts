import type { NodeExecutor } from './run.ts';

/** Declared with its data sources; reading them (Postgres, HTTP) follows in the same issue (#17). */
export const fetchData: NodeExecutor = { pending: 'the data issue (#17): data sources' };
