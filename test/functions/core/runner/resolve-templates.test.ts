import { describe, expect, it, vi } from 'vitest';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';
import { RunnerFailure } from '../../../../functions/core/runner/errors.ts';
import {
  createTemplateResolver,
  getPath,
  readJsonPath,
  resolveTemplates,
  type StepSnapshot,
  type TemplateScope,
} from '../../../../functions/core/runner/resolve-templates.ts';

const input = { user: { id: 42, name: 'Ada', tags: ['a', 'b'] }, count: 3, flag: false, nothing: null };
const steps: Record<string, StepSnapshot> = {
  fetch: { status: 'completed', output: { status_code: 200, body: { items: [{ sku: 'X1' }, { sku: 'Y2' }] } }, error: null },
  broken: { status: 'failed', error: 'HTTP request failed with status 500' },
};
const secrets: Record<string, string> = { API_KEY: 'sk_live_abcdef123456', OTHER: 'other-secret-value' };

function scope(overrides: Partial<TemplateScope> = {}): TemplateScope & { stepCalls: string[]; secretCalls: string[] } {
  const stepCalls: string[] = [];
  const secretCalls: string[] = [];
  return {
    input,
    step: async (id) => {
      stepCalls.push(id);
      return steps[id];
    },
    secret: async (key) => {
      secretCalls.push(key);
      return secrets[key];
    },
    stepCalls,
    secretCalls,
    ...overrides,
  };
}

const resolve = async (value: unknown, s: TemplateScope = scope()) => (await resolveTemplates(value, s)).value;

describe('resolveTemplates: whole templates keep the type', () => {
  it.each([
    ['{{input.user}}', input.user],
    ['{{input.user.id}}', 42],
    ['{{input.count}}', 3],
    ['{{input.flag}}', false],
    ['{{input.user.tags}}', ['a', 'b']],
    ['{{input.user.tags[1]}}', 'b'],
    ['{{ input.user.name }}', 'Ada'],
    ['  {{input.count}} ', 3],
    ['{{input}}', input],
    ['{{steps.fetch.output.body.items[0].sku}}', 'X1'],
    ['{{steps.fetch.status}}', 'completed'],
    ['{{steps.broken.error}}', 'HTTP request failed with status 500'],
    ['{{steps.fetch.error}}', null],
    ['{{steps.fetch}}', { status: 'completed', output: steps.fetch?.output, error: null }],
    ['{{secrets.API_KEY}}', 'sk_live_abcdef123456'],
  ])('%s', async (template, expected) => {
    expect(await resolve(template)).toEqual(expected);
  });

  it('missing input and step paths resolve to null', async () => {
    expect(await resolve({ a: '{{input.user.missing}}', b: '{{steps.nope.output.x}}', c: '{{input.nothing}}', d: '{{steps.broken.output.x}}' })).toEqual({
      a: null,
      b: null,
      c: null,
      d: null,
    });
  });

  it('does not walk into prototypes', async () => {
    expect(await resolve('{{input.user.constructor}}')).toBeNull();
    expect(await resolve('{{input.user.tags.length}}')).toBeNull();
  });
});

describe('resolveTemplates: embedded templates are stringified', () => {
  it('strings, numbers, booleans, objects and missing values', async () => {
    expect(await resolve('id={{input.user.id}} name={{input.user.name}} flag={{input.flag}}')).toBe('id=42 name=Ada flag=false');
    expect(await resolve('user: {{input.user}}')).toBe('user: {"id":42,"name":"Ada","tags":["a","b"]}');
    expect(await resolve('tags={{input.user.tags}}')).toBe('tags=["a","b"]');
    expect(await resolve('x={{input.missing}}&y={{input.nothing}}&z={{steps.nope.output}}')).toBe('x=&y=&z=');
    expect(await resolve('Bearer {{secrets.API_KEY}}')).toBe('Bearer sk_live_abcdef123456');
    expect(await resolve('{{input.count}}{{input.count}}')).toBe('33');
  });

  it('leaves text without templates and non-strings alone', async () => {
    expect(await resolve({ a: 'plain', b: 1, c: true, d: null, e: [1, 'two'] })).toEqual({ a: 'plain', b: 1, c: true, d: null, e: [1, 'two'] });
    expect(await resolve('{ not a template }')).toBe('{ not a template }');
  });
});

describe('resolveTemplates: structure', () => {
  it('resolves deep in objects and arrays but never object keys', async () => {
    const value = {
      '{{input.user.name}}': 'key stays',
      nested: { list: ['{{input.user.id}}', { deep: 'n={{input.count}}' }], arr: '{{input.user.tags}}' },
    };
    expect(await resolve(value)).toEqual({
      '{{input.user.name}}': 'key stays',
      nested: { list: [42, { deep: 'n=3' }], arr: ['a', 'b'] },
    });
  });

  it('does not modify the value it was given', async () => {
    const value = { a: ['{{input.count}}'] };
    await resolve(value);
    expect(value).toEqual({ a: ['{{input.count}}'] });
  });

  it('never resolves templates that arrive inside resolved values', async () => {
    const s = scope({ input: { evil: '{{secrets.API_KEY}}', nested: { t: '{{secrets.API_KEY}}' } } });
    const { value, secretValues } = await resolveTemplates({ a: '{{input.evil}}', b: 'x {{input.evil}}', c: '{{input.nested}}' }, s);
    expect(value).toEqual({ a: '{{secrets.API_KEY}}', b: 'x {{secrets.API_KEY}}', c: { t: '{{secrets.API_KEY}}' } });
    expect(secretValues.size).toBe(0);
    expect(s.secretCalls).toEqual([]);
  });
});

