import { afterAll, describe, expect, it } from 'vitest';
import { JsonataWorkerPool } from '../../../../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../../../../functions/core/runner/executors.ts';
import { DataFailure, type DataRecord, type DataStores, type ReadOptions, type SourceItem, type StoreLocation } from '../../../../../functions/core/etl/ports.ts';
import { isoDate, snakeCase } from '../../../../../functions/core/etl/transformations.ts';
import type { DataSource } from '../../../../../functions/core/data-sources/data-source.ts';
import { RUNNER_ERRORS, type TaskRunnerRequest } from '../../../../../statemachines/task-runner-contract.ts';
import type { HttpClient, HttpRequest } from '../../../../../functions/core/runner/ports.ts';
import { runnerFailure } from '../../../../support/fakes.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const expressions = new JsonataWorkerPool();
afterAll(() => expressions.close());

function request(params: Record<string, unknown>): TaskRunnerRequest {
  return { node_id: 'load', node_type: 'etl', action: 'execute', params, account_id: ACCOUNT, workflow_id: 'wf_1', execution_id: 'arn:aws:states:us-east-1:123456789012:execution:m:exec-1', input: {}, retry_count: 0 };
}

const ctx: ExecutorContext = { accountId: ACCOUNT, input: {}, step: async () => undefined, secret: async (k) => (k === 'DB_PASSWORD' ? 'pw-s3cret' : undefined), signal: new AbortController().signal, log: () => undefined, now: () => new Date('2030-01-01T00:00:00Z') };

/**
 * In-memory stores: a source is a generator of items (made as they are pulled), a target collects the
 * batches it is handed. `ahead` is how many items the source produced beyond what the writer received.
 */
