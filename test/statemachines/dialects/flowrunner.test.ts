import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../../statemachines/parse.ts';
import { ir, issues } from '../support/fixtures.ts';
import { FLOWRUNNER_SEED as SEED_DEFINITION } from '../support/flows.ts';

describe('FlowRunner dialect', () => {
  it('parses the seed definition into the IR', () => {
    const parsed = ir({ name: 'My Flow', definition: SEED_DEFINITION, tags: ['production'] });
    expect(parsed).toMatchSnapshot();
    expect(parsed.dialect).toBe('flowrunner');
    expect(parsed.entry).toEqual(['start']);
    expect(parsed.edges).toEqual([{ from: 'start', to: 'end', kind: 'next' }]);
    expect(parsed.metadata).toEqual({ name: 'My Flow', description: 'A simple flow', version: '1.0.0' });
  });

  it('accepts the definition as an object, and JSON text', () => {
    const object = { metadata: { name: 'x' }, nodes: { a: { type: 'pass', next: 'b' }, b: { type: 'pass' } } };
    expect(ir({ definition: object }).edges).toEqual([{ from: 'a', to: 'b', kind: 'next' }]);
    expect(ir({ definition: JSON.stringify(object) }).nodes.map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('supports fan-out lists and default lists, joining on shared successors', () => {
    const parsed = ir({
      definition: {
        nodes: {
          a: { type: 'pass', next: ['b', 'c'] },
          b: { type: 'pass', next: { default: 'd' } },
          c: { type: 'pass', next: { default: ['d'] } },
          d: { type: 'pass' },
        },
      },
    });
    expect(parsed.nodes.find((n) => n.id === 'd')?.dependencies).toEqual(['b', 'c']);
  });

  it('takes the entry from metadata.start, else the first node in document order', () => {
    const nodes = { z: { type: 'pass' }, a: { type: 'pass', next: 'z' } };
    expect(ir({ definition: { metadata: { start: 'a' }, nodes } }).entry).toEqual(['a']);
    const unreachable = issues({ definition: { nodes } });
    expect(unreachable).toEqual([expect.objectContaining({ code: 'unreachable_node', node: 'a', path: 'definition.nodes.a' })]);
    expect(issues({ definition: { metadata: { start: 'nope' }, nodes } })).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'unknown_next', field: 'start', path: 'definition.metadata.start' })]),
    );
  });

  it('wires choice edges from params.choices and the default from params or next', () => {
    const parsed = ir({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'input.n > 1', next: 'big' }] }, next: { default: 'small' } },
          big: { type: 'pass' },
          small: { type: 'pass' },
        },
      },
    });
    expect(parsed.edges).toEqual([
      { from: 'check', to: 'big', kind: 'choice' },
      { from: 'check', to: 'small', kind: 'default' },
    ]);
    expect(parsed.nodes[0]?.params.default).toBe('small');
  });

  it('rejects a choice with several next targets', () => {
    const found = issues({ definition: { nodes: { c: { type: 'choice', params: { choices: [{ when: 'true', next: 'a' }] }, next: ['a', 'b'] }, a: { type: 'pass' }, b: { type: 'pass' } } } });
    expect(found[0]).toMatchObject({ node: 'c', field: 'next', code: 'invalid_definition' });
  });

  it('rejects conflicting choice defaults and labelled next edges', () => {
    const found = issues({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'true', next: 'b' }], default: 'b' }, next: { default: 'c' } },
          b: { type: 'pass', next: { default: 'c', error: 'c' } },
          c: { type: 'pass' },
        },
      },
    });
    expect(found.map((i) => [i.node, i.field, i.code])).toEqual(
      expect.arrayContaining([
        ['check', 'next', 'invalid_definition'],
        ['b', 'next.error', 'invalid_definition'],
      ]),
    );
  });

  it('reports YAML syntax errors with a line number, and duplicate node ids', () => {
    const broken = parseWorkflow({ definition: 'nodes:\n  a:\n    type: pass\n    next: [b\n' });
    expect(broken.issues[0]).toMatchObject({ code: 'invalid_yaml', path: 'definition', message: expect.stringContaining('line') });
    const dup = parseWorkflow({ definition: 'nodes:\n  a:\n    type: pass\n  a:\n    type: pass\n' });
    expect(dup.issues[0]).toMatchObject({ code: 'duplicate_id', node: 'a', message: expect.stringContaining('line 4') });
  });

  it('rejects unknown fields on nodes and at the top level', () => {
    const found = issues({ definition: { nodes: { a: { type: 'pass', param: {} } }, extra: 1 } });
    expect(found.map((i) => i.path)).toEqual(['definition.extra']);
    const nodeLevel = issues({ definition: { nodes: { a: { type: 'pass', param: {} } } } });
    expect(nodeLevel).toEqual([expect.objectContaining({ path: 'definition.nodes.a.param', node: 'a', field: 'param' })]);
  });

  it('reads node retry, max_retries and timeout', () => {
    const parsed = ir({
      definition: {
        nodes: {
          a: { type: 'http.request', params: { url: 'https://x.test' }, retry: { max_attempts: 5, initial_delay: '2s', backoff_factor: 3 }, timeout: '45s', next: 'b' },
          b: { type: 'http.request', params: { url: 'https://x.test' }, max_retries: 0 },
        },
      },
    });
    expect(parsed.nodes[0]).toMatchObject({ retry: { max_attempts: 5, interval_seconds: 2, backoff_rate: 3, max_delay_seconds: 300 }, timeout_seconds: 45 });
    expect(parsed.nodes[1]?.retry.max_attempts).toBe(1);
  });

  it('accepts config inside the definition, but not in both places', () => {
    expect(ir({ definition: { config: { max_concurrency: 3 }, nodes: { a: { type: 'pass' } } } }).config.max_concurrency).toBe(3);
    expect(issues({ config: {}, definition: { config: {}, nodes: { a: { type: 'pass' } } } })[0]).toMatchObject({ path: 'config', code: 'invalid_definition' });
  });

  it('parses nested graphs for parallel branches and map iterators', () => {
    const parsed = ir({
      definition: {
        nodes: {
          fan: {
            type: 'parallel',
            params: { branches: [{ nodes: { b1: { type: 'pass' } } }, { start: 'b3', nodes: { b2: { type: 'pass' }, b3: { type: 'pass', next: 'b2' } } }] },
          },
        },
      },
    });
    expect(parsed.nodes[0]?.branches?.map((g) => g.entry)).toEqual([['b1'], ['b3']]);
    expect(parsed.nodes[0]?.branches?.[1]?.source).toBe('definition.nodes.fan.params.branches[1]');
  });
});
