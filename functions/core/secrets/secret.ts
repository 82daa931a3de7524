/**
 * Account secrets (FlowRunner): named values a workflow reads as `{{secrets.KEY}}`. The API only
 * ever writes them; responses, logs and errors carry the key and timestamps, never the value.
 */

/** Env-var style, as FlowRunner's examples (API_KEY, DATABASE_URL); no `/` or `.`, so a key can never step outside its account's namespace. */
export const SECRET_KEY_PATTERN = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Secrets Manager's own SecretString limit, so every value this API accepts fits there. */
export const MAX_SECRET_VALUE_BYTES = 65_536;
/**
 * Masking finds a value by its text: shorter values could not be told apart from ordinary words
 * and numbers in logs and outputs, so they are refused (docs/secrets.md#masking). The task runner
 * refuses to use an older value shorter than this rather than leave it unmasked.
 */
export const MIN_SECRET_VALUE_LENGTH = 8;

export const SECRET_KEY_RULE = 'key must be 1-128 characters of A-Z, 0-9 and _, not starting with a digit';
export const SECRET_VALUE_RULE = `value must be a string of at least ${MIN_SECRET_VALUE_LENGTH} characters and at most ${MAX_SECRET_VALUE_BYTES} bytes (UTF-8)`;

export interface SecretMetadata {
  readonly accountId: string;
  readonly key: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function isSecretKey(key: unknown): key is string {
  return typeof key === 'string' && SECRET_KEY_PATTERN.test(key);
}

// A lone surrogate cannot be encoded as UTF-8: it would come back as U+FFFD, a silently different value.
const LONE_SURROGATE = /\p{Surrogate}/u;
const utf8 = new TextEncoder();

/** Checks size and encodability without ever putting the value into a message. */
export function isAcceptableSecretValue(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < MIN_SECRET_VALUE_LENGTH || LONE_SURROGATE.test(value)) return false;
  if ([...value].length < MIN_SECRET_VALUE_LENGTH) return false;
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes, at least 1.
  if (value.length > MAX_SECRET_VALUE_BYTES) return false;
  return value.length * 3 <= MAX_SECRET_VALUE_BYTES || utf8.encode(value).length <= MAX_SECRET_VALUE_BYTES;
}