describe('resolveTemplates: map context', () => {
  const inMap = (item: unknown, index: number) => scope({ map: { item, index } });

  it('item and index', async () => {
    expect(await resolve({ id: '{{item.id}}', all: '{{item}}', i: '{{index}}', label: 'row {{index}}: {{item.id}}' }, inMap({ id: 'o-1' }, 2))).toEqual({
      id: 'o-1',
      all: { id: 'o-1' },
      i: 2,
      label: 'row 2: o-1',
    });
  });

  it('item paths into arrays and scalars', async () => {
    expect(await resolve('{{item[1]}}', inMap(['x', 'y'], 0))).toBe('y');
    expect(await resolve('{{item}}', inMap(7, 0))).toBe(7);
  });

  it('outside a map, item and index are errors', async () => {
    await expect(resolve('{{item.id}}')).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable, retryable: false });
    await expect(resolve('n={{index}}')).rejects.toThrow(/only available inside a map iterator/);
  });
});

describe('resolveTemplates: secrets', () => {
  it('collects the secret values used', async () => {
    const { secretValues } = await resolveTemplates({ h: { Authorization: 'Bearer {{secrets.API_KEY}}' }, o: '{{secrets.OTHER}}', n: '{{input.count}}' }, scope());
    expect([...secretValues].toSorted()).toEqual(['other-secret-value', 'sk_live_abcdef123456']);
  });

  it('a missing secret is a non-retryable failure naming the key, never a value', async () => {
    const error = await resolve({ a: '{{secrets.API_KEY}}', b: 'x {{secrets.MISSING_KEY}}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailure);
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, retryable: false, details: { secret: 'MISSING_KEY' } });
    expect((error as Error).message).toContain('MISSING_KEY');
    expect((error as Error).message).not.toContain('sk_live');
  });

  it('issue 13 #7 (Medium): refuses a stored value too short to mask, naming only the key', async () => {
    const short = scope({ secret: async () => 'abc' });
    const error = await resolve('Bearer {{secrets.LEGACY}}', short).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, retryable: false, details: { secret: 'LEGACY' } });
    expect((error as Error).message).toMatch(/shorter than 8 characters/);
    expect((error as Error).message).not.toContain('abc');
  });

  it('reads each secret and step once per resolver', async () => {
    const s = scope();
    const resolver = createTemplateResolver(s);
    await resolver.resolve(['{{secrets.API_KEY}}', 'k={{secrets.API_KEY}}', '{{steps.fetch.status}}', '{{steps.fetch.output}}']);
    await resolver.resolve('{{secrets.API_KEY}} {{steps.fetch.status}}');
    expect(s.secretCalls).toEqual(['API_KEY']);
    expect(s.stepCalls).toEqual(['fetch']);
    expect(resolver.secretValues).toEqual(new Set(['sk_live_abcdef123456']));
  });

  it('does not look anything up for values without templates', async () => {
    const secret = vi.fn(async () => 'x');
    const step = vi.fn(async () => undefined);
    await resolve({ a: 'plain', b: [1, 2] }, scope({ secret, step }));
    expect(secret).not.toHaveBeenCalled();
    expect(step).not.toHaveBeenCalled();
  });
});

describe('resolveTemplates: malformed templates', () => {
  it.each(['{{foo.bar}}', 'x {{input..x}}', '{{secrets}}', '{{steps.fetch.other}}', '{{index.x}}'])('%s is a non-retryable template error', async (text) => {
    await expect(resolve({ body: { field: text } })).rejects.toMatchObject({
      name: RUNNER_ERRORS.nonRetryable,
      message: expect.stringMatching(/^template \{\{.*\}\} at body\.field: /),
    });
  });
});

describe('helpers', () => {
  it('getPath', () => {
    expect(getPath({ a: [{ b: 1 }] }, ['a', '0', 'b'])).toBe(1);
    expect(getPath({ a: [1] }, ['a', 'x'])).toBeUndefined();
    expect(getPath('text', ['length'])).toBeUndefined();
    expect(getPath(null, [])).toBeNull();
  });

  it('readJsonPath', () => {
    expect(readJsonPath({ orders: [{ id: 1 }] }, '$.orders')).toEqual({ value: [{ id: 1 }] });
    expect(readJsonPath({ orders: [{ id: 1 }] }, '$.orders[0].id')).toEqual({ value: 1 });
    expect(readJsonPath([5, 6], '$[1]')).toEqual({ value: 6 });
    expect(readJsonPath({ a: 1 }, '$')).toEqual({ value: { a: 1 } });
    expect(readJsonPath({}, '{{input.x}}')).toBeUndefined();
    expect(readJsonPath({}, '$..x')).toBeUndefined();
  });
});
