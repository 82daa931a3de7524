/**
 * Due-date phrases in chat messages ("tomorrow", "next Monday", "in 3 days", "on 2026-12-01",
 * "by friday at 5pm"), resolved against a clock. All in UTC: a principal carries no time zone.
 *
 * A day named without a time means the end of that day (23:59:59 UTC), as in Behflow's examples:
 * "due tomorrow" is still on time all of tomorrow. A period ("this week", "next month") as a
 * deadline means its last day. Weeks run Monday to Sunday (ISO 8601).
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, couple: 2, 'a couple of': 2, few: 3, 'a few': 3,
};

/** Midnight UTC of the day containing `t`. */
export const startOfDay = (t: Date): Date => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
export const addDays = (t: Date, days: number): Date => new Date(t.getTime() + days * DAY_MS);
/** Monday 00:00 UTC of the ISO week containing `t`. */
export const startOfWeek = (t: Date): Date => addDays(startOfDay(t), -((t.getUTCDay() + 6) % 7));
export const startOfMonth = (t: Date, plusMonths = 0): Date => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + plusMonths, 1));
/** 23:59:59 UTC of the day containing `day`: the deadline a bare date means. */
export const endOfDay = (day: Date): Date => new Date(startOfDay(day).getTime() + DAY_MS - 1000);

/** A span of whole days [start, end), as list filters use them. */
export interface DayRange {
  readonly start: Date;
  readonly end: Date;
}

/** A date phrase found in a text: where it is, the span of days it names, and the deadline it means. */
export interface DateMatch {
  readonly index: number;
  readonly length: number;
  readonly range: DayRange;
  /** The deadline: the exact instant when a time was given, else the last second of the range. */
  readonly due: Date;
}

const WEEKDAY = '(sunday|monday|tuesday|wednesday|thursday|friday|saturday)';
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const COUNT = '(\\d{1,3}|a couple of|a few|couple|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';
const TIME = '(?:\\s+at\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?|\\s+at\\s+(noon|midnight)|\\s+(noon))?';

type Resolver = (m: RegExpMatchArray, now: Date) => DayRange | undefined;
const day = (d: Date): DayRange => ({ start: startOfDay(d), end: addDays(startOfDay(d), 1) });

/** Each pattern names a day or period; an optional time of day may follow any single day. */
const PATTERNS: { re: string; resolve: Resolver; timed: boolean }[] = [
  { re: '(?:the\\s+)?day\\s+after\\s+tomorrow', resolve: (_m, now) => day(addDays(now, 2)), timed: true },
  { re: 'today|tonight|this\\s+evening|end\\s+of\\s+(?:the\\s+)?day|eod', resolve: (_m, now) => day(now), timed: true },
  { re: 'tomorrow|tmrw|tmr', resolve: (_m, now) => day(addDays(now, 1)), timed: true },
  { re: 'yesterday', resolve: (_m, now) => day(addDays(now, -1)), timed: true },
  {
    re: `(this|next|coming)?\\s*${WEEKDAY}`,
    resolve: (m, now) => {
      const target = WEEKDAYS.indexOf(m[2]!.toLowerCase());
      const ahead = (target - now.getUTCDay() + 7) % 7;
      const which = m[1]?.toLowerCase();
      // "next friday": the Friday of the following ISO week (11 days ahead when said on a Monday).
      if (which === 'next') return day(addDays(startOfWeek(now), 7 + ((target + 6) % 7)));
      // "this friday" said on a Friday is today; a bare "friday" then means a week later.
      if (which === 'this') return day(addDays(now, ahead));
      return day(addDays(now, ahead || 7));
    },
    timed: true,
  },
  {
    re: `in\\s+${COUNT}\\s+(days?|weeks?|months?)`,
    resolve: (m, now) => offset(now, count(m[1]!), m[2]!),
    timed: true,
  },
  {
    re: `${COUNT}\\s+(days?|weeks?|months?)\\s+from\\s+(?:now|today)`,
    resolve: (m, now) => offset(now, count(m[1]!), m[2]!),
    timed: true,
  },
  { re: '(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?week|this\\s+week', resolve: (_m, now) => ({ start: startOfWeek(now), end: addDays(startOfWeek(now), 7) }), timed: false },
  { re: 'next\\s+week', resolve: (_m, now) => ({ start: addDays(startOfWeek(now), 7), end: addDays(startOfWeek(now), 14) }), timed: false },
  { re: '(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?month|this\\s+month', resolve: (_m, now) => ({ start: startOfMonth(now), end: startOfMonth(now, 1) }), timed: false },
  { re: 'next\\s+month', resolve: (_m, now) => ({ start: startOfMonth(now, 1), end: startOfMonth(now, 2) }), timed: false },
  {
    re: `${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`,
    resolve: (m, now) => calendarDay(now, m[3], MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()), Number(m[2])),
    timed: true,
  },
  {
    re: `(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?(?:,?\\s+(\\d{4}))?`,
    resolve: (m, now) => calendarDay(now, m[3], MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()), Number(m[1])),
    timed: true,
  },
  {
    re: '(\\d{4})-(\\d{2})-(\\d{2})',
    resolve: (m) => validDay(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
    timed: true,
  },
];

