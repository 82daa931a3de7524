/**
 * Durations as the three dialects write them: `500ms`, `1s`, `5m`, `1h`, `1d`, compound forms such as
 * `1h30m`, or a bare number of seconds. The task runner imports this too, so both sides agree.
 */

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

const TOKEN = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Seconds (possibly fractional), or undefined when the value is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  TOKEN.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? Number.NaN);
    consumed = TOKEN.lastIndex;
  }
  return consumed === text.length && Number.isFinite(total) ? total : undefined;
}

/**
 * ASL fields such as IntervalSeconds, TimeoutSeconds and Wait.Seconds are integers; rounding up keeps a
 * requested delay or timeout from silently becoming shorter (and `500ms` from becoming 0).
 */
export function toWholeSeconds(seconds: number, minimum = 1): number {
  return Math.max(minimum, Math.ceil(seconds - 1e-9));
}

export const DURATION_HINT = 'a number of seconds or a duration such as "500ms", "30s", "5m", "1h", "1d"';
