import type { DataStores, Filters, ReadOptions, RecordReader, RecordWriter, StoreLocation, WriteOptions } from '../../core/etl/ports.ts';
import type { DynamoDBDocumentClient } from '../dynamodb/client.ts';
import type { PgSqlClient } from '../sql/pg-sql-client.ts';
import { DynamoRecords } from './dynamodb-records.ts';
import { streamReader } from './formats.ts';
import { PgRecords } from './pg-records.ts';
import { S3Records, type S3RecordSettings } from './s3-records.ts';

/** etl's and fetch_data's stores, one adapter per kind of location (functions/root/runner.ts builds it). */
export class StoreDataStores implements DataStores {
  private readonly s3: S3Records;
  private readonly pg: PgRecords;
  private readonly dynamo: DynamoRecords;

  constructor(settings: { s3: S3RecordSettings; sql: PgSqlClient; db: DynamoDBDocumentClient }) {
    this.s3 = new S3Records(settings.s3);
    this.pg = new PgRecords(settings.sql);
    this.dynamo = new DynamoRecords(settings.db);
  }

  read(location: StoreLocation, options: ReadOptions): Promise<RecordReader> {
    if (location.kind === 's3') return this.s3.read(location.bucket, location.key, options);
    if (location.kind === 'postgres') return this.pg.read(location, options);
    return this.dynamo.read(location.table, options);
  }

  decode(body: Uint8Array, options: ReadOptions): RecordReader {
    return streamReader(
      (async function* () {
        yield body;
      })(),
      options,
    );
  }

  write(location: StoreLocation, options: WriteOptions): Promise<RecordWriter> {
    if (location.kind === 's3') return this.s3.write(location.bucket, location.key, options);
    if (location.kind === 'postgres') return this.pg.write(location);
    return this.dynamo.write(location.table, options.signal);
  }

  queryTable(table: string, filters: Filters, limit: number, signal?: AbortSignal) {
    return this.dynamo.query(table, filters, limit, signal);
  }
}
