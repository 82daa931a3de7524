import type { DataSource } from './data-source.ts';

export interface DataSourceRepository {
  list(accountId: string): Promise<DataSource[]>;
  get(accountId: string, name: string): Promise<DataSource | undefined>;
  /** Answers false when the condition fails (it exists for a create, it is gone for a replace). */
  put(source: DataSource, condition: 'create' | 'replace'): Promise<boolean>;
  delete(accountId: string, name: string): Promise<boolean>;
}
