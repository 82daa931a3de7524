import type pg from 'pg';
import { SqlFailure } from '../../core/data-sources/ports.ts';
import { DataFailure, type DataRecord, type ReadOptions, type RecordReader, type RecordWriter } from '../../core/etl/ports.ts';
import type { PgSqlClient } from '../sql/pg-sql-client.ts';

/** One statement may take this long; a whole etl run is bounded by the runner (limits.maxEtlMs). */
const STATEMENT_TIMEOUT_MS = 120_000;
/** Postgres binds at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;
const MAX_IDENTIFIER_BYTES = 63;

export interface PgTable {
  url: string;
  table: string;
  schema?: string | undefined;
}

/** A double-quoted identifier: the only way a name reaches SQL text (values are always bind parameters). */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new DataFailure('invalid', 'a column or table name contains a NUL character');
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) throw new DataFailure('invalid', `the name ${JSON.stringify(name.slice(0, 80))} is longer than Postgres's ${MAX_IDENTIFIER_BYTES} bytes`);
  return `"${name.replaceAll('"', '""')}"`;
}

const tableName = (t: PgTable) => (t.schema ? `${quoteIdentifier(t.schema)}.${quoteIdentifier(t.table)}` : quoteIdentifier(t.table));

/** The column type a new table gets for the first record's value. */
function columnType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'bigint' : 'double precision';
  if (typeof value === 'boolean') return 'boolean';
  if (value !== null && typeof value === 'object') return 'jsonb';
  return 'text';
}

/** A bind value: objects as JSON text (jsonb columns). */
const bindValue = (value: unknown) => (value === undefined ? null : value !== null && typeof value === 'object' ? JSON.stringify(value) : value);

function sqlFailure(error: unknown, what: string): DataFailure {
  if (error instanceof DataFailure) return error;
  if (error instanceof SqlFailure) return new DataFailure(error.kind === 'blocked' ? 'blocked' : 'unavailable', `${what}: ${error.message}`);
  const e = error as { code?: string; message?: string };
  if (e.code === '42P01') return new DataFailure('not_found', `${what} does not exist`);
  if (e.code === undefined || e.code.startsWith('08') || e.code === '57P01') return new DataFailure('unavailable', `${what}: the database connection failed (${e.message ?? 'error'})`);
  // A statement timeout is the server's load, not the batch's rows: retrying them one by one would only time out 500 times.
  if (e.code === '57014') return new DataFailure('unavailable', `${what}: the statement did not finish in time (SQLSTATE 57014)`);
  return new DataFailure('invalid', `${what}: the database refused the statement: ${e.message ?? 'error'} (SQLSTATE ${e.code})`);
}

/**
 * Postgres tables as records, over one connection per run (opened by the SSRF-checked PgSqlClient): reads
 * through a cursor, a batch at a time; writes one multi-row parameterised INSERT per batch, creating the
 * table from the first record when it is missing.
 */
export class PgRecords {
  constructor(private readonly sql: PgSqlClient) {}

  private async connect(table: PgTable, name: string): Promise<pg.Client> {
    let client: pg.Client;
    try {
      client = await this.sql.open({ url: table.url }, { timeoutMs: STATEMENT_TIMEOUT_MS }, name);
      await client.connect();
    } catch (error) {
      throw error instanceof SqlFailure ? sqlFailure(error, 'the database') : new DataFailure('unavailable', `could not connect to the database (${(error as { code?: string }).code ?? 'connection failed'})`);
    }
    client.on('error', () => undefined);
    return client;
  }

