import { describe, expect, it } from 'vitest';
import { findTemplates, parseTemplate, splitPath, wholeTemplate } from '../../statemachines/templates.ts';

describe('parseTemplate', () => {
  it('parses the supported roots', () => {
    expect(parseTemplate('input.user.id').ref).toEqual({ kind: 'input', path: ['user', 'id'] });
    expect(parseTemplate('input').ref).toEqual({ kind: 'input', path: [] });
    expect(parseTemplate('input.items[2].sku').ref).toEqual({ kind: 'input', path: ['items', '2', 'sku'] });
    expect(parseTemplate('steps.fetch.output.body.id').ref).toEqual({ kind: 'steps', node: 'fetch', path: ['output', 'body', 'id'] });
    expect(parseTemplate('steps.fetch-data').ref).toEqual({ kind: 'steps', node: 'fetch-data', path: [] });
    expect(parseTemplate('secrets.API_KEY').ref).toEqual({ kind: 'secrets', key: 'API_KEY' });
    expect(parseTemplate('item.sku').ref).toEqual({ kind: 'item', path: ['sku'] });
    expect(parseTemplate(' index ').ref).toEqual({ kind: 'index' });
  });

  it('explains malformed templates', () => {
    expect(parseTemplate('env.HOME').problem).toMatch(/unknown template root "env"/);
    expect(parseTemplate('steps').problem).toMatch(/must name a node/);
    expect(parseTemplate('steps.a.body').problem).toMatch(/\.output, \.status or \.error/);
    expect(parseTemplate('secrets').problem).toMatch(/secret key/);
    expect(parseTemplate('input..x').problem).toMatch(/malformed path/);
    expect(parseTemplate('index.x').problem).toMatch(/takes no path/);
    expect(parseTemplate('inputs.x').problem).toMatch(/unknown template root/);
  });
});

describe('splitPath', () => {
  it('splits dotted and indexed paths', () => {
    expect(splitPath('a.b[0].c')).toEqual(['a', 'b', '0', 'c']);
    expect(splitPath('')).toEqual([]);
    expect(splitPath('.a')).toBeUndefined();
    expect(splitPath('a.')).toBeUndefined();
  });
});

describe('findTemplates', () => {
  it('finds templates anywhere in a value, with their location', () => {
    const found = findTemplates({
      url: 'https://x.test/{{input.id}}?k={{secrets.KEY}}',
      headers: { auth: 'Bearer {{ secrets.TOKEN }}' },
      body: [{ v: '{{steps.a.output}}' }, 3, null],
    });
    expect(found.map((t) => [t.at, t.expression])).toEqual([
      ['url', 'input.id'],
      ['url', 'secrets.KEY'],
      ['headers.auth', 'secrets.TOKEN'],
      ['body[0].v', 'steps.a.output'],
    ]);
  });

  it('leaves single braces and non-strings alone', () => {
    expect(findTemplates({ a: '{not}', b: 1, c: '{{}' })).toEqual([]);
  });

  it('recognises a whole-value template', () => {
    expect(wholeTemplate(' {{input.orders}} ')).toEqual({ kind: 'input', path: ['orders'] });
    expect(wholeTemplate('x {{input.orders}}')).toBeUndefined();
  });
});
