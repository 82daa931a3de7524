import { describe, expect, it } from 'vitest';
import { assertItemsFit, itemSize, MAX_ITEM_BYTES } from '../../../../functions/adapters/dynamodb/item-size.ts';
import { AppError } from '../../../../functions/core/errors.ts';

describe('itemSize (DynamoDB item size rules)', () => {
  it('counts attribute names and UTF-8 string bytes', () => {
    expect(itemSize({ pk: 'ab', name: 'ü' })).toBe(2 + 2 + 4 + 2);
  });

  it('counts numbers by significant digits, booleans and nulls as 1, binary by length', () => {
    expect(itemSize({ n: 12345 })).toBe(1 + 4);
    expect(itemSize({ b: true, z: null })).toBe(4);
    expect(itemSize({ g: new Uint8Array(10) })).toBe(11);
  });

  it('adds 3 bytes per map or list and 1 per element, with map keys', () => {
    expect(itemSize({ l: [1, 'ab'] })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  it('assertItemsFit is a 413 naming the field past 400 KB', () => {
    expect(() => assertItemsFit([{ pk: 'x'.repeat(MAX_ITEM_BYTES - 2) }], 'tasks', 'It')).not.toThrow();
    let error: unknown;
    try {
      assertItemsFit([{ pk: 'x'.repeat(MAX_ITEM_BYTES) }], 'tasks', 'It');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'payload_too_large', field: 'tasks' });
  });
});
