import { SqlFailure } from '../../data-sources/ports.ts';
import { buildSelect, SqlBuildError, type FilterValue, type NamedParameter } from '../../data-sources/sql.ts';
import type { DataSource, DataSourceType } from '../../data-sources/data-source.ts';
import { formatOf } from '../../etl/locations.ts';
import { guarded, guardedIterable, located, openSource } from './etl.ts';
import { cancelled, nonRetryable, retryable } from '../errors.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, failUnlessOk, parseBody, send, stringHeaders } from './http.ts';
import { asRecord, executed, type NodeExecutor, type Run } from './run.ts';

export const DEFAULT_FETCH_LIMIT = 10_000;
const QUERY_TIMEOUT_MS = 30_000;
/** `:last_run` before a workflow's first successful run: everything is new. */
const BEFORE_ANY_RUN = '1970-01-01T00:00:00.000Z';

/**
 * `fetch_data` (CloudFlow): read records from a named data source. Postgres gets one parameterised
 * statement (docs/api.md#fetch_data); http a GET of a JSON array or `{data: [...]}`, through the
 * guarded client. The output is `{records, count}`.
 */
export const fetchData: NodeExecutor = {
  async execute(run) {
    const data = run.deps.data;
    if (!data) throw nonRetryable('fetch_data is not available in this runner');
    const name = String(run.params.source);
    const source = await data.source(run.ctx.accountId, name);
    if (!source) throw nonRetryable(`data source "${name}" does not exist in this account (POST /api/v1/data-sources)`, { source: name });
    // Only the filters take templates: the query's values come in as named parameters.
    const filters = filtersOf(await run.templates.resolve(run.params.filters ?? {}, 'filters'));
    const limit = typeof run.params.limit === 'number' ? run.params.limit : DEFAULT_FETCH_LIMIT;
    const records = await FROM[source.type](run, source, filters, limit);
    run.log('info', 'Records fetched', { source: name, type: source.type, count: records.length });
    return executed({ records, count: records.length }, { count: records.length, source: name }, { processed: records.length, failed: 0 });
  },
};

/** One reader per data-source type: a new type without one is a type error. */
const FROM: Record<DataSourceType, (run: Run, source: DataSource, filters: Record<string, FilterValue>, limit: number) => Promise<unknown[]>> = {
  postgres: fromPostgres,
  http: fromHttp,
  s3: fromS3,
  dynamodb: fromDynamo,
};

function etlDeps(run: Run, source: DataSource) {
  const deps = run.deps.etl;
  if (!deps) throw nonRetryable(`fetch_data cannot read the ${source.type} source "${source.name}" in this runner`);
  return deps;
}

const matches = (filters: Record<string, FilterValue>) => {
  const wanted = Object.entries(filters);
  return (record: unknown) => isPlainObject(record) && wanted.every(([k, v]) => record[k] === v || (v === null && record[k] === undefined));
};

/**
 * An s3 source is one object: the source's `prefix` joined with `query` (the key under it), read in the
 * format its extension names (json, ndjson, csv, parquet) by etl's readers; `filters` keep the records
 * whose fields equal the values. A row that cannot be read fails the node, naming it.
 */
