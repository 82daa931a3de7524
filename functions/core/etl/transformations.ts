/**
 * etl's built-in transformations (docs/api.md#etl). Pure; a JSONata transformation is evaluated by the
 * executor through the expression port.
 */
import { createHash } from 'node:crypto';
import type { DataRecord } from './ports.ts';

export { BUILT_IN_TRANSFORMATIONS } from '../../../statemachines/etl-locations.ts';

/** `userName`, `User Name`, `user-name` and `USER_NAME` all become `user_name`. */
export function snakeCase(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date in a common written form as ISO 8601: `2024-03-05` and `3/5/2024` (month first) stay dates
 * (`2024-03-05`); a date and time becomes UTC (`2024-03-05T10:00:00.000Z`, read as UTC without an offset).
 * Anything else is not a date and comes back undefined.
 */
export function isoDate(value: string): string | undefined {
  const valid = (y: number, m: number, d: number) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  let m = DATE_ONLY.exec(value);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3])) ? value : undefined;
  m = US_DATE.exec(value);
  if (m) return valid(Number(m[3]), Number(m[1]), Number(m[2])) ? `${m[3]}-${pad(Number(m[1]))}-${pad(Number(m[2]))}` : undefined;
  if (DATE_TIME.test(value)) {
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
    const time = Date.parse(withZone.replace(' ', 'T'));
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  return undefined;
}

/** Trims strings (an empty one becomes null), snake_cases keys (nested objects too) and writes dates as ISO 8601. */
export function normalize(record: DataRecord): DataRecord {
  const out: DataRecord = {};
  for (const [key, value] of Object.entries(record)) out[snakeCase(key) || key] = normalizeValue(value);
  return out;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    return isoDate(trimmed) ?? trimmed;
  }
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return normalize(value as DataRecord);
  return value;
}

/**
 * Drops a record equal to one already seen (same keys and values, in any key order). It keeps a 20-byte
 * digest per distinct record, so its memory grows with the distinct records, not with their size.
 */
export class Deduper {
  private readonly seen = new Set<string>();
  duplicate(record: DataRecord): boolean {
    const digest = createHash('sha1').update(canonical(record)).digest('base64');
    if (this.seen.has(digest)) return true;
    this.seen.add(digest);
    return false;
  }
}

/** A value as JSON with every object's keys sorted: equal values, whatever their key order, give one string. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .toSorted()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as DataRecord)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
