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

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

const monotonic = monotonicFactory();

/** Strictly increasing within this process even inside one millisecond (log lines keep their order). */
export function newSequentialId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${monotonic(now)}`;
}

/** True when `value` is a well-formed id of `kind`; a cheap guard before touching storage. */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}
