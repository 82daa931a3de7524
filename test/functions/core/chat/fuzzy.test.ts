import { describe, expect, it } from 'vitest';
import { bestMatch, levenshtein, normalize, similarity } from '../../../../functions/core/chat/fuzzy.ts';

const names = ['Quarterly report', 'Annual report', 'Buy milk', 'Buy oat milk', 'Review project documentation', 'Call Señora García'];
const match = (q: string) => {
  const m = bestMatch(q, names, (n) => n);
  return m.kind === 'unique' ? m.item : m.kind === 'ambiguous' ? m.items : null;
};

describe('fuzzy task-name matching', () => {
  it('normalizes case, accents and punctuation', () => {
    expect(normalize('  Call Señora  García!! ')).toBe('call senora garcia');
    expect(normalize('v2.0 — release')).toBe('v2 0 release');
  });

  it('computes edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('scores an exact name 1, a partial name high, an unrelated one low', () => {
    expect(similarity('quarterly REPORT', 'Quarterly report')).toBe(1);
    expect(similarity('report', 'Quarterly report')).toBeGreaterThan(0.8);
    expect(similarity('docs', 'Review project documentation')).toBeGreaterThan(0.6);
    expect(similarity('groceries', 'Quarterly report')).toBeLessThan(0.4);
    // An exact name beats a longer name containing it.
    expect(similarity('buy milk', 'Buy milk')).toBeGreaterThan(similarity('buy milk', 'Buy oat milk'));
  });

  it.each([
    ['quarterly report', 'Quarterly report'],
    ['the quartely report', 'Quarterly report'], // typo
    ['annual', 'Annual report'],
    ['buy milk', 'Buy milk'], // exact wins over the longer name
    ['oat milk', 'Buy oat milk'],
    ['project docs', 'Review project documentation'],
    ['senora garcia', 'Call Señora García'],
  ])('picks %j → %j', (query, expected) => {
    expect(match(query)).toBe(expected);
  });

  it('reports close candidates as ambiguous, best first, and nothing for unrelated text', () => {
    expect(match('report')).toEqual(['Quarterly report', 'Annual report']);
    expect(match('milk')).toEqual(['Buy milk', 'Buy oat milk']);
    expect(match('dentist')).toBeNull();
    expect(match('')).toBeNull();
  });

  it('asks when two tasks have exactly the requested name', () => {
    const m = bestMatch('Report', [{ id: 1, n: 'Report' }, { id: 2, n: 'report' }], (x) => x.n);
    expect(m).toEqual({ kind: 'ambiguous', items: [{ id: 1, n: 'Report' }, { id: 2, n: 'report' }] });
  });
});
