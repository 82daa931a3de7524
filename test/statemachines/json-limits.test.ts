import { describe, expect, it } from 'vitest';
import { formatJsonPath, inspectJson, MAX_JSON_DEPTH } from '../../statemachines/json-limits.ts';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('inspectJson', () => {
  it('accepts values up to the depth limit and reports the first path beyond it', () => {
    expect(inspectJson(nested(MAX_JSON_DEPTH))).toBeUndefined();
    const problem = inspectJson({ input: nested(MAX_JSON_DEPTH) });
    expect(problem).toMatchObject({ kind: 'depth' });
    expect(problem?.kind === 'depth' && problem.path[0]).toBe('input');
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(inspectJson(deep)).toMatchObject({ kind: 'depth' });
  });

  it('finds __proto__ as a key anywhere, as JSON.parse leaves it (an own property)', () => {
    const parsed = JSON.parse('{"definition":{"nodes":{"a":{"params":{"x":[{"__proto__":{"p":1}}]}}}}}') as unknown;
    expect(inspectJson(parsed)).toEqual({ kind: 'key', path: ['definition', 'nodes', 'a', 'params', 'x', 0, '__proto__'] });
    expect(inspectJson({ proto: '__proto__' })).toBeUndefined();
  });

  it('counts a value shared by reference every time it appears, and stops at the size limit', () => {
    // 10,000 references to 1 KB expand to 10 MB. Every visit of the shared object reads its text:
    // stopping at the limit means a few hundred visits (counted, not timed: a loaded machine is slow, not wrong).
    let visits = 0;
    const text = 'x'.repeat(1_000);
    const shared = {
      get text() {
        visits += 1;
        return text;
      },
    };
    const many = { list: Array.from({ length: 10_000 }, () => shared) };
    expect(inspectJson(many, { maxBytes: 262_144 })).toMatchObject({ kind: 'size' });
    expect(visits).toBeGreaterThan(200);
    expect(visits).toBeLessThan(300);
    // A million references stop at once, on the list's own size.
    expect(inspectJson({ list: Array.from({ length: 1_000_000 }, () => shared) }, { maxBytes: 262_144 })).toMatchObject({ kind: 'size' });
    expect(inspectJson({ list: [shared, shared] }, { maxBytes: 262_144 })).toBeUndefined();
  });

  it('reports a cycle (a YAML anchor inside itself) as too deep', () => {
    const loop: { self?: unknown } = {};
    loop.self = loop;
    expect(inspectJson(loop)).toMatchObject({ kind: 'depth' });
  });

  it('formats paths, keeping the first segments', () => {
    expect(formatJsonPath(['tasks', 0, 'payload', 'result'])).toBe('tasks[0].payload.result');
    expect(formatJsonPath(Array.from({ length: 20 }, () => 'a'), 3)).toBe('a.a.a…');
  });
});
