import { AppError } from '../errors.ts';
import type { Principal } from '../principal.ts';

/**
 * Per-principal rate limits (docs/api.md#rate-limits): fixed windows, one counter per subject per window. A
 * verified credential is the subject and its account's plan picks the limit; anything else (public
 * routes, missing or invalid credentials, requests that fail before authentication) is charged to
 * the client's address at the anonymous limit. Pure: the clock, the counter store and the HTTP
 * layer are passed in.
 */
export type RateLimitPolicyName = 'anonymous' | 'free' | 'enterprise' | 'account';

export interface RateLimitSettings {
  readonly free: number;
  readonly enterprise: number;
  readonly anonymous: number;
  readonly windowSeconds: number;
  /**
   * Per account, over all its credentials (sessions, API keys, OAuth clients), by plan: so minting
   * more keys does not multiply an account's budget (docs/api.md#rate-limits). Absent, accounts
   * are not counted as a whole.
   */
  readonly account?: { readonly free: number; readonly enterprise: number } | undefined;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { free: 100, enterprise: 1000, anonymous: 20, windowSeconds: 60, account: { free: 500, enterprise: 5000 } };

/** Who a request is charged to. `key` is opaque to the store: `cred#<credential id>` or `ip#<address>`. */
export interface RateLimitSubject {
  readonly key: string;
  readonly policy: RateLimitPolicyName;
  readonly limit: number;
}

export interface RateLimitWindow {
  /** Epoch seconds, inclusive. */
  readonly start: number;
  /** Epoch seconds, exclusive: when the count starts again from zero. */
  readonly end: number;
}

/** The outcome for one request, and everything the response headers say about it. */
export interface RateLimitDecision {
  readonly policy: RateLimitPolicyName;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly allowed: boolean;
  /** Requests left in this window; undefined when the counter could not be reached (failing open). */
  readonly remaining: number | undefined;
  /** Epoch seconds at which the window ends. */
  readonly resetAt: number;
  /** Whole seconds from now until the window ends (at least 1). */
  readonly resetIn: number;
}

/**
 * Every subject a request is charged to: the credential and (when accounts are limited) its
 * account, or the address. The request is refused when any of them is over its limit.
 */
export function rateLimitSubjects(
  principal: Pick<Principal, 'credentialId' | 'plan' | 'accountId'> | undefined,
  sourceIp: string,
  settings: RateLimitSettings,
): RateLimitSubject[] {
  const first = rateLimitSubject(principal, sourceIp, settings);
  if (!principal || !settings.account) return [first];
  const limit = principal.plan === 'enterprise' ? settings.account.enterprise : settings.account.free;
  return [first, { key: `acct#${principal.accountId}`, policy: 'account', limit }];
}

export function rateLimitSubject(
  principal: Pick<Principal, 'credentialId' | 'plan'> | undefined,
  sourceIp: string,
  settings: RateLimitSettings,
): RateLimitSubject {
  if (principal) {
    const policy = principal.plan === 'enterprise' ? 'enterprise' : 'free';
    return { key: `cred#${principal.credentialId}`, policy, limit: settings[policy] };
  }
  return { key: `ip#${clientAddress(sourceIp)}`, policy: 'anonymous', limit: settings.anonymous };
}

/**
 * The fixed window containing `now` for `key`. Windows are `windowSeconds` long and shifted per key
 * by a stable offset, so subjects do not all reset (and retry) at the same second.
 */
export function rateLimitWindow(key: string, now: Date, windowSeconds: number): RateLimitWindow {
  const offset = fnv1a(key) % windowSeconds;
  const t = Math.floor(now.getTime() / 1000) - offset;
  const start = t - (((t % windowSeconds) + windowSeconds) % windowSeconds) + offset;
  return { start, end: start + windowSeconds };
}

export function rateLimitDecision(
  subject: RateLimitSubject,
  window: RateLimitWindow,
  outcome: { count: number; allowed: boolean } | undefined,
  now: Date,
): RateLimitDecision {
  return {
    policy: subject.policy,
    limit: subject.limit,
    windowSeconds: window.end - window.start,
    allowed: outcome?.allowed ?? true,
    remaining: outcome ? Math.max(0, subject.limit - outcome.count) : undefined,
    resetAt: window.end,
    resetIn: Math.max(1, Math.ceil(window.end - now.getTime() / 1000)),
  };
}

/**
 * The fields every counted response carries: the de-facto `X-RateLimit-*` trio the seeds document
 * (reset as UTC epoch seconds) and the IETF fields of draft-ietf-httpapi-ratelimit-headers-11
 * (`RateLimit-Policy: "free";q=100;w=60`, `RateLimit: "free";r=87;t=42`, t in seconds). When the
 * counter could not be read, only the policy and the reset time are stated.
 */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const name = `"${d.policy}"`;
  return {
    'X-RateLimit-Limit': String(d.limit),
    ...(d.remaining !== undefined ? { 'X-RateLimit-Remaining': String(d.remaining) } : {}),
    'X-RateLimit-Reset': String(d.resetAt),
    'RateLimit-Policy': `${name};q=${d.limit};w=${d.windowSeconds}`,
    ...(d.remaining !== undefined ? { RateLimit: `${name};r=${d.remaining};t=${d.resetIn}` } : {}),
  };
}

/** 429 in the one error shape; `Retry-After` and `retry_after` point at the end of the window. */
export function rateLimitExceeded(d: RateLimitDecision): AppError {
  return new AppError('rate_limit_exceeded', `Rate limit exceeded. Please retry after ${d.resetIn} seconds.`, {
    details: { retry_after: d.resetIn },
    headers: { 'Retry-After': String(d.resetIn) },
  });
}

/**
 * The address a request is charged to. IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its /64, the
 * block one subscriber usually holds, so rotating through it does not multiply the budget.
 */
export function clientAddress(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase();
  const mapped = /^(?:::ffff:|(?:0{1,4}:){5}ffff:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1]!;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(ip)) return ip;
  const groups = expandIpv6(ip.replace(/%.*$/, ''));
  if (groups) return `${groups.slice(0, 4).join(':')}::/64`;
  return ip.slice(0, 64) || 'unknown';
}

function expandIpv6(ip: string): string[] | undefined {
  if (!/^[0-9a-f:]+$/.test(ip) || !ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}

/** 32-bit FNV-1a: a stable, well-spread offset per key (not a security boundary). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
