import { describe, expect, it } from 'vitest';
import { canonicalTimezone, cronProblem, nextFireTime, nextFireTimes, toSchedulerCron } from '../../../../functions/core/triggers/cron.ts';

describe('cron expressions (5-field, the syntax both croner and EventBridge Scheduler read alike)', () => {
  it.each(['0 9 * * *', '*/15 * * * *', '30 9 * * MON-FRI', '0 0 1 * *', '0 0 * JAN,Mar *', '5-50/10 8-18 * * 1-5', '  0   12 * * 0  '])('accepts %j', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['* * * *', /5 fields.*got 4/],
    ['0 0 * * * *', /5 fields.*got 6/],
    ['@daily', /5 fields/],
    ['61 * * * *', /invalid.*0-59/],
    ['0 24 * * *', /invalid/],
    ['0 0 32 * *', /invalid/],
    ['0 0 * 13 *', /invalid/],
    ['0 0 * * 8', /invalid/],
    ['0 0 L * *', /day-of-month 'L'/],
    ['0 0 ? * 1', /day-of-month '\?'/],
    ['0 0 * * 1#2', /day-of-week '1#2'/],
    ['0 0 1 * MON', /day-of-month or day-of-week, not both/],
    ['0 0 31 2 *', /invalid/],
    [`${'0,'.repeat(70)}0 * * * *`, /at most 120/],
  ])('rejects %j', (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
  });

  it('canonicalises IANA zones and refuses anything else', () => {
    expect(canonicalTimezone('UTC')).toBe('UTC');
    expect(canonicalTimezone('utc')).toBe('UTC');
    expect(canonicalTimezone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    for (const bad of ['Mars/Olympus_Mons', '+05:00', 'UTC+2', '', 'Europe/../etc', 'a'.repeat(80)]) expect(canonicalTimezone(bad), bad).toBeUndefined();
  });
});

describe('next fire times (fixed clock)', () => {
  const at = (iso: string) => new Date(iso);

  it('is strictly after the given instant', () => {
    expect(nextFireTime('0 * * * *', 'UTC', at('2026-01-01T10:00:00Z')).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(nextFireTime('0 * * * *', 'UTC', at('2026-01-01T10:00:00.001Z')).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(nextFireTime('*/15 * * * *', 'UTC', at('2026-01-01T10:07:30Z')).toISOString()).toBe('2026-01-01T10:15:00.000Z');
  });

  it('evaluates in the zone, across a daylight-saving change', () => {
    // Friday 27 March 2026; Europe switches to summer time on Sunday the 29th.
    expect(nextFireTimes('0 9 * * MON-FRI', 'Europe/Berlin', at('2026-03-27T07:30:00Z'), 3).map((d) => d.toISOString())).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
    ]);
    expect(nextFireTime('0 9 * * *', 'America/New_York', at('2026-01-15T00:00:00Z')).toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('fires once a day across both daylight-saving changes: a skipped time at the first valid instant after it, a repeated one once', () => {
    // Berlin skips 02:00–03:00 on 29 March 2026 and repeats 02:00–03:00 on 25 October 2026.
    expect(nextFireTimes('30 2 * * *', 'Europe/Berlin', at('2026-03-28T12:00:00Z'), 2).map((d) => d.toISOString())).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(nextFireTimes('30 2 * * *', 'Europe/Berlin', at('2026-10-24T12:00:00Z'), 2).map((d) => d.toISOString())).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('restricts by day of month or day of week as standard cron does', () => {
    expect(nextFireTime('0 0 1 * *', 'UTC', at('2026-01-15T00:00:00Z')).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    // 2026-01-15 is a Thursday; the next Sunday is the 18th.
    expect(nextFireTime('0 2 * * 0', 'UTC', at('2026-01-15T00:00:00Z')).toISOString()).toBe('2026-01-18T02:00:00.000Z');
    expect(nextFireTime('0 2 * * 7', 'UTC', at('2026-01-15T00:00:00Z')).toISOString()).toBe('2026-01-18T02:00:00.000Z');
  });
});

describe('EventBridge Scheduler cron (6 fields, one day field "?", weekdays by name)', () => {
  it.each([
    ['0 9 * * *', 'cron(0 9 * * ? *)'],
    ['0 * * * *', 'cron(0 * * * ? *)'],
    ['*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['0 */2 * * *', 'cron(0 0/2 * * ? *)'],
    ['0 0 */2 * *', 'cron(0 0 1/2 * ? *)'],
    ['0 0 1 */3 *', 'cron(0 0 1 1/3 ? *)'],
    ['0 0 1 * *', 'cron(0 0 1 * ? *)'],
    ['30 9 * * 1-5', 'cron(30 9 ? * MON-FRI *)'],
    ['30 9 * * mon-fri', 'cron(30 9 ? * MON-FRI *)'],
    ['0 2 * * 0', 'cron(0 2 ? * SUN *)'],
    ['0 2 * * 7', 'cron(0 2 ? * SUN *)'],
    ['0 2 * * 5-7', 'cron(0 2 ? * SUN,FRI,SAT *)'],
    ['0 0 * * */2', 'cron(0 0 ? * SUN,TUE,THU,SAT *)'],
    ['0 0 * * 1,3,5', 'cron(0 0 ? * MON,WED,FRI *)'],
    ['5-50/10 * * * *', 'cron(5,15,25,35,45 * * * ? *)'],
    ['0 12 * jan,MAR *', 'cron(0 12 * JAN,MAR ? *)'],
  ])('%j → %s', (cron, aws) => {
    expect(toSchedulerCron(cron)).toBe(aws);
  });
});
