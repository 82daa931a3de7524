/**
 * etl's `source_url` and `target_url` (FlowCtl): what each names, which format its records are in, and
 * whether this account may use it. Pure.
 */
import { DATA_FORMATS, type DataFormat } from './ports.ts';

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

export function parseLocation(text: string, field: string): ParsedLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(text);
    if (!m || !BUCKET.test(m[1]!)) throw new LocationError(`${field} must be s3://bucket/key (a bucket name of 3-63 lower-case letters, digits, "." or "-", then the key)`);
    return { kind: 's3', bucket: m[1]!, key: m[2]! };
  }
  if (scheme === 'https') return { kind: 'https', url: text };
  if (scheme === 'dynamodb') {
    const table = text.slice('dynamodb://'.length);
    if (!DYNAMO_TABLE.test(table)) throw new LocationError(`${field} must be dynamodb://<table> (3-255 letters, digits, "_", "." or "-")`);
    return { kind: 'dynamodb', table };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgres(text, field);
  throw new LocationError(`${field} must be an s3://, https://, postgres:// or dynamodb:// URL`);
}

function parsePostgres(text: string, field: string): ParsedLocation {
  let url: URL;
  try {
    url = new URL(text.replace(/^postgresql:/i, 'postgres:'));
  } catch {
    throw new LocationError(`${field} is not a valid postgres:// URL`);
  }
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const hint = `${field} must be postgres://<data source>/<table> (e.g. postgres://local/staging) or postgres://user:password@host:port/database/table`;
  const last = segments.at(-1);
  if (!last) throw new LocationError(hint);
  const [schema, table] = last.includes('.') ? (last.split('.', 2) as [string, string]) : [undefined, last];
  if (!SQL_IDENTIFIER.test(table) || (schema !== undefined && !SQL_IDENTIFIER.test(schema))) {
    throw new LocationError(`${field}: the table must be a SQL identifier (a letter or "_", then up to 62 letters, digits or "_"), optionally schema.table`);
  }
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

/** The format named, else the one the key's or URL's extension says, else JSON. */
export function formatOf(location: ParsedLocation, format: string | undefined, field: string): DataFormat {
  if (format !== undefined) {
    const named = format.toLowerCase() === 'jsonl' ? 'ndjson' : format.toLowerCase();
    if (!(DATA_FORMATS as readonly string[]).includes(named)) throw new LocationError(`${field} must be one of ${DATA_FORMATS.join(', ')}`);
    return named as DataFormat;
  }
  const path = location.kind === 's3' ? location.key : location.kind === 'https' ? new URL(location.url).pathname : '';
  const ext = /\.([a-z0-9]+)(?:\.gz)?$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'parquet' || ext === 'ndjson' || ext === 'json') return ext;
  if (ext === 'jsonl') return 'ndjson';
  return 'json';
}

/** An S3 target's format: its extension (.csv, .json), else ndjson, which streams. */
export function targetFormatOf(location: ParsedLocation): 'csv' | 'json' | 'ndjson' {
  const ext = location.kind === 's3' ? /\.([a-z0-9]+)$/i.exec(location.key)?.[1]?.toLowerCase() : undefined;
  return ext === 'csv' || ext === 'json' ? ext : 'ndjson';
}

/**
 * Where this runner's etl and fetch_data may read and write. Local mode: any bucket of the local object
 * store and any DynamoDB Local table but Stepwise's own. AWS: the stage's data bucket under
 * `etl/<account>/`, and tables named `<userTablePrefix><account>-…`, the only ones the role reaches.
 */
export interface DataScope {
  bucket?: string | undefined;
  userTablePrefix?: string | undefined;
  reservedTables: readonly string[];
}

export const accountDataPrefix = (accountId: string) => `etl/${accountId}/`;

export function scopeRefusal(scope: DataScope, accountId: string, location: ParsedLocation): string | undefined {
  if (location.kind === 's3' && scope.bucket !== undefined) {
    const prefix = accountDataPrefix(accountId);
    if (location.bucket !== scope.bucket || !location.key.startsWith(prefix)) return `s3 locations here are s3://${scope.bucket}/${prefix}… (the stage's data bucket, this account's prefix)`;
  }
  if (location.kind === 'dynamodb') {
    if (scope.reservedTables.includes(location.table)) return `dynamodb://${location.table} is Stepwise's own table, not a data table`;
    if (scope.userTablePrefix !== undefined && !location.table.startsWith(`${scope.userTablePrefix}${accountId}-`)) {
      return `dynamodb tables here are named ${scope.userTablePrefix}${accountId}-… (this account's data tables)`;
    }
  }
  return undefined;
}
