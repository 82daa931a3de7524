/**
 * Reading a presented credential from request headers: shared by the HTTP pipeline
 * (functions/http/headers.ts), the gateway authorizer and both WebSocket front doors, so every
 * door agrees on what was presented.
 */

/** Header names lower-cased. */
export function lowerCaseHeaders(headers: Readonly<Record<string, string | undefined>> | null | undefined): Record<string, string> {
  // Null prototype: a header named `__proto__` or `constructor` is a header, not an Object member.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers ?? {})) {
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
