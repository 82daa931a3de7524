import { domainToASCII } from 'node:url';

export const MASK = '***';

/** Shorter values would mask ordinary words and numbers all over logs and outputs; new secrets are at least MIN_SECRET_VALUE_LENGTH (core/secrets/secret.ts). */
const MIN_SECRET_LENGTH = 4;
/** Base64 fragments of shorter secrets are too short to tell apart from unrelated base64 text. */
const MIN_ALIGNED_BASE64_LENGTH = 8;
/**
 * Up to this length a secret is matched character by character in any mix of raw, percent-encoded
 * and JSON-escaped characters, case-insensitively; longer values (keys, certificates) are matched in
 * their whole encoded forms only, which keeps the pattern small.
 */
const MAX_FLEXIBLE_LENGTH = 512;

export type Masker = (value: unknown) => unknown;

/**
 * Replaces each secret value with `***` wherever it appears in strings, deep through arrays and plain
 * objects (keys included). Besides the raw value it looks for the forms a value takes on its way out:
 * - text forms, matched case-insensitively (URL parsing lower-cases a host; a target may echo a
 *   header upper-cased) with every character raw, percent-encoded (any subset: WHATWG URL parsing
 *   encodes a space but not `@`, encodeURIComponent both, forms use `+` for a space) or JSON-escaped,
 *   and the punycode form a host takes;
 * - base64/base64url, exactly, including the three alignments a secret can have inside a longer
 *   base64 string (`Basic base64(user:secret)`), where only the characters fully determined by the
 *   secret are masked.
 * What a node computes from a secret (reversed, spaced out) cannot be recognised, which is why
 * in-process nodes may not read secrets at all (statemachines/validate.ts, docs/secrets.md).
 */
export function createMasker(secretValues: Iterable<string>): Masker {
  // Pattern source → the length of the text it stands for, so longer secrets are tried first.
  const text = new Map<string, number>();
  const binary = new Set<string>();
  for (const secret of secretValues) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    text.set(textPattern(secret), secret.length);
    for (const literal of literalForms(secret)) if (literal.length >= MIN_SECRET_LENGTH && literal !== secret) text.set(escapeRegExp(literal), literal.length);
    for (const form of base64Forms(secret)) if (form.length >= MIN_SECRET_LENGTH) binary.add(form);
  }
  if (text.size === 0) return (value) => value;
  // Longest first, so a secret that contains another is masked whole.
  const byLength = (a: string, b: string) => b.length - a.length;
  const textual = new RegExp([...text.entries()].toSorted((a, b) => b[1] - a[1]).map(([pattern]) => pattern).join('|'), 'giu');
  const encoded = binary.size > 0 ? new RegExp([...binary].toSorted(byLength).map(escapeRegExp).join('|'), 'g') : undefined;
  const maskString = (s: string) => {
    const once = s.replace(textual, MASK);
    return encoded ? once.replace(encoded, MASK) : once;
  };

  const visit = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return maskString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => visit(v, seen));
    if (value instanceof Error) {
      // A copy, so the masked message is what gets serialized while the original stays intact for debugging.
      const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
      for (const [k, v] of Object.entries(value)) copy[k] = visit(v, seen);
      copy.name = maskString(value.name);
      copy.message = maskString(value.message);
      if (typeof value.stack === 'string') copy.stack = maskString(value.stack);
      return copy;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskString(k)] = visit(v, seen);
    return out;
  };
  return (value) => visit(value, new WeakSet());
}

/** One alternative per character: raw, percent-encoded (its UTF-8 bytes), `+` for a space, JSON-escaped. */
function textPattern(secret: string): string {
  if (secret.length > MAX_FLEXIBLE_LENGTH) return escapeRegExp(secret);
  let out = '';
  for (const char of secret) {
    const options = new Set<string>([escapeRegExp(char)]);
    options.add([...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    if (char === ' ') options.add('\\+');
    const json = JSON.stringify(char).slice(1, -1);
    if (json !== char) options.add(escapeRegExp(json));
    for (let i = 0; i < char.length; i++) options.add(`\\\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`);
    out += options.size === 1 ? [...options][0] : `(?:${[...options].join('|')})`;
  }
  return out;
}

/** Whole-value forms the per-character pattern cannot describe. */
function literalForms(secret: string): string[] {
  const out = [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
  // A host name with non-ASCII characters travels as punycode (xn--…).
  const ascii = [...secret].some((c) => c.codePointAt(0)! > 0x7f) ? domainToASCII(secret.toLowerCase()) : '';
  if (ascii && ascii.includes('xn--')) out.push(ascii);
  return out;
}

function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [bytes.toString('base64'), bytes.toString('base64url')];
  if (bytes.length * 4 / 3 >= MIN_ALIGNED_BASE64_LENGTH) {
    for (const offset of [0, 1, 2]) {
      const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
      // Characters whose 6 bits lie entirely inside the secret's bytes, whatever surrounds it.
      const from = Math.ceil((offset * 8) / 6);
      const to = Math.floor(((offset + bytes.length) * 8) / 6);
      out.push(shifted.toString('base64').slice(from, to), shifted.toString('base64url').slice(from, to));
    }
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
