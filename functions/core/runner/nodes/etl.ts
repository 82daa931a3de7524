import type { NodeExecutor } from './run.ts';

/** Validates and compiles; running it (S3, Postgres and the local data stores) is the data issue's (#17). */
export const etl: NodeExecutor = { pending: 'the data issue (#17)' };
