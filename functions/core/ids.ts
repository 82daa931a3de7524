import { monotonicFactory, ulid } from 'ulid';

/** Prefixed ULIDs (docs/api.md#lists): sortable by creation time, self-describing in logs and URLs. */
export const ID_PREFIXES = {
  account: 'acct',
  user: 'usr',
  task: 'task',
  workflow: 'wf',
  execution: 'exec',
  webhook: 'whk',
  event: 'evt',
  apiKey: 'key',
  session: 'ses',
  request: 'req',
  /** A chat conversation (POST /chat's session_id). */
  chat: 'chat',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * ulid's own PRNG asks the platform for one random byte per character, 16 calls a ULID, and that was
 * a visible share of the local engine's CPU (docs/benchmarks.md). The same bytes, from the same
 * cryptographic source, are drawn here from a pool refilled a few hundred at a time.
 */
const pool = new Uint8Array(512);
let drawn = pool.length;
function pooledRandom(): number {
  if (drawn === pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  return pool[drawn++]! / 256;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now, pooledRandom)}`;
}

const monotonic = monotonicFactory(pooledRandom);

/** Strictly increasing within this process even inside one millisecond (log lines keep their order). */
export function newSequentialId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${monotonic(now)}`;
}

/** True when `value` is a well-formed id of `kind`; a cheap guard before touching storage. */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
