export const MASK = '***';

/** Shorter values would mask ordinary words and numbers all over logs and outputs. */
const MIN_SECRET_LENGTH = 4;
/** Base64 fragments of shorter secrets are too short to tell apart from unrelated base64 text. */
const MIN_ALIGNED_BASE64_LENGTH = 8;

export type Masker = (value: unknown) => unknown;

/**
 * Replaces each secret value with `***` wherever it appears in strings, deep through arrays and plain
 * objects (keys included). Besides the raw value it looks for the forms a value takes on its way out:
 * percent-encoded (query strings, form bodies), JSON-escaped (a secret inside a JSON text body), and
 * base64/base64url, including the three alignments a secret can have inside a longer base64 string
 * (`Basic base64(user:secret)`), where only the characters fully determined by the secret are masked.
 */
export function createMasker(secretValues: Iterable<string>): Masker {
  const forms = new Set<string>();
  for (const secret of secretValues) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodedForms(secret)) if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  }
  if (forms.size === 0) return (value) => value;
  // Longest first, so a secret that contains another is masked whole.
  const pattern = new RegExp([...forms].toSorted((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  const maskString = (s: string) => s.replace(pattern, MASK);

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

function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('base64'),
    bytes.toString('base64url'),
  ];
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
