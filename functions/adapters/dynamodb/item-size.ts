import { AppError } from '../../core/errors.ts';

/** DynamoDB's item size limit (400 KB, attribute names included). */
export const MAX_ITEM_BYTES = 409_600;

/**
 * An item's size as DynamoDB counts it (docs: "Item sizes and formats"): attribute names and string values
 * in UTF-8 bytes, numbers up to 21 bytes, binary by length, 1 byte for booleans and nulls, and 3 bytes per
 * list or map plus 1 per element. Exact enough to refuse an item before DynamoDB does, with a message
 * that names what the caller sent rather than "Item size has exceeded the maximum allowed size".
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.min(21, Math.ceil(String(value).replace(/^-|\.|e.*$/g, '').length / 2) + 1);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 3);
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + 1 + valueSize(v), 3);
  if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  return 0;
}

/** Throws 413 naming `field` when any item is over the limit; `what` says what the item holds. */
export function assertItemsFit(items: readonly Record<string, unknown>[], field: string, what: string): void {
  for (const item of items) {
    const bytes = itemSize(item);
    if (bytes > MAX_ITEM_BYTES) {
      throw new AppError('payload_too_large', `${what} would take ${bytes} bytes to store, and a DynamoDB item holds at most ${MAX_ITEM_BYTES} (400 KB); make ${field} smaller`, {
        field,
        details: { stored_bytes: bytes, max_bytes: MAX_ITEM_BYTES },
      });
    }
  }
}
