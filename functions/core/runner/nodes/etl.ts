import { formatOf, HTTPS_TARGET_REFUSAL, LocationError, parseLocation, scopeRefusal, targetFormatOf, type DataScope, type ParsedLocation } from '../../etl/locations.ts';
import { DataFailure, type DataFormat, type DataRecord, type DataStores, type RecordReader, type SourceItem, type StoreLocation } from '../../etl/ports.ts';
import { BUILT_IN_TRANSFORMATIONS, Deduper, normalize } from '../../etl/transformations.ts';
import { cancelled, nonRetryable, retryable, RunnerFailure } from '../errors.ts';
import { ExpressionFailure } from '../ports.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, failUnlessOk, send } from './http.ts';
import { asRecord, DEFAULT_EXPRESSION_TIMEOUT_MS, evaluate, executed, type NodeExecutor, type Run } from './run.ts';

/** Records per batch: read, transformed and written together (one INSERT, one BatchWrite round of 25s, one part). */
export const ETL_BATCH_SIZE = 500;
/** A run fails when more than this share of the records read could not be read, transformed or written. */
export const ETL_FAILURE_SHARE = 0.1;
/** The share is judged mid-run once this many records were read (before that, only at the end). */
const EARLY_JUDGEMENT_AFTER = 1_000;
/** Errors kept in the output (row and reason); the rest are only counted. */
export const ETL_ERRORS_KEPT = 10;
/** An https source is read whole through the guarded client, up to this size. */
export const ETL_HTTPS_MAX_BYTES = 64 * 1_048_576;
const DEFAULT_MAX_ETL_MS = 60 * 60_000;

export interface EtlDeps {
  stores: DataStores;
  scope: DataScope;
}

type Transformation = { kind: 'none' } | { kind: 'normalize' } | { kind: 'dedupe'; deduper: Deduper } | { kind: 'jsonata'; expression: string };

/**
 * `etl` {source_url, target_url, format, transformation} (FlowCtl): records stream from the source to the
 * target in batches of ETL_BATCH_SIZE, so memory stays flat as the data grows (dedupe keeps a digest per
 * distinct record). A record that cannot be read, transformed or written is counted and the run goes on,
 * unless more than ETL_FAILURE_SHARE of them fail (docs/api.md#etl).
 */
