/**
 * etl's `source_url`, `target_url` and `format`: what each location names and which format its records
 * are in. Pure, and shared: validation refuses at publish what the runner would refuse at run time, so a
 * definition that is accepted runs (functions/core/etl/locations.ts adds the account's scope).
 */

export const DATA_FORMATS = ['csv', 'json', 'ndjson', 'parquet'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];
/** What etl writes: parquet is read only. */
export const TARGET_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

export type ParsedLocation =
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'https'; url: string }
  /** `postgres://<data source>/<table>`: a postgres data source of the account (`local` is local mode's embedded one). */
  | { kind: 'postgres-source'; source: string; table: string; schema?: string | undefined }
  /** `postgres://user:pass@host:5432/database/table`: the server itself; the last path segment is the table. */
  | { kind: 'postgres'; url: string; table: string; schema?: string | undefined }
  | { kind: 'dynamodb'; table: string };

export class LocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocationError';
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMO_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
/** Plain SQL identifiers only: they are still quoted, but a table name with quotes or spaces is far more likely a mistake. */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** Nothing in etl decompresses, so a compressed object would be read as garbage records. */
const COMPRESSED = /\.(gz|bz2|zst|zip)$/i;

export function parseLocation(text: string, field: string): ParsedLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(text);
    if (!m || !BUCKET.test(m[1]!)) throw new LocationError(`${field} must be s3://bucket/key (a bucket name of 3-63 lower-case letters, digits, "." or "-", then the key)`);
    refuseCompressed(m[2]!, field);
    return { kind: 's3', bucket: m[1]!, key: m[2]! };
  }
  if (scheme === 'https') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new LocationError(`${field} is not a valid https:// URL`);
    }
    refuseCompressed(url.pathname, field);
    return { kind: 'https', url: text };
  }
  if (scheme === 'dynamodb') {
    const table = text.slice('dynamodb://'.length);
    if (!DYNAMO_TABLE.test(table)) throw new LocationError(`${field} must be dynamodb://<table> (3-255 letters, digits, "_", "." or "-")`);
    return { kind: 'dynamodb', table };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgres(text, field);
  throw new LocationError(`${field} must be an s3://, https://, postgres:// or dynamodb:// URL`);
}

function refuseCompressed(path: string, field: string): void {
  const ext = COMPRESSED.exec(path)?.[1];
  if (ext) throw new LocationError(`${field}: compressed files (.${ext.toLowerCase()}) are not supported; etl does not decompress, so store the file uncompressed (.csv, .json, .ndjson or .parquet)`);
}

function parsePostgres(text: string, field: string): ParsedLocation {
  let url: URL;
  try {
    url = new URL(text.replace(/^postgresql:/i, 'postgres:'));
  } catch {
    throw new LocationError(`${field} is not a valid postgres:// URL`);
  }
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new LocationError(`${field}: the path has a malformed %-escape (each % must start a UTF-8 byte such as %20)`);
  }
  const hint = `${field} must be postgres://<data source>/<table> (e.g. postgres://local/staging) or postgres://user:password@host:port/database/table`;
  const last = segments.at(-1);
  if (!last) throw new LocationError(hint);
  const parts = last.split('.');
  const identifierHint = `${field}: the table must be a SQL identifier (a letter or "_", then up to 62 letters, digits or "_"), optionally schema.table`;
  if (parts.length > 2) throw new LocationError(`${identifierHint}; "${last}" has more than one "."`);
  const [schema, table] = parts.length === 2 ? (parts as [string, string]) : [undefined, last];
  if (!SQL_IDENTIFIER.test(table) || (schema !== undefined && !SQL_IDENTIFIER.test(schema))) throw new LocationError(identifierHint);
  const named = !url.username && !url.password && !url.port && !url.hostname.includes('.') && segments.length === 1 && !url.search;
  if (named) {
    if (!SOURCE_NAME.test(url.hostname)) throw new LocationError(hint);
    return { kind: 'postgres-source', source: url.hostname, table, schema };
  }
  if (segments.length !== 2) throw new LocationError(hint);
  // The connection string keeps user, password, host, port, database and options; only the table is taken off.
  const connection = new URL(url.toString());
  connection.pathname = `/${encodeURIComponent(segments[0]!)}`;
  return { kind: 'postgres', url: connection.toString(), table, schema };
}

