/** What http.request and webhook share: building the URL and headers, sending, reading the answer. */
import { parseDuration } from '../../../../statemachines/durations.ts';
import { parseUserUrl } from '../../net/address-policy.ts';
import { httpStatusFailure, nonRetryable } from '../errors.ts';
import type { HttpResponse } from '../ports.ts';
import { isPlainObject } from '../resolve-templates.ts';
import type { Run } from './run.ts';

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
const ERROR_BODY_CHARS = 1_024;

export async function send(
  run: Run,
  req: { method: string; url: string; headers: Record<string, string>; body: string | undefined; timeoutMs: number; maxResponseBytes?: number; binary?: boolean },
): Promise<HttpResponse> {
  const secrets = [...run.templates.secretValues];
  const carries = (text: string) => secrets.some((s) => text.includes(s));
  return run.deps.http.request({
    ...req,
    maxResponseBytes: req.maxResponseBytes ?? run.deps.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal: run.ctx.signal,
    // Which headers and whether the body carry a secret, so a cross-origin redirect does not forward them.
    secretHeaders: Object.keys(req.headers).filter((name) => carries(req.headers[name]!)),
    secretBody: req.body !== undefined && carries(req.body),
  });
}

export function failUnlessOk(run: Run, response: HttpResponse, message: string): void {
  if (response.status >= 200 && response.status < 300) return;
  run.log('warn', message, { status_code: response.status, url: response.url });
  throw httpStatusFailure(response.status, { url: response.url, response_body: response.body.slice(0, ERROR_BODY_CHARS) });
}

export function buildUrl(raw: unknown, query: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw nonRetryable('url must resolve to a non-empty string');
  // The reason never quotes the URL: it may carry a secret, and masking only knows exact values.
  const parsed = parseUserUrl(raw.trim());
  if ('error' in parsed) throw nonRetryable(`invalid URL: ${parsed.error}`);
  const { url } = parsed;
  if (isPlainObject(query)) {
    // Appended, so parameters already written into the URL are kept; a missing value drops the parameter.
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      url.searchParams.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  return url.toString();
}

export function stringHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(headers)) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

export const hasHeader = (headers: Record<string, string>, name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);

export function timeoutFrom(value: unknown, fallbackMs: number, what = 'timeout'): number {
  if (value === undefined || value === null) return fallbackMs;
  const seconds = parseDuration(value);
  if (seconds === undefined) throw nonRetryable(`${what} must resolve to a number of seconds or a duration such as "30s"`);
  return Math.max(1, Math.round(seconds * 1000));
}

/** JSON when the server says so and it parses; otherwise the text (a truncated JSON body stays text). */
export function parseBody(response: HttpResponse): unknown {
  const type = response.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim()) || response.body.trim() === '') return response.body;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return response.body;
  }
}
