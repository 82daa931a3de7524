import { describe, expect, it } from 'vitest';
import { parseDuration, toWholeSeconds } from '../../statemachines/durations.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 0.5],
    ['1s', 1],
    ['5m', 300],
    ['1h', 3600],
    ['1d', 86_400],
    ['1h30m', 5400],
    ['2.5s', 2.5],
    [' 10S ', 10],
    ['45', 45],
    [30, 30],
    [0, 0],
  ])('%s → %s seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', 'abc', '5x', '-1s', '1s2', 's', '1 h', Number.NaN, -5, null, {}])('rejects %s', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('toWholeSeconds', () => {
  it('rounds up so a delay is never shortened, with a floor', () => {
    expect(toWholeSeconds(0.5)).toBe(1);
    expect(toWholeSeconds(1)).toBe(1);
    expect(toWholeSeconds(1.2)).toBe(2);
    expect(toWholeSeconds(0, 0)).toBe(0);
    expect(toWholeSeconds(0)).toBe(1);
  });
});