  async read(table: PgTable, options: ReadOptions): Promise<RecordReader> {
    const client = await this.connect(table, 'stepwise-etl-read');
    const what = `table ${table.table}`;
    let bytes = 0;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE stepwise_etl NO SCROLL CURSOR FOR SELECT * FROM ${tableName(table)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw sqlFailure(error, what);
    }
    const batches = (async function* () {
      let row = 0;
      try {
        for (;;) {
          if (options.signal?.aborted) throw new DataFailure('aborted', 'the run was cancelled');
          let rows: DataRecord[];
          try {
            rows = (await client.query(`FETCH ${Math.max(1, Math.floor(options.batchSize))} FROM stepwise_etl`)).rows as DataRecord[];
          } catch (error) {
            throw sqlFailure(error, what);
          }
          if (rows.length === 0) return;
          yield rows.map((r) => {
            const record = JSON.parse(JSON.stringify(r)) as DataRecord;
            bytes += Buffer.byteLength(JSON.stringify(record));
            return { row: ++row, record };
          });
        }
      } finally {
        await client.query('COMMIT').catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    })();
    return { batches, bytesRead: () => bytes };
  }

  async write(table: PgTable): Promise<RecordWriter> {
    const client = await this.connect(table, 'stepwise-etl-write');
    const what = `table ${table.table}`;
    let columns: Set<string> | undefined;
    let written = 0;
    const ensureTable = async (first: DataRecord) => {
      const found = await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2', [table.schema ?? null, table.table]);
      if (found.rows.length > 0) return new Set(found.rows.map((r) => r.column_name));
      const definitions = Object.entries(first).map(([k, v]) => `${quoteIdentifier(k)} ${columnType(v)}`);
      if (definitions.length === 0) throw new DataFailure('invalid', `${what} cannot be created from a record without fields`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${tableName(table)} (${definitions.join(', ')})`);
      return new Set(Object.keys(first));
    };
    const insert = async (records: readonly DataRecord[], names: string[]) => {
      const values: unknown[] = [];
      const tuples = records.map((record) => `(${names.map((n) => `$${values.push(bindValue(record[n]))}`).join(', ')})`);
      await client.query({ text: `INSERT INTO ${tableName(table)} (${names.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`, values });
      // bytes_written for a table: the stored records as JSON text (what a reader gets back).
      return records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);
    };
    return {
      write: async (records) => {
        const refused: { index: number; error: string }[] = [];
        // An empty record is that row's failure, not the table's: the table takes its columns from the first record with fields.
        const first = records.find((r) => Object.keys(r).length > 0);
        try {
          if (first) columns ??= await ensureTable(first);
        } catch (error) {
          throw sqlFailure(error, what);
        }
        const known = columns;
        const accepted: { record: DataRecord; index: number }[] = [];
        for (const [index, record] of records.entries()) {
          const unknown = Object.keys(record).find((k) => !known?.has(k));
          if (Object.keys(record).length === 0) refused.push({ index, error: 'the record has no fields' });
          else if (unknown !== undefined) refused.push({ index, error: `column ${JSON.stringify(unknown)} is not in ${what}` });
          else accepted.push({ record, index });
        }
        const names = [...new Set(accepted.flatMap((a) => Object.keys(a.record)))];
        const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, names.length)));
        for (let i = 0; i < accepted.length; i += perStatement) {
          const chunk = accepted.slice(i, i + perStatement);
          try {
            written += await insert(
              chunk.map((c) => c.record),
              names,
            );
          } catch (error) {
            const failure = sqlFailure(error, what);
            if (failure.kind !== 'invalid') throw failure;
            // One bad value refuses the whole statement: row by row, the others still go in and the bad one is named.
            for (const c of chunk) {
              try {
                written += await insert([c.record], Object.keys(c.record));
              } catch (rowError) {
                const rowFailure = sqlFailure(rowError, what);
                if (rowFailure.kind !== 'invalid') throw rowFailure;
                refused.push({ index: c.index, error: rowFailure.message });
              }
            }
          }
        }
        return refused;
      },
      close: async () => {
        await client.end().catch(() => undefined);
        return { bytesWritten: written };
      },
      abort: async () => {
        await client.end().catch(() => undefined);
      },
    };
  }
}
