import type { Clock } from '../clock.ts';
import { conflict, notFound, validationError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { LOCAL_DATA_SOURCE, plainCredentials, type DataSource, type DataSourceConfig, type DataSourceType } from './data-source.ts';
import type { DataSourceRepository } from './ports.ts';

export interface DataSourceInput extends DataSourceConfig {
  name: string;
  type: DataSourceType;
}

/**
 * The caller's account's data sources; every key comes from the principal, so another account's
 * source name is a 404. `builtIn` is local mode's `local` source (the embedded Postgres), listed for
 * every account and never stored.
 */
export class DataSourceService {
  constructor(
    private readonly repo: DataSourceRepository,
    private readonly clock: Clock,
    private readonly builtIn: (accountId: string) => DataSource | undefined = () => undefined,
  ) {}

  async list(principal: Principal): Promise<DataSource[]> {
    const stored = await this.repo.list(principal.accountId);
    const local = this.builtIn(principal.accountId);
    return local ? [local, ...stored.filter((s) => s.name !== local.name)] : stored;
  }

  async get(principal: Principal, name: string): Promise<DataSource> {
    const source = (name === LOCAL_DATA_SOURCE ? this.builtIn(principal.accountId) : undefined) ?? (await this.repo.get(principal.accountId, name));
    if (!source) throw notFound('Data source', name);
    return source;
  }

  async create(principal: Principal, input: DataSourceInput): Promise<DataSource> {
    this.refuseBuiltIn(principal, input.name);
    const at = this.clock.now().toISOString();
    const source = checked({ ...input, accountId: principal.accountId, createdAt: at, updatedAt: at });
    if (!(await this.repo.put(source, 'create'))) throw conflict(`Data source '${input.name}' already exists; use PATCH to change it`, 'name');
    return source;
  }

  /** PATCH: the given fields replace the stored ones (`null` removes an optional one); the result is checked whole. */
  async patch(principal: Principal, name: string, change: Partial<Record<keyof DataSourceConfig | 'type', unknown>>): Promise<DataSource> {
    this.refuseBuiltIn(principal, name);
    const current = await this.repo.get(principal.accountId, name);
    if (!current) throw notFound('Data source', name);
    const merged: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(change)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const source = checked({ ...(merged as unknown as DataSource), updatedAt: this.clock.now().toISOString() });
    if (!(await this.repo.put(source, 'replace'))) throw notFound('Data source', name);
    return source;
  }

  async delete(principal: Principal, name: string): Promise<void> {
    this.refuseBuiltIn(principal, name);
    if (!(await this.repo.delete(principal.accountId, name))) throw notFound('Data source', name);
  }

  private refuseBuiltIn(principal: Principal, name: string): void {
    if (this.builtIn(principal.accountId)?.name === name) throw conflict(`'${name}' is the built-in local Postgres source; it cannot be replaced, changed or deleted`, 'name');
  }
}

/** What each type needs, and no credential in plain text. */
function checked(source: DataSource): DataSource {
  const required: Record<DataSourceType, (keyof DataSourceConfig)[]> = { postgres: ['url'], http: ['url'], s3: ['bucket'], dynamodb: ['table'] };
  const allowed: Record<DataSourceType, (keyof DataSourceConfig)[]> = { postgres: ['url', 'table'], http: ['url', 'headers'], s3: ['bucket', 'prefix'], dynamodb: ['table'] };
  for (const field of required[source.type]) if (source[field] === undefined) throw validationError(field, `a ${source.type} data source needs ${field}`);
  for (const field of ['url', 'table', 'headers', 'bucket', 'prefix'] as const) {
    if (source[field] !== undefined && !allowed[source.type].includes(field)) throw validationError(field, `a ${source.type} data source has no ${field} (it takes ${allowed[source.type].join(', ')})`);
  }
  if (source.type === 'postgres' && !/^postgres(ql)?:\/\//i.test(source.url ?? '')) throw validationError('url', 'a postgres data source needs a postgres:// or postgresql:// URL');
  if (source.type === 'http' && !/^https?:\/\//i.test(source.url ?? '')) throw validationError('url', 'an http data source needs an http:// or https:// URL');
  const plain = plainCredentials(source);
  if (plain.length > 0) throw validationError(plain[0]!, `credentials go in as {{secrets.KEY}} references (an account secret), never as plain text: ${plain.join(', ')}`);
  return source;
}
