import { describe, expect, it } from 'vitest';
import { bearerToken, normaliseHeaders, parseIfMatch } from '../../../functions/http/headers.ts';

describe('headers', () => {
  it('lower-cases header names', () => {
    expect(normaliseHeaders({ headers: { 'Content-Type': 'a', 'X-Api-Key': 'b' } })).toEqual({ 'content-type': 'a', 'x-api-key': 'b' });
    expect(normaliseHeaders({ headers: null as never })).toEqual({});
  });

  it('accepts Bearer tokens in any case and bare tokens (Behflow)', () => {
    expect(bearerToken({ authorization: 'Bearer abc.def.ghi' })).toBe('abc.def.ghi');
    expect(bearerToken({ authorization: 'bearer   abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'abc.def.ghi' })).toBe('abc.def.ghi');
    expect(bearerToken({ authorization: '   ' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });

  it('parses If-Match versions and flags anything else', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch('*')).toBe('invalid');
    expect(parseIfMatch('"abc"')).toBe('invalid');
    expect(parseIfMatch(undefined)).toBeUndefined();
  });
});
