import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgRecords } from '../../../../functions/adapters/etl/pg-records.ts';
import { startLocalPostgres, type LocalPostgres } from '../../../../functions/adapters/local/local-postgres.ts';
import { PgSqlClient } from '../../../../functions/adapters/sql/pg-sql-client.ts';

/** etl's Postgres writer and reader against a real Postgres (PGlite over the wire protocol, as local mode serves it). */
describe('PgRecords (a real Postgres)', () => {
  let postgres: LocalPostgres;
  let dir: string;
  let records: PgRecords;
  const query = async (sql: string) => {
    const client = new Client({ connectionString: postgres.url, connectionTimeoutMillis: 120_000 });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-pg-records-'));
    postgres = await startLocalPostgres({ dataDir: dir, port: 0, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    records = new PgRecords(new PgSqlClient({ allowLoopback: true, reservedLoopbackPorts: new Set() }, `127.0.0.1:${postgres.port}`));
  }, 120_000);
  afterAll(async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the table from the first record (typed columns), keeps hostile names and values as data, and refuses only the rows the server refuses', async () => {
    const writer = await records.write({ url: postgres.url, table: 'loaded' });
    const hostile = 'name"); DROP TABLE loaded; --';
    const refused = await writer.write([
      { id: 1, [hostile]: "Robert'); DROP TABLE loaded; --", score: 1.5, active: true, tags: ['a', 'b'] },
      { id: 'not a number', [hostile]: 'x', score: 2, active: false, tags: [] },
      { id: 3, [hostile]: null, score: 3, active: false, tags: { nested: true } },
      { id: 4, unknown_column: 1 },
    ]);
    expect(refused).toEqual([
      { index: 3, error: 'column "unknown_column" is not in table loaded' },
      { index: 1, error: expect.stringMatching(/^table loaded: the database refused the statement: invalid input syntax for type bigint: "not a number" \(SQLSTATE 22P02\)$/) },
    ]);
    expect((await writer.close()).bytesWritten).toBeGreaterThan(0);
    const columns = await query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'loaded' ORDER BY ordinal_position");
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'bigint' },
      { column_name: hostile, data_type: 'text' },
      { column_name: 'score', data_type: 'double precision' },
      { column_name: 'active', data_type: 'boolean' },
      { column_name: 'tags', data_type: 'jsonb' },
    ]);
    const rows = await query('SELECT * FROM loaded ORDER BY id');
    expect(rows).toEqual([
      { id: '1', [hostile]: "Robert'); DROP TABLE loaded; --", score: 1.5, active: true, tags: ['a', 'b'] },
      { id: '3', [hostile]: null, score: 3, active: false, tags: { nested: true } },
    ]);
  }, 120_000);

  it('counts an empty first record as that row\'s failure and creates the table from the first record with fields', async () => {
    const writer = await records.write({ url: postgres.url, table: 'empty_first' });
    expect(await writer.write([{}])).toEqual([{ index: 0, error: 'the record has no fields' }]);
    expect(await writer.write([{}, { id: 2, name: 'b' }, {}])).toEqual([
      { index: 0, error: 'the record has no fields' },
      { index: 2, error: 'the record has no fields' },
    ]);
    await writer.close();
    expect(await query("SELECT column_name FROM information_schema.columns WHERE table_name = 'empty_first' ORDER BY ordinal_position")).toEqual([{ column_name: 'id' }, { column_name: 'name' }]);
    expect(await query('SELECT * FROM empty_first')).toEqual([{ id: '2', name: 'b' }]);
  }, 120_000);

  it('reads a table through a cursor, a batch at a time; a missing table is not_found', async () => {
    await query('CREATE TABLE many AS SELECT g AS id, md5(g::text) AS digest FROM generate_series(1, 1234) AS g');
    const reader = await records.read({ url: postgres.url, table: 'many' }, { format: 'json', batchSize: 500 });
    const sizes: number[] = [];
    let last: unknown;
    for await (const batch of reader.batches) {
      sizes.push(batch.length);
      last = batch.at(-1);
    }
    expect(sizes).toEqual([500, 500, 234]);
    expect(last).toMatchObject({ row: 1234, record: { id: 1234, digest: expect.any(String) } });
    expect(reader.bytesRead()).toBeGreaterThan(1234 * 40);
    await expect(records.read({ url: postgres.url, table: 'missing_table' }, { format: 'json', batchSize: 10 })).rejects.toMatchObject({ kind: 'not_found', message: 'table missing_table does not exist' });
  }, 120_000);
});
