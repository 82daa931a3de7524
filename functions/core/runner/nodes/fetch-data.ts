import { SqlFailure } from '../../data-sources/ports.ts';
import { buildSelect, SqlBuildError, type FilterValue, type NamedParameter } from '../../data-sources/sql.ts';
import type { DataSource } from '../../data-sources/data-source.ts';
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
    const records = source.type === 'postgres' ? await fromPostgres(run, source, filters, limit) : source.type === 'http' ? await fromHttp(run, source, filters, limit) : unsupported(source);
    run.log('info', 'Records fetched', { source: name, type: source.type, count: records.length });
    return executed({ records, count: records.length }, { count: records.length, source: name }, { processed: records.length, failed: 0 });
  },
};

function unsupported(source: DataSource): never {
  throw nonRetryable(`fetch_data reads postgres and http data sources; "${source.name}" is ${source.type}, which etl reads (issue #17)`);
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
  const wanted = Object.entries(filters);
  return list.filter((record) => isPlainObject(record) && wanted.every(([k, v]) => record[k] === v || (v === null && record[k] === undefined))).slice(0, limit);
}
