/**
 * Schedule triggers speak standard 5-field cron (`minute hour day-of-month month day-of-week`) in an
 * IANA time zone. The same expression drives the local cron loop (croner) and EventBridge
 * Scheduler (`toSchedulerCron`), so only the syntax both read the same way is accepted: numbers,
 * `*`, `,`, `-`, `/`, and month / weekday names. Quartz extras (`?`, `L`, `W`, `#`) and seconds are not.
 */
import { Cron, CronPattern } from 'croner';

export const MAX_CRON_LENGTH = 120;

const FIELD_NAMES = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const NUMERIC = /^[0-9*,\-/]+$/;
const MONTH = /^(?:[0-9*,\-/]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i;
const WEEKDAY = /^(?:[0-9*,\-/]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
/** A time zone as EventBridge Scheduler takes it: an IANA name (`Europe/Berlin`, `UTC`), never an offset. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Why `expression` is not an acceptable schedule, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  if (expression.length > MAX_CRON_LENGTH) return `cron must be at most ${MAX_CRON_LENGTH} characters`;
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `cron must have 5 fields (minute hour day-of-month month day-of-week); got ${fields.length}`;
  const shapes = [NUMERIC, NUMERIC, NUMERIC, MONTH, WEEKDAY];
  for (const [i, field] of fields.entries()) {
    if (!shapes[i]!.test(field)) return `cron ${FIELD_NAMES[i]} '${field}' uses syntax outside standard cron (numbers, names, * , - /)`;
  }
  const [, , dom, , dow] = fields as [string, string, string, string, string];
  // Unix cron ORs the two day fields when both are set; EventBridge Scheduler cannot express that.
  if (dom !== '*' && dow !== '*') return 'cron may restrict day-of-month or day-of-week, not both';
  try {
    if (!schedule(fields.join(' '), 'UTC').nextRun()) return 'cron is invalid: it never fires (no date matches it)';
  } catch (error) {
    const field = /Invalid value for (\w+)/.exec((error as Error).message)?.[1];
    const range = field ? RANGES[field] : undefined;
    return range ? `cron is invalid: ${range[0]} values must be within ${range[1]}` : `cron is invalid: ${(error as Error).message}`;
  }
  return undefined;
}

/** croner's field names, as its errors spell them, with ours and the values each takes. */
const RANGES: Record<string, readonly [string, string]> = {
  minute: ['minute', '0-59'],
  hour: ['hour', '0-23'],
  day: ['day-of-month', '1-31'],
  month: ['month', '1-12'],
  dayOfWeek: ['day-of-week', '0-7'],
};

/** Exactly five fields (croner would also read seconds and years), day fields restricted one at a time (checked above). */
const schedule = (expression: string, timezone: string) => new Cron(expression, { timezone, mode: '5-part' });

/** The zone's canonical IANA name (`america/new_york` → `America/New_York`), or undefined when it is not one. */
export function canonicalTimezone(zone: string): string | undefined {
  if (!ZONE_NAME.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The first `count` fire times strictly after `after`, evaluated in `timezone` (daylight-saving aware). */
export function nextFireTimes(expression: string, timezone: string, after: Date, count = 1): Date[] {
  return schedule(normalise(expression), timezone).nextRuns(count, after);
}

export const nextFireTime = (expression: string, timezone: string, after: Date): Date => nextFireTimes(expression, timezone, after, 1)[0]!;

/**
 * EventBridge Scheduler's `cron(minutes hours day-of-month month day-of-week year)`: exactly one
 * day field is `?`, weekdays are 1–7 from Sunday (written here as names), and steps are spelled
 * `start/step` or expanded to a list so every form means what it meant in 5-field cron.
 */
export function toSchedulerCron(expression: string): string {
  const [minute, hour, dom, month, dow] = normalise(expression).split(' ') as [string, string, string, string, string];
  const parsed = new CronPattern(normalise(expression), 'UTC', { mode: '5-part' });
  // croner keeps each field as flags by value (index 0 = minute 0, day 1, January); the values set:
  const set = (flags: readonly number[], offset = 0) => flags.flatMap((on, i) => (on ? [i + offset] : []));
  const stepped = (field: string, start: number, values: readonly number[]) => {
    if (!field.includes('/')) return field;
    const star = /^\*\/(\d+)$/.exec(field);
    return star ? `${start}/${star[1]}` : values.join(',');
  };
  const days = dow === '*' ? '?' : weekdays(set(parsed.dayOfWeek));
  return `cron(${[
    stepped(minute, 0, set(parsed.minute)),
    stepped(hour, 0, set(parsed.hour)),
    dow === '*' ? stepped(dom, 1, set(parsed.day, 1)) : '?',
    stepped(month, 1, set(parsed.month, 1)),
    days,
    '*',
  ].join(' ')})`;
}

/** 0–7 (both 0 and 7 are Sunday) as names, consecutive days joined into ranges: [1,2,3,4,5] → MON-FRI. */
function weekdays(values: readonly number[]): string {
  const days = [...new Set(values.map((d) => d % 7))].toSorted((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    runs.push(j - i >= 2 ? `${DAY_NAMES[days[i]!]}-${DAY_NAMES[days[j]!]}` : days.slice(i, j + 1).map((d) => DAY_NAMES[d]).join(','));
    i = j + 1;
  }
  return runs.join(',');
}

const normalise = (expression: string) => expression.trim().split(/\s+/).join(' ').toUpperCase();
