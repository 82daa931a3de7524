/**
 * What etl and fetch_data read from and write to: S3 objects, Postgres tables and DynamoDB tables, as
 * batches of records. Adapters (functions/adapters/etl) implement these with the SDKs and the format
 * libraries; core only sees records, byte counts and the typed failure below.
 */

export { DATA_FORMATS, type DataFormat } from '../../../statemachines/etl-locations.ts';
import type { DataFormat } from '../../../statemachines/etl-locations.ts';
import { PortFailure } from '../errors.ts';

export type DataRecord = Record<string, unknown>;

/** One record read, or one that could not be read; `row` is its line in the file (CSV, ndjson), its index otherwise (1-based). */
export type SourceItem = { row: number; record: DataRecord } | { row: number; error: string };

/** A location after templates and data-source names are resolved. */
export type StoreLocation =
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'postgres'; url: string; table: string; schema?: string | undefined }
  | { kind: 'dynamodb'; table: string };

export interface ReadOptions {
  format: DataFormat;
  batchSize: number;
  signal?: AbortSignal | undefined;
}

export interface RecordReader {
  /** Batches of at most batchSize items, read as they are consumed: nothing runs ahead of the consumer. */
  batches: AsyncIterable<SourceItem[]>;
  bytesRead(): number;
}

export interface RecordWriter {
  /** Writes one batch; the records it could not write come back (index in the batch and reason), the rest are stored. */
  write(records: readonly DataRecord[]): Promise<{ index: number; error: string }[]>;
  /** Finishes the write (the last part of an object, the connection). */
  close(): Promise<{ bytesWritten: number }>;
  /** Gives up: a partial object is not left behind, connections close. */
  abort(): Promise<void>;
}

export interface WriteOptions {
  /** The object's format (S3 targets); tables take records as they are. */
  format: Exclude<DataFormat, 'parquet'>;
  signal?: AbortSignal | undefined;
}

/** Equality conditions on attributes, as fetch_data's `filters`. */
export type Filters = Record<string, string | number | boolean | null>;

export interface DataStores {
  /** A reader of the location; throws DataFailure `not_found` when the object or table does not exist. */
  read(location: StoreLocation, options: ReadOptions): Promise<RecordReader>;
  /** Decodes bytes already fetched (an https source, read through the guarded HTTP client). */
  decode(body: Uint8Array, options: ReadOptions): RecordReader;
  write(location: StoreLocation, options: WriteOptions): Promise<RecordWriter>;
  /** fetch_data from a DynamoDB table: Query when the filters name the partition key (and the sort key, if any), else Scan with a filter expression. */
  queryTable(table: string, filters: Filters, limit: number, signal?: AbortSignal): Promise<{ records: DataRecord[]; operation: 'Query' | 'Scan' }>;
}

/**
 * `not_found`: no such object, bucket or table; `blocked`: the address or table is not one this runner may use;
 * `invalid`: the data or the request is wrong and will stay so; `unavailable`: the store did not answer (may pass).
 */
export type DataFailureKind = 'not_found' | 'blocked' | 'invalid' | 'unavailable' | 'aborted';

export class DataFailure extends PortFailure<DataFailureKind> {
  override readonly name = 'DataFailure';
}
