import type { HttpEvent } from './types.ts';

/** Lower-cased header map; API Gateway and the local server both preserve the client's casing. */
export function normaliseHeaders(event: Pick<HttpEvent, 'headers'>): Record<string, string> {
  // Null prototype: a header named `__proto__` or `constructor` is a header, not an Object member.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/** `Bearer <token>`, or the bare token as Behflow's documented clients send it. */
export function bearerToken(headers: Record<string, string>): string | undefined {
  const raw = headers.authorization?.trim();
  if (!raw) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(raw);
  return (match ? match[1] : raw)?.trim() || undefined;
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3. Anything else is not a version this API issued. */
export function parseIfMatch(value: string | undefined): number | 'invalid' | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value.trim());
  return m?.[1] ? Number(m[1]) : 'invalid';
}