function stores(sources: Record<string, () => Iterable<SourceItem>>, refuse: (r: DataRecord) => string | undefined = () => undefined) {
  const written: DataRecord[][] = [];
  const opened: { location: StoreLocation; options?: ReadOptions }[] = [];
  let produced = 0;
  let received = 0;
  let maxAhead = 0;
  let aborted = false;
  let closed = false;
  const keyOf = (l: StoreLocation) => (l.kind === 's3' ? `s3://${l.bucket}/${l.key}` : l.kind === 'postgres' ? `${l.url}#${l.table}` : `dynamodb://${l.table}`);
  const fake: DataStores = {
    read: async (location, options) => {
      opened.push({ location, options });
      const make = sources[keyOf(location)];
      if (!make) throw new DataFailure('not_found', `${keyOf(location)} does not exist`);
      const batches = (async function* () {
        let batch: SourceItem[] = [];
        for (const item of make()) {
          produced++;
          maxAhead = Math.max(maxAhead, produced - received);
          batch.push(item);
          if (batch.length === options.batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      })();
      return { batches, bytesRead: () => produced * 10 };
    },
    decode: () => {
      throw new Error('not used');
    },
    write: async (location) => {
      opened.push({ location });
      return {
        write: async (records) => {
          received += records.length;
          written.push([...records]);
          return records.flatMap((r, index) => {
            const error = refuse(r);
            return error ? [{ index, error }] : [];
          });
        },
        close: async () => {
          closed = true;
          return { bytesWritten: written.flat().length * 20 };
        },
        abort: async () => {
          aborted = true;
        },
      };
    },
    queryTable: async () => ({ records: [], operation: 'Scan' }),
  };
  return { fake, written, opened, state: () => ({ produced, maxAhead, aborted, closed }) };
}

function deps(fake: DataStores, extra: Partial<ExecutorDeps> = {}): ExecutorDeps {
  return { http: { request: async () => Promise.reject(new Error('no http')) }, lambda: { invoke: async () => ({}) }, expressions, etl: { stores: fake, scope: { reservedTables: ['stepwise-local'] } }, ...extra };
}

const rows = (records: DataRecord[], firstRow = 2): (() => Iterable<SourceItem>) => () => records.map((record, i) => ({ row: firstRow + i, record }));

describe('etl transformations', () => {
  it('snake_cases keys and reads common dates as ISO 8601', () => {
    expect(['userName', 'User Name', 'user-name', 'USER_NAME', 'HTTPStatus', ' Signup Date '].map(snakeCase)).toEqual(['user_name', 'user_name', 'user_name', 'user_name', 'http_status', 'signup_date']);
    expect(isoDate('2024-03-05')).toBe('2024-03-05');
    expect(isoDate('3/5/2024')).toBe('2024-03-05');
    expect(isoDate('2024-03-05 10:30')).toBe('2024-03-05T10:30:00.000Z');
    expect(isoDate('2024-03-05T10:30:00+02:00')).toBe('2024-03-05T08:30:00.000Z');
    expect([isoDate('2024-02-30'), isoDate('13/01/2024'), isoDate('12'), isoDate('Customer 1')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('etl executor (fake stores)', () => {
  it('normalize: trims strings (empty to null), snake_cases keys, ISO dates; reports records to the runner', async () => {
    const { fake, written, state } = stores({ 's3://in-data/a.csv': rows([{ 'Full Name': '  Ada  ', signupDate: '03/05/2024', Note: '  ' }]) });
    const outcome = await runAction(request({ source_url: 's3://in-data/a.csv', target_url: 'postgres://u@db.example.com:5432/crm/staging', transformation: 'normalize' }), ctx, deps(fake));
    expect(written).toEqual([[{ full_name: 'Ada', signup_date: '2024-03-05', note: null }]]);
    expect(outcome.result).toMatchObject({ action: 'execute', records: { processed: 1, failed: 0 }, output: { records_processed: 1, records_failed: 0, errors: [], format: 'csv', bytes_read: 10, bytes_written: 20 } });
    expect(state().closed).toBe(true);
  });

  it('dedupe drops records equal to one already seen (in any key order), counted as skipped', async () => {
    const { fake, written } = stores({ 's3://in-data/a.json': rows([{ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 3 }, { a: 1, b: 2 }]) });
    const outcome = await runAction(request({ source_url: 's3://in-data/a.json', target_url: 's3://out-data/b.ndjson', transformation: 'dedupe' }), ctx, deps(fake));
    expect(written.flat()).toEqual([{ a: 1, b: 2 }, { a: 1, b: 3 }]);
    expect(outcome.result).toMatchObject({ output: { records_processed: 2, records_failed: 0, records_skipped: 2 } });
  });

  it('a JSONata transformation applies per record: a record it fails on, or that it turns into a non-object, is counted with its row', async () => {
    const input = rows([{ id: '1', n: '5' }, { id: '2', n: 'five' }, { id: '3', n: '7' }, { id: 'skip', n: '0' }, ...Array.from({ length: 20 }, (_, i) => ({ id: String(10 + i), n: '1' }))]);
    const { fake, written } = stores({ 's3://in-data/a.ndjson': input });
    const outcome = await runAction(request({ source_url: 's3://in-data/a.ndjson', target_url: 's3://out-data/b.ndjson', transformation: 'id = "skip" ? undefined : id = "3" ? "text" : {"id": $number(id), "double": $number(n) * 2}' }), ctx, deps(fake));
    expect(written.flat().slice(0, 2)).toEqual([
      { id: 1, double: 10 },
      { id: 10, double: 2 },
    ]);
    expect(outcome.result).toMatchObject({
      records: { processed: 21, failed: 2 },
      output: { records_processed: 21, records_failed: 2, records_skipped: 1, errors: [{ row: 3, error: expect.stringContaining('the transformation failed') }, { row: 4, error: 'the transformation gave string, not an object' }] },
    });
  });

  it('refuses $$ in a transformation: records are evaluated a batch at a time, so it would not be the record', async () => {
    const { fake } = stores({ 's3://in-data/a.csv': rows([{ id: 1 }]) });
    const error = await runnerFailure(runAction(request({ source_url: 's3://in-data/a.csv', target_url: 's3://out-data/x.csv', transformation: '$$.id' }), ctx, deps(fake)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'transformation: $ is the record; $$ is not available in etl (it would name the batch)' });
  });

  it('a JSONata syntax error fails the node, naming the transformation', async () => {
    const { fake } = stores({ 's3://in-data/a.ndjson': rows([{ id: 1 }]) });
    const error = await runnerFailure(runAction(request({ source_url: 's3://in-data/a.ndjson', target_url: 's3://out-data/b.ndjson', transformation: '{"id": ' }), ctx, deps(fake)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('transformation is not a valid JSONata expression') });
  });

  it('malformed and refused records are counted with the first 10 errors, and the run succeeds while at most 10 % fail', async () => {
    const items = (): Iterable<SourceItem> => Array.from({ length: 200 }, (_, i): SourceItem => (i % 20 === 5 ? { row: i + 2, error: 'Invalid Record Length' } : { row: i + 2, record: { id: i } }));
    const { fake } = stores({ 's3://in-data/a.csv': items }, (r) => (r.id === 7 ? 'value too long for type character varying(2)' : undefined));
    const outcome = await runAction(request({ source_url: 's3://in-data/a.csv', target_url: 'postgres://local/t' }), ctx, deps(fake, { data: { source: async () => source('local', 'postgres://local@127.0.0.1:5433/postgres'), sql: { query: async () => ({ rows: [] }) }, lastSuccessfulRun: async () => undefined } }));
    const output = (outcome.result as { output: { records_failed: number; records_processed: number; errors: { row: number; error: string }[] } }).output;
    expect(output.records_failed).toBe(11);
    expect(output.records_processed).toBe(189);
    expect(output.errors).toHaveLength(10);
    expect(output.errors.slice(0, 2)).toEqual([
      { row: 7, error: 'Invalid Record Length' },
      { row: 9, error: 'value too long for type character varying(2)' },
    ]);
  });

  it('more than 10 % failed fails the run (stopping early once 1,000 were read) and abandons the target', async () => {
    let pulled = 0;
    const bad = function* (): Iterable<SourceItem> {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield i % 4 === 0 ? { row: i + 2, error: 'Quote Not Closed' } : { row: i + 2, record: { id: i } };
      }
    };
    const { fake, state } = stores({ 's3://in-data/a.csv': bad });
    const error = await runnerFailure(runAction(request({ source_url: 's3://in-data/a.csv', target_url: 's3://out-data/b.csv' }), ctx, deps(fake)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringMatching(/^etl failed: 250 of 1000 records could not be loaded, more than 10 % \(first: row 2: Quote Not Closed; row 6/) });
    expect(pulled).toBe(1_000);
    expect(state()).toMatchObject({ aborted: true, closed: false });
  });

  it('streams: 20,000 records reach the target in batches of 500, the source never more than one batch ahead', async () => {
    const many = function* (): Iterable<SourceItem> {
      for (let i = 0; i < 20_000; i++) yield { row: i + 1, record: { id: i, text: `row ${i}` } };
    };
    const { fake, written, state } = stores({ 'dynamodb://events-in': many });
    const outcome = await runAction(request({ source_url: 'dynamodb://events-in', target_url: 'dynamodb://events-out' }), ctx, deps(fake));
    expect(written).toHaveLength(40);
    expect(written.every((b) => b.length === 500)).toBe(true);
    expect(state().maxAhead).toBeLessThanOrEqual(500);
    expect(outcome.result).toMatchObject({ records: { processed: 20_000, failed: 0 } });
  });

  it('postgres://<data source>/<table> uses the account’s source, its secret resolved inside the runner', async () => {
    const { fake, opened } = stores({ 'postgres://app:pw-s3cret@db.example.com:5432/crm#customers': rows([{ id: 1 }]) });
    const lookups: string[] = [];
    const data: ExecutorDeps['data'] = { source: async (_a, name) => (lookups.push(name), name === 'crm' ? source('crm', 'postgres://app:{{secrets.DB_PASSWORD}}@db.example.com:5432/crm') : undefined), sql: { query: async () => ({ rows: [] }) }, lastSuccessfulRun: async () => undefined };
    await runAction(request({ source_url: 'postgres://crm/customers', target_url: 's3://out-data/customers.csv' }), ctx, deps(fake, { data }));
    // The target is opened first (it can always be abandoned), then the source.
    expect(opened.map((o) => o.location)).toEqual([
      { kind: 's3', bucket: 'out-data', key: 'customers.csv' },
      { kind: 'postgres', url: 'postgres://app:pw-s3cret@db.example.com:5432/crm', table: 'customers', schema: undefined },
    ]);
    const { fake: again, state } = stores({});
    const missing = await runnerFailure(runAction(request({ source_url: 'postgres://db/staging', target_url: 's3://out-data/x.csv' }), ctx, deps(again, { data })));
    expect(state().aborted).toBe(true);
    expect(missing.message).toBe('source_url: data source "db" does not exist in this account (postgres://<data source>/<table>; POST /api/v1/data-sources)');
  });

  it('an https parquet source is fetched as bytes (never through a UTF-8 decode) and decoded as parquet', async () => {
    const { fake, written } = stores({});
    const parquet = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0xff, 0xfe, 0x00, 0x50, 0x41, 0x52, 0x31]);
    const decoded: { bytes: Uint8Array; format: string }[] = [];
    fake.decode = (bytes, options) => {
      decoded.push({ bytes, format: options.format });
      return {
        batches: (async function* () {
          yield [{ row: 1, record: { id: 1 } }];
        })(),
        bytesRead: () => bytes.length,
      };
    };
    const asked: HttpRequest[] = [];
    const http: HttpClient = { request: async (req) => (asked.push(req), { status: 200, headers: { 'content-type': 'application/vnd.apache.parquet' }, body: '', bytes: parquet, truncated: false, url: req.url }) };
    const outcome = await runAction(request({ source_url: 'https://files.example.com/users.parquet', target_url: 's3://out-data/users.ndjson' }), ctx, deps(fake, { http }));
    expect(asked[0]).toMatchObject({ method: 'GET', binary: true });
    expect(decoded).toEqual([{ bytes: parquet, format: 'parquet' }]);
    expect(written).toEqual([[{ id: 1 }]]);
    expect(outcome.result).toMatchObject({ output: { records_processed: 1, records_failed: 0, format: 'parquet', bytes_read: parquet.length } });
  });

  it('refuses locations outside what the account may use, before reading anything', async () => {
    const { fake, opened } = stores({});
    const aws = deps(fake, { etl: { stores: fake, scope: { bucket: 'stepwise-dev-data-1', userTablePrefix: 'stepwise-dev-data_', reservedTables: ['stepwise-dev'] } } });
    const cases: [Record<string, unknown>, string][] = [
      [{ source_url: 'ftp://x/y', target_url: 's3://bkt/k' }, 'source_url must be an s3://, https://, postgres:// or dynamodb:// URL'],
      [{ source_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/x.csv`, target_url: 'https://example.com/upload' }, 'target_url must be an s3://, postgres:// or dynamodb:// location (https is read-only)'],
      [{ source_url: 's3://other-bucket/etl/x.csv', target_url: 's3://bkt/k' }, `source_url: s3 locations here are s3://stepwise-dev-data-1/etl/${ACCOUNT}/… (the stage's data bucket, this account's prefix)`],
      [{ source_url: `s3://stepwise-dev-data-1/etl/acct_OTHER/x.csv`, target_url: 's3://bkt/k' }, `source_url: s3 locations here are s3://stepwise-dev-data-1/etl/${ACCOUNT}/… (the stage's data bucket, this account's prefix)`],
      [{ source_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/x.csv`, target_url: 'dynamodb://stepwise-dev' }, "target_url: dynamodb://stepwise-dev is Stepwise's own table, not a data table"],
      [{ source_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/x.csv`, target_url: 'dynamodb://stepwise-dev-data_acct_OTHER-t' }, `target_url: dynamodb tables here are named stepwise-dev-data_${ACCOUNT}-… (this account's data tables)`],
      [{ source_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/x.csv`, target_url: 'postgres://local/bad;name' }, 'target_url: the table must be a SQL identifier (a letter or "_", then up to 62 letters, digits or "_"), optionally schema.table'],
      [{ source_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/x.csv`, target_url: `s3://stepwise-dev-data-1/etl/${ACCOUNT}/out.csv`, format: 'xml' }, 'format must be one of csv, json, ndjson, parquet'],
    ];
    for (const [params, message] of cases) {
      const error = await runnerFailure(runAction(request(params), ctx, aws));
      expect(error, message).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message });
    }
    expect(opened).toEqual([]);
  });

  it('a failure that could pass is final once records are in the target (a retry would load them twice), and a failed close abandons the target', async () => {
    const many = rows(Array.from({ length: 1_200 }, (_, i) => ({ id: i })));
    const { fake, state } = stores({ 's3://in-data/a.csv': many });
    let batches = 0;
    const write = fake.write;
    const flaky: DataStores = {
      ...fake,
      write: async (location, options) => {
        const writer = await write(location, options);
        return { ...writer, write: async (records) => (++batches === 2 ? Promise.reject(new DataFailure('unavailable', 'the database connection failed (ECONNRESET)')) : writer.write(records)) };
      },
    };
    const midway = await runnerFailure(runAction(request({ source_url: 's3://in-data/a.csv', target_url: 'postgres://u@db.example.com:5432/crm/staging' }), ctx, deps(flaky)));
    expect(midway).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'target_url: the database connection failed (ECONNRESET) (after 500 records were loaded, which a retry would load again)' });
    expect(state().aborted).toBe(true);

    const { fake: closing, state: closed } = stores({ 's3://in-data/a.csv': rows([{ id: 1 }]) });
    const writeClosing = closing.write;
    const failingClose: DataStores = { ...closing, write: async (location, options) => ({ ...(await writeClosing(location, options)), close: async () => Promise.reject(new DataFailure('invalid', 'CompleteMultipartUpload refused')) }) };
    const refused = await runnerFailure(runAction(request({ source_url: 's3://in-data/a.csv', target_url: 's3://out-data/x.csv' }), ctx, deps(failingClose)));
    expect(refused).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'target_url: CompleteMultipartUpload refused' });
    expect(closed().aborted).toBe(true);
  });

  it('refuses malformed locations, compressed files and parquet targets as non-retryable, naming the field, before opening anything', async () => {
    const { fake, opened } = stores({});
    const cases: [Record<string, unknown>, string][] = [
      [{ source_url: 'postgres://src/%E0', target_url: 's3://out-data/x.csv' }, 'source_url: the path has a malformed %-escape (each % must start a UTF-8 byte such as %20)'],
      [{ source_url: 'https://exa mple.com/x.csv', target_url: 's3://out-data/x.csv' }, 'source_url is not a valid https:// URL'],
      [{ source_url: 's3://in-data/x.csv', target_url: 'postgres://local/a.b.c' }, 'target_url: the table must be a SQL identifier (a letter or "_", then up to 62 letters, digits or "_"), optionally schema.table; "a.b.c" has more than one "."'],
      [{ source_url: 's3://in-data/x.csv.gz', target_url: 's3://out-data/x.csv' }, 'source_url: compressed files (.gz) are not supported; etl does not decompress, so store the file uncompressed (.csv, .json, .ndjson or .parquet)'],
      [{ source_url: 'https://files.example.com/x.json.bz2', target_url: 's3://out-data/x.csv' }, 'source_url: compressed files (.bz2) are not supported; etl does not decompress, so store the file uncompressed (.csv, .json, .ndjson or .parquet)'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.ndjson.zst' }, 'target_url: compressed files (.zst) are not supported; etl does not decompress, so store the file uncompressed (.csv, .json, .ndjson or .parquet)'],
      [{ source_url: 's3://in-data/x.csv', target_url: 's3://out-data/x.parquet' }, 'target_url: etl writes csv, json, ndjson, not parquet; give the target a .csv, .json or .ndjson key'],
      [{ source_url: 's3://in-data/x.parquet', target_url: 's3://out-data/out', format: 'parquet' }, "target_url: etl writes csv, json, ndjson, not parquet (format names the source's); give the target a .csv, .json or .ndjson key"],
    ];
    for (const [params, message] of cases) {
      const error = await runnerFailure(runAction(request(params), ctx, deps(fake)));
      expect(error, message).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message });
    }
    expect(opened).toEqual([]);
  });

  it('writes an S3 target in its extension\'s format, else in the format named, else ndjson', async () => {
    const { fake } = stores({ 's3://in-data/x.csv': rows([{ id: 1 }]) });
    const formats: string[] = [];
    const recording: DataStores = { ...fake, write: async (location, options) => (formats.push(`${location.kind === 's3' ? location.key : location.kind}:${options.format}`), fake.write(location, options)) };
    for (const [target, format] of [['s3://out-data/a.json', 'csv'], ['s3://out-data/b', 'csv'], ['s3://out-data/c', undefined], ['s3://out-data/d.jsonl', undefined]] as const) {
      await runAction(request({ source_url: 's3://in-data/x.csv', target_url: target, ...(format ? { format } : {}) }), ctx, deps(recording));
    }
    expect(formats).toEqual(['a.json:json', 'b:csv', 'c:ndjson', 'd.jsonl:ndjson']);
  });

  it('a store that does not answer is retryable; a missing object is not', async () => {
    const { fake } = stores({});
    const missing = await runnerFailure(runAction(request({ source_url: 's3://in-data/none.csv', target_url: 's3://out-data/x.csv' }), ctx, deps(fake)));
    expect(missing).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'source_url: s3://in-data/none.csv does not exist' });
    const down: DataStores = { ...fake, read: async () => Promise.reject(new DataFailure('unavailable', 'dynamodb://t: ProvisionedThroughputExceededException')) };
    const busy = await runnerFailure(runAction(request({ source_url: 'dynamodb://events', target_url: 's3://out-data/x.csv' }), ctx, deps(down)));
    expect(busy).toMatchObject({ name: RUNNER_ERRORS.retryable, message: 'source_url: dynamodb://t: ProvisionedThroughputExceededException' });
  });
});

function source(name: string, url: string): DataSource {
  return { accountId: ACCOUNT, name, type: 'postgres', url, createdAt: '2030-01-01T00:00:00Z', updatedAt: '2030-01-01T00:00:00Z' };
}
