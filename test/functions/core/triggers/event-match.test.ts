import { describe, expect, it } from 'vitest';
import { depthOf, matchesFilter } from '../../../../functions/core/triggers/event-match.ts';

describe('event trigger matching', () => {
  const event = { data: { status: 'failed', workflow_id: 'wf_1', nested: { count: 3, flag: true }, tags: ['a'] } };

  it('holds without a filter, and when every key matches', () => {
    expect(matchesFilter(undefined, event)).toBe(true);
    expect(matchesFilter({ 'data.status': 'failed' }, event)).toBe(true);
    expect(matchesFilter({ 'data.status': ['completed', 'failed'], 'data.nested.count': 3, 'data.nested.flag': true }, event)).toBe(true);
  });

  it('fails on any mismatch, a missing path, or a type difference', () => {
    expect(matchesFilter({ 'data.status': 'completed' }, event)).toBe(false);
    expect(matchesFilter({ 'data.status': 'failed', 'data.nested.count': 4 }, event)).toBe(false);
    expect(matchesFilter({ 'data.nested.count': '3' }, event)).toBe(false);
    expect(matchesFilter({ 'data.missing.deeper': 'x' }, event)).toBe(false);
    expect(matchesFilter({ 'data.tags.0': 'a' }, event)).toBe(false);
  });

  it('lets null match an absent field', () => {
    expect(matchesFilter({ 'data.error': null }, event)).toBe(true);
    expect(matchesFilter({ 'data.status': null }, event)).toBe(false);
  });

  it('reads the chain depth only from event-triggered inputs', () => {
    expect(depthOf({ trigger: { type: 'event', depth: 3 } })).toBe(3);
    expect(depthOf({ trigger: { type: 'schedule', depth: 3 } })).toBe(0);
    expect(depthOf({ trigger: { type: 'event', depth: '3' } })).toBe(0);
    expect(depthOf({ trigger: { type: 'event', depth: -1 } })).toBe(0);
    expect(depthOf(undefined)).toBe(0);
    expect(depthOf('x')).toBe(0);
  });
});
