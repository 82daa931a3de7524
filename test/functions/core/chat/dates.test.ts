import { describe, expect, it } from 'vitest';
import { findDate, parseDateValue, startOfWeek } from '../../../../functions/core/chat/dates.ts';

// Wednesday 7 January 2026, 10:00 UTC.
const NOW = new Date('2026-01-07T10:00:00Z');
const due = (text: string, now = NOW) => parseDateValue(text, now)?.due.toISOString();

describe('chat date phrases (UTC, a day means its end)', () => {
  it.each([
    ['today', '2026-01-07T23:59:59.000Z'],
    ['tonight', '2026-01-07T23:59:59.000Z'],
    ['tomorrow', '2026-01-08T23:59:59.000Z'],
    ['the day after tomorrow', '2026-01-09T23:59:59.000Z'],
    ['friday', '2026-01-09T23:59:59.000Z'],
    ['by Friday', '2026-01-09T23:59:59.000Z'],
    ['wednesday', '2026-01-14T23:59:59.000Z'], // a bare weekday is the next one after today
    ['this wednesday', '2026-01-07T23:59:59.000Z'],
    ['next monday', '2026-01-12T23:59:59.000Z'],
    ['next friday', '2026-01-16T23:59:59.000Z'], // the Friday of next week
    ['in 3 days', '2026-01-10T23:59:59.000Z'],
    ['in two weeks', '2026-01-21T23:59:59.000Z'],
    ['in a week', '2026-01-14T23:59:59.000Z'],
    ['in 1 month', '2026-02-07T23:59:59.000Z'],
    ['3 days from now', '2026-01-10T23:59:59.000Z'],
    ['this week', '2026-01-11T23:59:59.000Z'],
    ['end of the week', '2026-01-11T23:59:59.000Z'],
    ['next week', '2026-01-18T23:59:59.000Z'],
    ['end of month', '2026-01-31T23:59:59.000Z'],
    ['next month', '2026-02-28T23:59:59.000Z'],
    ['2026-12-01', '2026-12-01T23:59:59.000Z'],
    ['on 2026-12-01', '2026-12-01T23:59:59.000Z'],
    ['due on 2026-12-01', '2026-12-01T23:59:59.000Z'],
    ['2026-12-01T10:30:00Z', '2026-12-01T10:30:00.000Z'],
    ['2026-12-01T10:30:00+02:00', '2026-12-01T08:30:00.000Z'],
    ['December 1st', '2026-12-01T23:59:59.000Z'],
    ['1 March 2027', '2027-03-01T23:59:59.000Z'],
    ['jan 5', '2027-01-05T23:59:59.000Z'], // already past this year
    ['the 3rd of february', '2026-02-03T23:59:59.000Z'],
    ['tomorrow at 5pm', '2026-01-08T17:00:00.000Z'],
    ['friday at 9:30', '2026-01-09T09:30:00.000Z'],
    ['tomorrow at noon', '2026-01-08T12:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(due(text.replace(/^the 3rd/, '3rd'))).toBe(expected);
  });

  it('handles a month end without overflowing into the next month', () => {
    expect(due('in 1 month', new Date('2026-01-31T08:00:00Z'))).toBe('2026-02-28T23:59:59.000Z');
  });

  it('rejects impossible dates and non-dates', () => {
    for (const text of ['2026-02-30', 'friday x', 'someday', 'tomorrow at 25:00', 'in 5000 days']) expect(due(text), text).toBeUndefined();
  });

  it('finds a phrase inside text, on word boundaries only', () => {
    const m = findDate('call bob by friday about the offer', NOW)!;
    expect('call bob by friday about the offer'.slice(m.index, m.index + m.length)).toBe('by friday');
    expect(m.range.start.toISOString()).toBe('2026-01-09T00:00:00.000Z');
    expect(findDate('mondays are long', NOW)).toBeUndefined();
    expect(findDate('maybe later', NOW)).toBeUndefined();
    expect(findDate("friday's meeting", NOW)).toBeUndefined();
  });

  it('lets the caller skip a phrase and take a later one', () => {
    const text = 'plan the monday meeting by friday';
    const m = findDate(text, NOW, (x) => text.slice(x.index).startsWith('by'))!;
    expect(m.due.toISOString()).toBe('2026-01-09T23:59:59.000Z');
  });

  it('starts weeks on Monday', () => {
    expect(startOfWeek(new Date('2026-01-11T12:00:00Z')).toISOString()).toBe('2026-01-05T00:00:00.000Z'); // Sunday
    expect(startOfWeek(new Date('2026-01-05T00:00:00Z')).toISOString()).toBe('2026-01-05T00:00:00.000Z');
  });
});