export const etl: NodeExecutor = {
  async execute(run) {
    const deps = run.deps.etl;
    if (!deps) throw nonRetryable('etl is not available in this runner');
    const p = asRecord(await run.templates.resolve(run.params));
    const sourceUrl = stringParam(p.source_url, 'source_url');
    const targetUrl = stringParam(p.target_url, 'target_url');
    const source = located(run, deps, sourceUrl, 'source_url');
    const target = located(run, deps, targetUrl, 'target_url');
    if (target.kind === 'https') throw nonRetryable(HTTPS_TARGET_REFUSAL, { field: 'target_url' });
    const namedFormat = typeof p.format === 'string' ? p.format : undefined;
    const format = formatted(source, namedFormat);
    const targetFormat = locationRule('target_url', () => targetFormatOf(target, namedFormat, 'target_url'));
    const transformation = transformationOf(p.transformation);
    const started = performance.now();
    const maxMs = run.deps.limits?.maxEtlMs ?? DEFAULT_MAX_ETL_MS;

    // The target first: a reader holds its connection from the start, and a writer can always be abandoned.
    const writer = await guarded(run, 'target_url', async () => deps.stores.write(await storeLocation(run, target, 'target_url'), { format: targetFormat, signal: run.ctx.signal }));
    let reader: RecordReader;
    try {
      reader = await openSource(run, deps, source, format);
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
    const tally = { processed: 0, failed: 0, skipped: 0, read: 0, errors: [] as { row: number; error: string }[] };
    let batchErrors: { row: number; error: string }[] = [];
    const fail = (row: number, error: string) => {
      tally.failed++;
      if (tally.errors.length < ETL_ERRORS_KEPT) batchErrors.push({ row, error: error.slice(0, 512) });
    };
    // A batch's read, transformation and write errors are kept in row order.
    const keepErrors = () => {
      tally.errors.push(...batchErrors.toSorted((a, b) => a.row - b.row).slice(0, ETL_ERRORS_KEPT - tally.errors.length));
      batchErrors = [];
    };
    const overShare = () => tally.read > 0 && tally.failed / tally.read > ETL_FAILURE_SHARE;
    let finished = false;
    let bytesWritten = 0;
    try {
      for await (const batch of guardedIterable(run, 'source_url', reader.batches)) {
        if (run.ctx.signal.aborted) throw cancelled();
        tally.read += batch.length;
        const rows: number[] = [];
        const records: DataRecord[] = [];
        for (const [i, record] of (await transformBatch(run, transformation, batch)).entries()) {
          const item = batch[i]!;
          if ('error' in item) fail(item.row, item.error);
          else if (typeof record === 'string') fail(item.row, record);
          else if (record === undefined) tally.skipped++;
          else {
            rows.push(item.row);
            records.push(record);
          }
        }
        if (records.length > 0) {
          const refused = await guarded(run, 'target_url', () => writer.write(records));
          for (const r of refused) fail(rows[r.index] ?? 0, r.error);
          tally.processed += records.length - refused.length;
        }
        keepErrors();
        if (tally.read >= EARLY_JUDGEMENT_AFTER && overShare()) break;
        if (performance.now() - started > maxMs) throw nonRetryable(`etl stopped after ${Math.round(maxMs / 1000)} s, the most one node may run here (docs/deploy.md, "etl placement"); ${tally.processed} records were loaded`, counts(tally));
      }
      if (overShare()) {
        throw nonRetryable(
          `etl failed: ${tally.failed} of ${tally.read} records could not be loaded, more than ${ETL_FAILURE_SHARE * 100} % (first: ${tally.errors
            .slice(0, 3)
            .map((e) => `row ${e.row}: ${e.error}`)
            .join('; ')})`,
          counts(tally),
        );
      }
      // Inside the try: a close that fails (the last part, completing the upload) abandons the target too.
      ({ bytesWritten } = await guarded(run, 'target_url', () => writer.close()));
      finished = true;
    } catch (error) {
      // Nothing is loaded in a transaction: once records are in the target, running the node again
      // would load them twice, so a failure that could pass is final then.
      if (error instanceof RunnerFailure && error.retryable && tally.processed > 0) {
        throw nonRetryable(`${error.message} (after ${tally.processed} records were loaded, which a retry would load again)`, { ...error.details, ...counts(tally) });
      }
      throw error;
    } finally {
      if (!finished) await writer.abort().catch(() => undefined);
    }
    const durationMs = Math.round(performance.now() - started);
    const output = {
      records_processed: tally.processed,
      records_failed: tally.failed,
      records_skipped: tally.skipped,
      errors: tally.errors,
      bytes_read: reader.bytesRead(),
      bytes_written: bytesWritten,
      format,
      duration_ms: durationMs,
    };
    run.log('info', 'etl finished', { records_processed: tally.processed, records_failed: tally.failed, records_skipped: tally.skipped, bytes_read: output.bytes_read, bytes_written: bytesWritten, duration_ms: durationMs });
    return executed(output, { records_processed: tally.processed, records_failed: tally.failed, duration_ms: durationMs }, { processed: tally.processed, failed: tally.failed });
  },
};

const counts = (t: { processed: number; failed: number; read: number; errors: unknown[] }) => ({ records_processed: t.processed, records_failed: t.failed, records_read: t.read, errors: t.errors });

function stringParam(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw nonRetryable(`${field} must resolve to a location URL (s3://, https://, postgres:// or dynamodb://)`, { field });
  return value.trim();
}

export function located(run: Run, deps: EtlDeps, url: string, field: string): ParsedLocation {
  const location = locationRule(field, () => parseLocation(url, field));
  const refusal = scopeRefusal(deps.scope, run.ctx.accountId, location);
  if (refusal) throw nonRetryable(`${field}: ${refusal}`, { field });
  return location;
}

function formatted(source: ParsedLocation, format: string | undefined): DataFormat {
  return locationRule('format', () => formatOf(source, format, 'format'));
}

/** A location or format rule's refusal is the definition's, so it is not retried. */
function locationRule<T>(field: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof LocationError) throw nonRetryable(error.message, { field });
    throw error;
  }
}

function transformationOf(value: unknown): Transformation {
  if (value === undefined || value === null || value === '' || value === 'none') return { kind: 'none' };
  if (typeof value !== 'string') throw nonRetryable(`transformation must be ${BUILT_IN_TRANSFORMATIONS.join(', ')} or a JSONata expression`, { field: 'transformation' });
  if (value === 'normalize') return { kind: 'normalize' };
  if (value === 'dedupe') return { kind: 'dedupe', deduper: new Deduper() };
  // Records are evaluated a batch at a time, so `$$` (the root) would be the batch, or the record when
  // a batch is retried record by record: the same expression must not answer two ways.
  if (value.includes('$$')) throw nonRetryable('transformation: $ is the record; $$ is not available in etl (it would name the batch)', { field: 'transformation' });
  return { kind: 'jsonata', expression: value };
}

/** A postgres data-source name becomes its URL (its `{{secrets.KEY}}` resolved here, inside the runner). */
async function storeLocation(run: Run, location: Exclude<ParsedLocation, { kind: 'https' }>, field: string): Promise<StoreLocation> {
  if (location.kind !== 'postgres-source') return location;
  const source = await run.deps.data?.source(run.ctx.accountId, location.source);
  if (!source) throw nonRetryable(`${field}: data source "${location.source}" does not exist in this account (postgres://<data source>/<table>; POST /api/v1/data-sources)`, { field, source: location.source });
  if (source.type !== 'postgres') throw nonRetryable(`${field}: data source "${location.source}" is ${source.type}, not postgres`, { field });
  const url = String(await run.templates.resolve(source.url ?? '', 'url'));
  return { kind: 'postgres', url, table: location.table, schema: location.schema };
}

