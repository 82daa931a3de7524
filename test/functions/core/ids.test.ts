import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { isId, newId, newSequentialId } from '../../../functions/core/ids.ts';

describe('ids', () => {
  it('newId: a prefixed ULID of the given time; ids drawn from the pooled random bytes do not repeat, across refills', () => {
    const at = Date.parse('2026-12-04T10:00:00.000Z');
    const ids = Array.from({ length: 5_000 }, () => newId('execution', at));
    for (const id of ids.slice(0, 50)) {
      expect(isId('execution', id)).toBe(true);
      expect(decodeTime(id.slice('exec_'.length))).toBe(at);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Every random character position takes many values: the pool is not stuck on one byte.
    for (let position = 10; position < 26; position++) expect(new Set(ids.map((id) => id.slice(5)[position])).size).toBeGreaterThan(20);
  });

  it('newSequentialId: strictly increasing inside one millisecond', () => {
    const at = Date.now();
    const ids = Array.from({ length: 1_000 }, () => newSequentialId('event', at));
    expect(ids.toSorted()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('isId refuses the wrong prefix and a malformed body', () => {
    const id = newId('task');
    expect(isId('task', id)).toBe(true);
    expect(isId('workflow', id)).toBe(false);
    expect(isId('task', `${id}x`)).toBe(false);
    expect(isId('task', 'task_01M9148MTE589ADV3YSSYKFR3I')).toBe(false);
  });
});
