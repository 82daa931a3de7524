import { bearerToken, lowerCaseHeaders } from '../core/auth/credentials.ts';
import type { HttpEvent } from './types.ts';

export { bearerToken };

/** Lower-cased header map; API Gateway and the local server both preserve the client's casing. */
export function normaliseHeaders(event: Pick<HttpEvent, 'headers'>): Record<string, string> {
  return lowerCaseHeaders(event.headers);
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3. Anything else is not a version this API issued. */
export function parseIfMatch(value: string | undefined): number | 'invalid' | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value.trim());
  return m?.[1] ? Number(m[1]) : 'invalid';
}
