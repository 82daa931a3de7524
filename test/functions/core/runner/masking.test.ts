import { describe, expect, it } from 'vitest';
import { createMasker, MASK } from '../../../../functions/core/runner/masking.ts';

const SECRET = 'sk_live/abc+def=ghi&jkl';

describe('createMasker', () => {
  const mask = createMasker([SECRET]);

  it('masks every occurrence in a string', () => {
    expect(mask(`a ${SECRET} b ${SECRET}`)).toBe(`a ${MASK} b ${MASK}`);
  });

  it('masks deep through objects and arrays, keys included, without touching the original', () => {
    const value = { headers: { Authorization: `Bearer ${SECRET}` }, list: [SECRET, 1, null, true, { [SECRET]: 'k' }] };
    expect(mask(value)).toEqual({ headers: { Authorization: `Bearer ${MASK}` }, list: [MASK, 1, null, true, { [MASK]: 'k' }] });
    expect(value.headers.Authorization).toBe(`Bearer ${SECRET}`);
  });

  it('masks the percent-encoded, form-encoded, JSON-escaped and base64 forms', () => {
    expect(mask(`https://x.test/?key=${encodeURIComponent(SECRET)}`)).toBe(`https://x.test/?key=${MASK}`);
    expect(mask(new URLSearchParams({ key: 'a b c d secret' }).toString())).toBe('key=a+b+c+d+secret');
    const spaced = createMasker(['a b c d secret']);
    expect(spaced(new URLSearchParams({ key: 'a b c d secret' }).toString())).toBe(`key=${MASK}`);
    const quoted = createMasker(['pa"ss\\word']);
    expect(quoted(JSON.stringify({ password: 'pa"ss\\word' }))).toBe(`{"password":"${MASK}"}`);
    expect(mask(`token ${Buffer.from(SECRET).toString('base64')}`)).toBe(`token ${MASK}`);
    expect(mask(`token ${Buffer.from(SECRET).toString('base64url')}`)).toBe(`token ${MASK}`);
  });

  it('masks a secret inside a longer base64 string at any alignment', () => {
    for (const user of ['u', 'us', 'usr']) {
      const basic = Buffer.from(`${user}:${SECRET}`).toString('base64');
      const masked = mask(`Basic ${basic}`) as string;
      expect(masked).toContain(MASK);
      // At most the couple of characters that mix secret bits with their neighbours survive.
      expect(masked.length).toBeLessThan(`Basic ${basic}`.length - 20);
    }
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const both = createMasker(['abcd', 'abcdefgh']);
    expect(both('xx abcdefgh yy abcd')).toBe(`xx ${MASK} yy ${MASK}`);
  });

  it('ignores values shorter than 4 characters and non-strings', () => {
    const short = createMasker(['abc', '']);
    expect(short('abc abc')).toBe('abc abc');
    expect(mask(12345)).toBe(12345);
  });

  it('escapes regular-expression characters in secrets', () => {
    const weird = createMasker(['a.b*c(d)[e]$']);
    expect(weird('a.b*c(d)[e]$ and aXbbbc(d)[e]$')).toBe(`${MASK} and aXbbbc(d)[e]$`);
  });

  it('masks Error messages into a copy', () => {
    const error = new Error(`failed with ${SECRET}`);
    const masked = mask(error) as Error;
    expect(masked).toBeInstanceOf(Error);
    expect(masked.message).toBe(`failed with ${MASK}`);
    expect(masked.stack ?? '').not.toContain(SECRET);
    expect(error.message).toContain(SECRET);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { s: SECRET };
    a.self = a;
    expect((mask(a) as Record<string, unknown>).s).toBe(MASK);
  });

  it('without secrets it is the identity', () => {
    const none = createMasker([]);
    const value = { a: 'sk_live' };
    expect(none(value)).toBe(value);
  });

  describe('issue 13 #7 (Medium): encoded and case-folded forms', () => {
    const spaced = createMasker(['p@ss w0rd!Zq9']);

    it('masks any mix of raw and percent-encoded characters (WHATWG URL, encodeURIComponent, forms)', () => {
      expect(spaced('/echo?token=p@ss%20w0rd!Zq9&x=1')).toBe(`/echo?token=${MASK}&x=1`);
      expect(spaced(new URL('http://h.test/?t=p@ss w0rd!Zq9').href)).toBe(`http://h.test/?t=${MASK}`);
      expect(spaced(`t=${encodeURIComponent('p@ss w0rd!Zq9')}`)).toBe(`t=${MASK}`);
      expect(spaced(new URLSearchParams({ t: 'p@ss w0rd!Zq9' }).toString())).toBe(`t=${MASK}`);
      expect(spaced('p%40ss%20w0rd%21zq9')).toBe(MASK);
    });

    it('masks upper- and lower-cased forms (a URL host is lower-cased by parsing)', () => {
      const host = createMasker(['MyS3cretHostName']);
      expect(host(new URL('http://MyS3cretHostName.invalid/').host)).toBe(`${MASK}.invalid`);
      expect(host('could not reach MYS3CRETHOSTNAME.invalid')).toBe(`could not reach ${MASK}.invalid`);
    });

    it('masks JSON \\u escapes and the punycode form of a non-ASCII host', () => {
      expect(spaced('"p\\u0040ss w0rd!Zq9"')).toBe(`"${MASK}"`);
      const idn = createMasker(['bücher-geheim']);
      expect(idn(new URL('http://bücher-geheim.test/').host)).toBe(`${MASK}.test`);
    });

    it('still leaves unrelated text alone', () => {
      expect(spaced('p@ss word Zq9 and p@ss%20w0rd')).toBe('p@ss word Zq9 and p@ss%20w0rd');
    });
  });
});
