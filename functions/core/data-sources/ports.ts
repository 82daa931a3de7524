import { PortFailure } from '../errors.ts';
import type { DataSource } from './data-source.ts';

export interface DataSourceRepository {
  list(accountId: string): Promise<DataSource[]>;
  get(accountId: string, name: string): Promise<DataSource | undefined>;
  /** Answers false when the condition fails (it exists for a create, it is gone for a replace). */
  put(source: DataSource, condition: 'create' | 'replace'): Promise<boolean>;
  delete(accountId: string, name: string): Promise<boolean>;
}

/** One parameterised statement against a Postgres server. Throws SqlFailure. */
export interface SqlClient {
  query(
    connection: { url: string },
    statement: { sql: string; values: readonly unknown[] },
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<{ rows: Record<string, unknown>[] }>;
}

/** `blocked`: the address policy refused the server; `query`: the server refused the statement (SQLSTATE in `code`). */
export type SqlFailureKind = 'connect' | 'blocked' | 'query' | 'timeout' | 'aborted';

export class SqlFailure extends PortFailure<SqlFailureKind> {
  override readonly name = 'SqlFailure';
  readonly code: string | undefined;
  constructor(kind: SqlFailureKind, message: string, code?: string) {
    super(kind, message);
    this.code = code;
  }
}
