import { describe, expect, it } from 'vitest';
import { IsoInstant, PagingQuery, toPageRequest } from '../../../functions/shared/schemas.ts';

describe('paging query', () => {
  const page = (q: Record<string, string>) => toPageRequest(PagingQuery.parse(q));

  it('defaults to 20 from the start', () => {
    expect(page({})).toEqual({ limit: 20, offset: 0, cursor: undefined });
  });

  it('maps page/per_page onto limit/offset', () => {
    expect(page({ page: '3', per_page: '10' })).toEqual({ limit: 10, offset: 20, cursor: undefined });
    expect(page({ page: '2' })).toEqual({ limit: 20, offset: 20, cursor: undefined });
  });

  it('prefers explicit limit/offset', () => {
    expect(page({ limit: '5', offset: '7', page: '9' })).toEqual({ limit: 5, offset: 7, cursor: undefined });
  });

  it('rejects limits over 100 and nonsense', () => {
    for (const q of [{ limit: '101' }, { per_page: '500' }, { limit: '1.5' }, { offset: '-2' }, { page: '0' }]) {
      expect(PagingQuery.safeParse(q).success, JSON.stringify(q)).toBe(false);
    }
  });
});

describe('IsoInstant', () => {
  it('normalises date-times with offsets and plain dates to UTC', () => {
    expect(IsoInstant.parse('2025-07-01T14:00:00+02:00')).toBe('2025-07-01T12:00:00.000Z');
    expect(IsoInstant.parse('2025-07-01')).toBe('2025-07-01T00:00:00.000Z');
  });

  it('rejects non-ISO and impossible dates', () => {
    for (const v of ['tomorrow', '2025-02-30', '2025-13-01T00:00:00Z', '07/01/2025']) {
      expect(IsoInstant.safeParse(v).success, v).toBe(false);
    }
  });
});