/** The source's records as a reader: stores read themselves, https comes whole through the guarded client. */
export async function openSource(run: Run, deps: EtlDeps, source: ParsedLocation, format: DataFormat): Promise<RecordReader> {
  const options = { format, batchSize: ETL_BATCH_SIZE, signal: run.ctx.signal };
  if (source.kind !== 'https') return guarded(run, 'source_url', async () => deps.stores.read(await storeLocation(run, source, 'source_url'), options));
  const response = await send(run, {
    method: 'GET',
    url: source.url,
    headers: { accept: 'text/csv, application/json, application/x-ndjson, application/vnd.apache.parquet, */*' },
    body: undefined,
    timeoutMs: run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
    maxResponseBytes: ETL_HTTPS_MAX_BYTES,
    // Parquet is binary: its bytes as they came, never through a UTF-8 decode.
    binary: format === 'parquet',
  });
  failUnlessOk(run, response, 'etl source request failed');
  if (response.truncated) throw nonRetryable(`source_url: the response is larger than ${ETL_HTTPS_MAX_BYTES} bytes, the most etl reads over https; put the file in S3, which streams`);
  return deps.stores.decode(response.bytes ?? new TextEncoder().encode(response.body), options);
}

/** The store's failures as the runner's: a store that did not answer may next time; the rest will not. */
export async function guarded<T>(run: Run, field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw runnerFailureOf(run, field, error);
  }
}

export async function* guardedIterable<T>(run: Run, field: string, items: AsyncIterable<T>): AsyncIterable<T> {
  const iterator = items[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw runnerFailureOf(run, field, error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function runnerFailureOf(run: Run, field: string, error: unknown): unknown {
  if (error instanceof RunnerFailure) return error;
  if (!(error instanceof DataFailure)) return error;
  if (error.kind === 'aborted' || run.ctx.signal.aborted) return cancelled();
  if (error.kind === 'unavailable') return retryable(`${field}: ${error.message}`, { field });
  return nonRetryable(`${field}: ${error.message}`, { field });
}

/** Each item's record after the transformation: a record, undefined (dropped) or the reason it failed. */
async function transformBatch(run: Run, transformation: Transformation, batch: SourceItem[]): Promise<(DataRecord | string | undefined)[]> {
  const records = batch.map((item) => ('record' in item ? item.record : undefined));
  switch (transformation.kind) {
    case 'none':
      return records;
    case 'normalize':
      return records.map((r) => (r ? normalize(r) : r));
    case 'dedupe':
      return records.map((r) => (r && !transformation.deduper.duplicate(r) ? r : undefined));
    case 'jsonata':
      return jsonataBatch(run, transformation.expression, records);
  }
}

/**
 * The expression once over the whole batch (one trip to the evaluator), each record's result kept in its
 * place; when one record makes it fail, the batch is evaluated record by record to name that record.
 */
async function jsonataBatch(run: Run, expression: string, records: (DataRecord | undefined)[]): Promise<(DataRecord | string | undefined)[]> {
  const timeoutMs = run.deps.limits?.expressionTimeoutMs ?? DEFAULT_EXPRESSION_TIMEOUT_MS;
  const present = records.filter((r): r is DataRecord => r !== undefined);
  let results: unknown[];
  try {
    const wrapped = `$map($, function($r) { {"v": $r.(${expression}\n)} })`;
    const out = await run.deps.expressions.evaluate(wrapped, present, { timeoutMs, signal: run.ctx.signal });
    results = (Array.isArray(out) ? out : out === undefined ? [] : [out]).map((o) => asRecord(o).v);
  } catch (error) {
    if (!(error instanceof ExpressionFailure)) throw error;
    if (error.kind === 'aborted') throw cancelled();
    // A syntax error is the expression's, not a record's: evaluated alone, its message points into the user's text.
    if (error.kind === 'syntax') await evaluate(run, expression, {}, 'transformation');
    if (error.kind !== 'evaluation') throw nonRetryable(`the transformation failed: ${error.message} (expressions may run ${timeoutMs} ms per batch of ${ETL_BATCH_SIZE})`);
    results = [];
    for (const record of present) {
      try {
        results.push(await run.deps.expressions.evaluate(expression, record, { timeoutMs, signal: run.ctx.signal }));
      } catch (failure) {
        if (!(failure instanceof ExpressionFailure) || failure.kind !== 'evaluation') throw failure;
        results.push(new ExpressionResultError(`the transformation failed: ${failure.message}${failure.code ? ` (${failure.code})` : ''}`));
      }
    }
  }
  let next = 0;
  return records.map((record) => {
    if (record === undefined) return undefined;
    const value = results[next++];
    if (value instanceof ExpressionResultError) return value.message;
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) return `the transformation gave ${Array.isArray(value) ? 'an array' : typeof value}, not an object`;
    return value;
  });
}

class ExpressionResultError {
  constructor(readonly message: string) {}
}
