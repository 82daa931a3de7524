/**
 * The record formats etl and fetch_data read and write: CSV (csv-parse, streaming), ndjson (line by
 * line), JSON (one document, read whole) and parquet (hyparquet, one row group at a time). The parsers
 * load on first use, so the task runner's cold start does not carry them.
 */
import { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';
import { DataFailure, type DataFormat, type DataRecord, type ReadOptions, type RecordReader, type SourceItem } from '../../core/etl/ports.ts';
import { lazy } from '../lazy.ts';

const csvParse = lazy(() => import('csv-parse'));
const hyparquet = lazy(() => import('hyparquet'));

/**
 * A JSON document (or parquet not read from S3) is held whole: bytes, text and parsed objects take
 * several times its size, and the task runner has 512 MB to 1 GB (lib/stage-config.ts). Past this,
 * ndjson (which streams) is the format to use.
 */
export const MAX_JSON_BYTES = 32 * 1_048_576;

const isRecord = (v: unknown): v is DataRecord => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Counts the bytes as they pass, for `bytes_read`. */
export function counted(chunks: AsyncIterable<Uint8Array>): { chunks: AsyncIterable<Uint8Array>; bytes: () => number } {
  let bytes = 0;
  return {
    bytes: () => bytes,
    chunks: (async function* () {
      for await (const chunk of chunks) {
        bytes += chunk.byteLength;
        yield chunk;
      }
    })(),
  };
}

async function* batched(items: AsyncIterable<SourceItem>, size: number): AsyncIterable<SourceItem[]> {
  let batch: SourceItem[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Records from a byte stream (csv, ndjson, json). Parquet needs random access: see parquetReader. */
export function streamReader(chunks: AsyncIterable<Uint8Array>, options: ReadOptions): RecordReader {
  const source = counted(chunks);
  const items = options.format === 'csv' ? csvItems(source.chunks) : options.format === 'ndjson' ? ndjsonItems(source.chunks) : options.format === 'json' ? jsonItems(source.chunks) : parquetFromStream(source.chunks);
  return { batches: batched(items, options.batchSize), bytesRead: source.bytes };
}

/** A CSV field may not grow past this: an unclosed quote would otherwise hold the rest of the file in memory. */
export const MAX_CSV_RECORD_BYTES = 1_048_576;
/** Skipped lines kept while the reader has not taken them: past this, the input waits. */
const MAX_QUEUED_SKIPS = 1_000;

/**
 * A header line, then one record per line; a line with the wrong number of fields or an unclosed quote
 * is that row's error. Errors are handed over as they are found (a file of bad lines reaches the 10 %
 * stop early and holds no queue), in file order with the records around them.
 */
async function* csvItems(chunks: AsyncIterable<Uint8Array>): AsyncIterable<SourceItem> {
  const { parse } = await csvParse();
  const parser = parse({ columns: true, bom: true, skip_empty_lines: true, skip_records_with_error: true, info: true, max_record_size: MAX_CSV_RECORD_BYTES });
  const skipped: SourceItem[] = [];
  let skipArrived: () => void = () => undefined;
  const input = Readable.from(chunks);
  let piped = true;
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ row: error.lines ?? 0, error: error.message });
    if (piped && skipped.length >= MAX_QUEUED_SKIPS) {
      input.unpipe(parser);
      piped = false;
    }
    skipArrived();
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  const takeSkipped = function* (beforeRow: number) {
    while (skipped.length > 0 && skipped[0]!.row < beforeRow) yield skipped.shift()!;
    if (!piped && skipped.length < MAX_QUEUED_SKIPS && !input.destroyed) {
      input.pipe(parser);
      piped = true;
    }
  };
  const records = (parser as AsyncIterable<{ record: DataRecord; info: { lines: number } }>)[Symbol.asyncIterator]();
  try {
    let next = records.next();
    for (;;) {
      // A skip is reported while its chunk is parsed, before the records ahead of it become readable
      // (a tick later): waiting one turn of the event loop lets those records win the race.
      const skip = new Promise<'skip'>((resolve) => (skipArrived = () => setImmediate(() => resolve('skip'))));
      if (skipped.length > 0) skipArrived();
      const winner = await Promise.race([next, skip]);
      if (winner === 'skip') {
        yield* takeSkipped(Number.POSITIVE_INFINITY);
        continue;
      }
      if (winner.done) break;
      yield* takeSkipped(winner.value.info.lines);
      yield { row: winner.value.info.lines, record: winner.value.record };
      next = records.next();
    }
  } catch (error) {
    if (error instanceof DataFailure) throw error;
    throw new DataFailure('invalid', `the CSV could not be read: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
  yield* takeSkipped(Number.POSITIVE_INFINITY);
}

async function* lines(chunks: AsyncIterable<Uint8Array>): AsyncIterable<{ line: string; number: number }> {
  const decoder = new TextDecoder();
  let rest = '';
  let number = 0;
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = rest.indexOf('\n')) >= 0) {
      number++;
      yield { line: rest.slice(0, newline), number };
      rest = rest.slice(newline + 1);
    }
  }
  rest += decoder.decode();
  if (rest !== '') yield { line: rest, number: number + 1 };
}

async function* ndjsonItems(chunks: AsyncIterable<Uint8Array>): AsyncIterable<SourceItem> {
  for await (const { line, number } of lines(chunks)) {
    const text = line.trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { row: number, error: `not JSON: ${(error as Error).message}` };
      continue;
    }
    yield isRecord(value) ? { row: number, record: value } : { row: number, error: 'not a JSON object' };
  }
}

export async function readAll(chunks: AsyncIterable<Uint8Array>, max: number, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > max) throw new DataFailure('invalid', `${what} is larger than ${max} bytes, the most read whole`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** An array of objects, `{data: [...]}`, `{records: [...]}` or one object. */
async function* jsonItems(chunks: AsyncIterable<Uint8Array>): AsyncIterable<SourceItem> {
  const text = new TextDecoder().decode(await readAll(chunks, MAX_JSON_BYTES, 'the JSON document (use ndjson, which streams)'));
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DataFailure('invalid', `the JSON document could not be parsed: ${(error as Error).message}`);
  }
  const list = Array.isArray(document) ? document : isRecord(document) && Array.isArray(document.data) ? document.data : isRecord(document) && Array.isArray(document.records) ? document.records : [document];
  for (const [i, value] of list.entries()) yield isRecord(value) ? { row: i + 1, record: value } : { row: i + 1, error: 'not a JSON object' };
}

async function* parquetFromStream(chunks: AsyncIterable<Uint8Array>): AsyncIterable<SourceItem> {
  const bytes = await readAll(chunks, MAX_JSON_BYTES, 'the parquet file');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  yield* parquetItems(buffer);
}

/** Parquet over random access (ranged reads of an S3 object): only the footer and one row group at a time are held. */
export function parquetReader(file: AsyncBuffer, options: ReadOptions, bytesRead: () => number): RecordReader {
  return { batches: batched(parquetItems(file), options.batchSize), bytesRead };
}

async function* parquetItems(file: AsyncBuffer | ArrayBuffer): AsyncIterable<SourceItem> {
  const { parquetMetadataAsync, parquetReadObjects } = await hyparquet();
  const asyncFile: AsyncBuffer = file instanceof ArrayBuffer ? { byteLength: file.byteLength, slice: (start, end) => file.slice(start, end) } : file;
  let metadata;
  try {
    metadata = await parquetMetadataAsync(asyncFile);
  } catch (error) {
    throw new DataFailure('invalid', `not a parquet file: ${(error as Error).message}`);
  }
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const rows = await parquetReadObjects({ file: asyncFile, metadata, rowStart: start, rowEnd: end });
    for (const [i, row] of rows.entries()) yield { row: start + i + 1, record: plain(row) as DataRecord };
    start = end;
  }
}

/** Parquet's INT64 comes back as BigInt and timestamps as Date: JSON has neither. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

// ---------------------------------------------------------------- writing

/** Turns batches of records into the object's text: ndjson a line each, json one array, csv a header from the first record. */
export class RecordEncoder {
  private started = false;
  private columns: string[] | undefined;
  constructor(private readonly format: Exclude<DataFormat, 'parquet'>) {}

  /** The text for these records, and the ones it could not write (index, reason). */
  encode(records: readonly DataRecord[]): { text: string; refused: { index: number; error: string }[] } {
    const refused: { index: number; error: string }[] = [];
    let text = '';
    for (const [index, record] of records.entries()) {
      if (this.format === 'ndjson') text += `${JSON.stringify(record)}\n`;
      else if (this.format === 'json') text += `${this.started ? ',\n' : '[\n'}${JSON.stringify(record)}`;
      else {
        if (!this.columns) {
          this.columns = Object.keys(record);
          text += `${this.columns.map(csvField).join(',')}\n`;
        }
        const extra = Object.keys(record).filter((k) => !this.columns!.includes(k));
        if (extra.length > 0) {
          refused.push({ index, error: `column ${JSON.stringify(extra[0])} is not in the CSV header (${this.columns.join(', ')})` });
          continue;
        }
        text += `${this.columns.map((c) => csvField(record[c])).join(',')}\n`;
      }
      this.started = true;
    }
    return { text, refused };
  }

  /** What closes the object (json's bracket). */
  end(): string {
    if (this.format === 'json') return this.started ? '\n]\n' : '[]\n';
    return '';
  }
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