/** An ISO date-time with a time is taken exactly as written (UTC when it has no offset). */
const ISO_INSTANT = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:?\\d{2})?)';

/** Words that introduce a deadline; they belong to the phrase, so they leave the task name with it. */
const LEAD = '(?:due\\s+(?:on\\s+|by\\s+|before\\s+)?|by\\s+|on\\s+|before\\s+|until\\s+|till\\s+|for\\s+|deadline\\s*:?\\s*)?';

function count(word: string): number {
  const lower = word.toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[lower] ?? Number(lower);
}

function offset(now: Date, n: number, unit: string): DayRange | undefined {
  if (!Number.isFinite(n) || n > 999) return undefined;
  const u = unit.toLowerCase();
  if (u.startsWith('day')) return day(addDays(now, n));
  if (u.startsWith('week')) return day(addDays(now, 7 * n));
  const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1));
  // "in 1 month" on Jan 31 is the end of February, not March 3.
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return day(new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(now.getUTCDate(), lastDay))));
}

function validDay(year: number, month: number, date: number): DayRange | undefined {
  const d = new Date(Date.UTC(year, month, date));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== date) return undefined;
  return day(d);
}

/** "December 1" without a year is the next December 1 (this year's if still ahead or today). */
function calendarDay(now: Date, yearText: string | undefined, month: number, date: number): DayRange | undefined {
  if (yearText) return validDay(Number(yearText), month, date);
  const thisYear = validDay(now.getUTCFullYear(), month, date);
  if (thisYear && thisYear.start >= startOfDay(now)) return thisYear;
  return validDay(now.getUTCFullYear() + 1, month, date);
}

function withTime(range: DayRange, m: RegExpMatchArray, first: number): Date | undefined {
  const [hourText, minuteText, meridiem, named, bareNoon] = [m[first], m[first + 1], m[first + 2], m[first + 3], m[first + 4]];
  const noonOrMidnight = (named ?? bareNoon)?.toLowerCase();
  if (noonOrMidnight) return new Date(range.start.getTime() + (noonOrMidnight === 'noon' ? 12 : 24) * 3_600_000 - (noonOrMidnight === 'noon' ? 0 : 1000));
  if (hourText === undefined) return undefined;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  } else if (hour > 23) return undefined;
  return new Date(range.start.getTime() + (hour * 60 + minute) * 60_000);
}

/**
 * The first date phrase in `text` (with its leading "due", "by", "on"…) that `accept` takes, or
 * undefined. Matching is on word boundaries, so "monday" inside "mondays" or "may" in "maybe" is
 * not a date.
 */
export function findDate(text: string, now: Date, accept: (match: DateMatch) => boolean = () => true): DateMatch | undefined {
  let found: DateMatch | undefined;
  const consider = (match: DateMatch) => {
    if (!accept(match)) return;
    if (!found || match.index < found.index || (match.index === found.index && match.length > found.length)) found = match;
  };
  const instants = new RegExp(`(?<![\\w-])${LEAD}${ISO_INSTANT}(?![\\w:])`, 'gi');
  for (const m of text.matchAll(instants)) {
    const due = new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(m[1]!) ? m[1]! : `${m[1]}Z`);
    if (!Number.isNaN(due.getTime())) consider({ index: m.index, length: m[0].length, range: day(due), due });
  }
  for (const p of PATTERNS) {
    const groups = countGroups(p.re);
    const re = new RegExp(`(?<![\\w-])${LEAD}(?:${p.re})${p.timed ? TIME : ''}(?![\\w'’-]|:\\d)`, 'gi');
    for (const m of text.matchAll(re)) {
      const range = p.resolve(m, now);
      if (!range) continue;
      const exact = p.timed ? withTime(range, m, groups + 1) : undefined;
      // "tomorrow at 25:00": a time was given but is not one.
      if (p.timed && !exact && m.slice(groups + 1).some((g) => g !== undefined)) continue;
      consider({ index: m.index, length: m[0].length, range, due: exact ?? new Date(range.end.getTime() - 1000) });
    }
  }
  return found;
}

/** True when the phrase opens with a deadline word ("due", "by", "on", "before"…). */
export function hasLeadWord(text: string, match: DateMatch): boolean {
  return /^(?:due|by|on|before|until|till|for|deadline)\b/i.test(text.slice(match.index));
}

function countGroups(re: string): number {
  return (new RegExp(`${re}|`).exec('')?.length ?? 1) - 1;
}

/** The whole of `text` as a date ("friday", "on 2026-12-01", "in 3 days"), or undefined. */
export function parseDateValue(text: string, now: Date): DateMatch | undefined {
  const trimmed = text.trim().replace(/[.!?]+$/, '');
  const m = findDate(trimmed, now);
  return m && m.index === 0 && m.length === trimmed.length ? m : undefined;
}