/** `format` as named (jsonl is ndjson), or undefined; a name that is no format is refused. */
export function namedFormat(format: string | undefined, field: string): DataFormat | undefined {
  if (format === undefined) return undefined;
  const named = format.toLowerCase() === 'jsonl' ? 'ndjson' : format.toLowerCase();
  if (!(DATA_FORMATS as readonly string[]).includes(named)) throw new LocationError(`${field} must be one of ${DATA_FORMATS.join(', ')}`);
  return named as DataFormat;
}

const pathOf = (location: ParsedLocation) => (location.kind === 's3' ? location.key : location.kind === 'https' ? new URL(location.url).pathname : '');

function extensionFormat(path: string): DataFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'parquet' || ext === 'ndjson' || ext === 'json') return ext;
  if (ext === 'jsonl') return 'ndjson';
  return undefined;
}

/** The source's format: the one named, else the one the key's or URL's extension says, else JSON. */
export function formatOf(location: ParsedLocation, format: string | undefined, field: string): DataFormat {
  return namedFormat(format, field) ?? extensionFormat(pathOf(location)) ?? 'json';
}

/**
 * An S3 target's format: its extension (.csv, .json, .ndjson), else the `format` named, else ndjson,
 * which streams. Parquet is refused: etl does not write it.
 */
export function targetFormatOf(location: ParsedLocation, format: string | undefined, field: string): TargetFormat {
  if (location.kind !== 's3') return 'ndjson';
  const fromExtension = extensionFormat(location.key);
  const chosen = fromExtension ?? namedFormat(format, 'format') ?? 'ndjson';
  if (chosen === 'parquet') {
    throw new LocationError(
      fromExtension
        ? `${field}: etl writes ${TARGET_FORMATS.join(', ')}, not parquet; give the target a .csv, .json or .ndjson key`
        : `${field}: etl writes ${TARGET_FORMATS.join(', ')}, not parquet (format names the source's); give the target a .csv, .json or .ndjson key`,
    );
  }
  return chosen;
}

export const HTTPS_TARGET_REFUSAL = 'target_url must be an s3://, postgres:// or dynamodb:// location (https is read-only)';

/**
 * The refusals the location and format rules give without the account's scope, for the literal values
 * (`isLiteral` false for a value a template fills in at run time): what validation checks.
 */
export function etlLocationRefusals(params: { source_url?: unknown; target_url?: unknown; format?: unknown }, isLiteral: (s: string) => boolean): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const attempt = (field: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof LocationError)) throw error;
      out.push({ field, message: error.message });
    }
  };
  const literal = (value: unknown) => (typeof value === 'string' && isLiteral(value) ? value.trim() : undefined);
  let format = literal(params.format);
  if (format !== undefined) attempt('format', () => namedFormat(format, 'format'));
  if (out.length > 0) format = undefined;
  const sourceUrl = literal(params.source_url);
  if (sourceUrl !== undefined) attempt('source_url', () => parseLocation(sourceUrl, 'source_url'));
  const targetUrl = literal(params.target_url);
  if (targetUrl !== undefined) {
    attempt('target_url', () => {
      const target = parseLocation(targetUrl, 'target_url');
      if (target.kind === 'https') throw new LocationError(HTTPS_TARGET_REFUSAL);
      // A templated format is known only at run time; the target's own extension is checked regardless.
      targetFormatOf(target, format, 'target_url');
    });
  }
  return out;
}

/** The transformations etl has built in; any other value is a JSONata expression over each record. */
export const BUILT_IN_TRANSFORMATIONS = ['normalize', 'dedupe'] as const;
/** Values that mean no transformation. */
export const NO_TRANSFORMATION = ['', 'none'] as const;
