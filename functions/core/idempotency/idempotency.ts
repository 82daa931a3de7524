import { createHash } from 'node:crypto';
import { conflict, validationError } from '../errors.ts';

/** How long a key is remembered; a retry later than this creates again. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
export const MAX_IDEMPOTENCY_KEY = 255;
/**
 * A claim older than this is taken over: the request that made it died (a Lambda timeout is
 * far shorter), and without a takeover its key would be stuck for a day.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;
/** Responses above this are not kept (a DynamoDB item holds 400 KB); their key answers 409 on a retry. */
export const MAX_STORED_RESPONSE_BYTES = 300 * 1024;

/** The answer a create gave, kept so that a retry with the same key gets it again. */
export interface StoredResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** One key of one account for one operation: the same key on another route is another key. */
export interface IdempotencyScope {
  accountId: string;
  operation: string;
  key: string;
}

export type ClaimOutcome =
  | { state: 'claimed' }
  | { state: 'replay'; result: StoredResult }
  /** The first request with this key has not answered yet. */
  | { state: 'in_progress' }
  /** The key was used with a different request. */
  | { state: 'mismatch' }
  /** The first answer was too large to keep. */
  | { state: 'not_stored' };

export interface IdempotencyStore {
  /** Claims the key for a request with this fingerprint, or says what the key already holds. */
  claim(scope: IdempotencyScope, fingerprint: string, now: Date): Promise<ClaimOutcome>;
  /** Keeps the answer (or, when `result` is undefined, that there was one too large to keep). */
  complete(scope: IdempotencyScope, result: StoredResult | undefined): Promise<void>;
  /** Forgets the claim: the request failed, so the same key may try again. */
  release(scope: IdempotencyScope): Promise<void>;
}

/** The key from the request headers (lower-cased names), validated; undefined when absent. */
export function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key']?.trim();
  if (key === undefined || key === '') return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY) throw validationError('Idempotency-Key', `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`);
  return key;
}

/** What makes two requests "the same": the parsed body, so whitespace and key order of the JSON text do not matter. */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs a create at most once per key: the first request runs and its successful answer is kept;
 * a retry with the same body gets that answer again (marked `Idempotent-Replayed: true`); the same
 * key with another body, or while the first is still running, is a 409. A failed request (4xx or
 * 5xx, or a throw) releases the key, so the client may retry it as it is.
 */
export async function runIdempotent(
  store: IdempotencyStore,
  scope: IdempotencyScope,
  fingerprint: string,
  now: Date,
  run: () => Promise<StoredResult>,
  onStoreError?: (error: unknown) => void,
): Promise<StoredResult> {
  const claim = await store.claim(scope, fingerprint, now);
  switch (claim.state) {
    case 'replay':
      return { ...claim.result, headers: { ...claim.result.headers, 'Idempotent-Replayed': 'true' } };
    case 'mismatch':
      throw conflict('This Idempotency-Key was already used with a different request body; use a new key for a new request', 'Idempotency-Key');
    case 'in_progress':
      throw conflict('A request with this Idempotency-Key is still being processed; retry it in a moment', 'Idempotency-Key');
    case 'not_stored':
      throw conflict('This Idempotency-Key was already used, and its response was too large to keep; read the created resource instead', 'Idempotency-Key');
    case 'claimed':
      break;
  }
  let result: StoredResult;
  try {
    result = await run();
  } catch (error) {
    await store.release(scope);
    throw error;
  }
  if (result.status >= 300) {
    await store.release(scope);
    return result;
  }
  const fits = Buffer.byteLength(JSON.stringify(result.body ?? null)) <= MAX_STORED_RESPONSE_BYTES;
  try {
    await store.complete(scope, fits ? result : undefined);
  } catch (error) {
    // The resource exists: the client gets its answer; the claim lapses after its lease.
    onStoreError?.(error);
  }
  return result;
}