async function fromS3(run: Run, source: DataSource, filters: Record<string, FilterValue>, limit: number): Promise<unknown[]> {
  const deps = etlDeps(run, source);
  const key = `${source.prefix ?? ''}${typeof run.params.query === 'string' ? run.params.query : ''}`;
  if (!source.bucket || key === '') throw nonRetryable(`fetch_data from "${source.name}": an s3 source reads one object: give its key as query (under the prefix ${JSON.stringify(source.prefix ?? '')})`, { field: 'query' });
  const location = located(run, deps, `s3://${source.bucket}/${key}`, 'source');
  const reader = await openSource(run, deps, location, formatOf(location, undefined, 'format'));
  const keep = matches(filters);
  const out: unknown[] = [];
  // A failure mid-object is classified like one at the open (a store that did not answer may pass).
  for await (const batch of guardedIterable(run, 'source', reader.batches)) {
    for (const item of batch) {
      if ('error' in item) throw nonRetryable(`fetch_data from "${source.name}": row ${item.row} of s3://${source.bucket}/${key} cannot be read: ${item.error}`);
      if (keep(item.record)) out.push(item.record);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** A dynamodb source is the user's own table (never Stepwise's): Query when the filters name its key, else Scan; filters as expression attribute names and values. */
async function fromDynamo(run: Run, source: DataSource, filters: Record<string, FilterValue>, limit: number): Promise<unknown[]> {
  const deps = etlDeps(run, source);
  const location = located(run, deps, `dynamodb://${source.table ?? ''}`, 'source');
  if (location.kind !== 'dynamodb') throw nonRetryable(`fetch_data from "${source.name}": not a dynamodb table`);
  const { records, operation } = await guarded(run, 'source', () => deps.stores.queryTable(location.table, filters, limit, run.ctx.signal));
  run.log('info', 'DynamoDB read', { source: source.name, operation, count: records.length });
  return records.map((r) => JSON.parse(JSON.stringify(r)) as unknown);
}

function filtersOf(value: unknown): Record<string, FilterValue> {
  if (!isPlainObject(value)) throw nonRetryable('filters must be an object of column = value');
  const out: Record<string, FilterValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else throw nonRetryable(`filters.${key} must resolve to a string, number, boolean or null`);
  }
  return out;
}

async function fromPostgres(run: Run, source: DataSource, filters: Record<string, FilterValue>, limit: number): Promise<unknown[]> {
  const data = run.deps.data!;
  let statement: ReturnType<typeof buildSelect>;
  try {
    statement = buildSelect({ query: typeof run.params.query === 'string' ? run.params.query : undefined, table: source.table, filters, limit });
  } catch (error) {
    if (error instanceof SqlBuildError) throw nonRetryable(`fetch_data ${error.message}`, { field: error.field });
    throw error;
  }
  const parameterValues = await Promise.all(statement.parameters.map((p) => parameterValue(run, p)));
  // The URL's {{secrets.KEY}} resolve here, inside the runner, and are masked in everything the node says.
  const url = await run.templates.resolve(source.url ?? '', 'url');
  run.log('info', 'Query', { source: source.name, sql: statement.sql, parameters: statement.parameters.length + statement.values.length });
  try {
    const { rows } = await data.sql.query({ url: String(url) }, { sql: statement.sql, values: [...parameterValues, ...statement.values] }, { timeoutMs: QUERY_TIMEOUT_MS, signal: run.ctx.signal });
    return rows.map((row) => JSON.parse(JSON.stringify(row)) as unknown);
  } catch (error) {
    if (!(error instanceof SqlFailure)) throw error;
    if (error.kind === 'aborted') throw cancelled();
    // Connection trouble may pass; a refused statement or address will not.
    if (error.kind === 'connect' || error.kind === 'timeout') throw retryable(`fetch_data from "${source.name}": ${error.message}`);
    throw nonRetryable(`fetch_data from "${source.name}": ${error.message}`, error.code ? { sqlstate: error.code } : undefined);
  }
}

async function parameterValue(run: Run, p: NamedParameter): Promise<unknown> {
  if (p.kind === 'last_run') return (await run.deps.data!.lastSuccessfulRun(run.ctx.accountId, run.request.workflow_id)) ?? BEFORE_ANY_RUN;
  // The template resolver reads inputs and step outputs exactly as {{input.x}} and {{steps.id.output.x}} do.
  const path = p.path.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('');
  const template = p.kind === 'input' ? `{{input${path}}}` : `{{steps.${p.node}${path}}}`;
  const value = await run.templates.resolve(template, 'query');
  if (value === undefined) return null;
  // Objects go in as JSON text: still one bind value, never SQL.
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

async function fromHttp(run: Run, source: DataSource, filters: Record<string, FilterValue>, limit: number): Promise<unknown[]> {
  const resolved = asRecord(await run.templates.resolve({ url: source.url, headers: source.headers ?? {} }, 'source'));
  const url = String(resolved.url);
  const headers = { accept: 'application/json', ...stringHeaders(resolved.headers) };
  run.log('info', 'HTTP fetch', { source: source.name });
  const response = await send(run, { method: 'GET', url, headers, body: undefined, timeoutMs: run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS });
  failUnlessOk(run, response, 'fetch_data request failed');
  if (response.truncated) throw nonRetryable(`fetch_data from "${source.name}": the response is larger than the runner reads (${run.deps.limits?.maxResponseBytes ?? 1_048_576} bytes)`);
  const body = parseBody(response);
  const list = Array.isArray(body) ? body : isPlainObject(body) && Array.isArray(body.data) ? body.data : undefined;
  if (!list) throw nonRetryable(`fetch_data from "${source.name}": the response is not a JSON array or {data: [...]}`);
  return list.filter(matches(filters)).slice(0, limit);
}
