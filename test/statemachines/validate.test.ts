import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../statemachines/parse.ts';
import { issues, task } from './support/fixtures.ts';

const pick = (found: Array<{ code: string; node?: string; field?: string; path: string }>) => found.map((i) => ({ code: i.code, node: i.node, field: i.field, path: i.path }));

describe('graph validation', () => {
  it('reports a cycle with its path', () => {
    const found = issues({ tasks: [task('a', ['c']), task('b', ['a']), task('c', ['b']), task('d')] });
    expect(found).toEqual([
      expect.objectContaining({ code: 'cycle', node: 'a', field: 'dependencies', path: 'tasks[0].dependencies', message: expect.stringContaining('a → b → c → a') }),
    ]);
  });

  it('reports each independent cycle once, and self-dependencies', () => {
    const found = issues({
      definition: {
        nodes: {
          s: { type: 'pass', next: ['a', 'x'] },
          a: { type: 'pass', next: 'b' },
          b: { type: 'pass', next: 'a' },
          x: { type: 'pass', next: 'x' },
        },
      },
    });
    expect(found.map((i) => [i.code, i.node, i.message.split(' (')[0]])).toEqual([
      ['cycle', 'x', 'node "x" depends on itself'],
      ['cycle', 'a', 'cycle: a → b → a'],
    ]);
  });

  it('reports unknown dependencies and next targets with the field', () => {
    expect(pick(issues({ tasks: [task('a'), task('b', ['a', 'ghost'])] }))).toEqual([
      { code: 'unknown_dependency', node: 'b', field: 'dependencies[1]', path: 'tasks[1].dependencies[1]' },
    ]);
    expect(pick(issues({ definition: { nodes: { a: { type: 'pass', next: { default: 'ghost' } } } } }))).toEqual([
      { code: 'unknown_next', node: 'a', field: 'next.default', path: 'definition.nodes.a.next.default' },
    ]);
    expect(pick(issues({ definition: { nodes: { a: { type: 'choice', params: { choices: [{ when: 'true', next: 'ghost' }] } } } } }))).toEqual([
      { code: 'unknown_next', node: 'a', field: 'params.choices[0].next', path: 'definition.nodes.a.params.choices[0].next' },
    ]);
  });

  it('does not let edges cross into nested graphs', () => {
    const found = issues({ tasks: [{ name: 'fan', type: 'parallel', payload: { branches: [[task('inner')]] } }, task('after', ['inner'])] });
    expect(found[0]).toMatchObject({ code: 'unknown_dependency', node: 'after', message: expect.stringContaining('in another graph') });
  });

  it('reports unreachable nodes', () => {
    expect(pick(issues({ definition: { nodes: { a: { type: 'pass' }, b: { type: 'pass', next: 'c' }, c: { type: 'pass' } } } }))).toEqual([
      { code: 'unreachable_node', node: 'b', field: undefined, path: 'definition.nodes.b' },
      { code: 'unreachable_node', node: 'c', field: undefined, path: 'definition.nodes.c' },
    ]);
  });

  it('reports duplicate ids, also across nested graphs', () => {
    expect(pick(issues({ tasks: [task('a'), task('a')] }))).toEqual([{ code: 'duplicate_id', node: 'a', field: 'id', path: 'tasks[1]' }]);
    const nested = issues({ steps: [{ type: 'parallel', id: 'fan', branches: [[{ type: 'pass', id: 'fan' }]] }] });
    expect(nested[0]).toMatchObject({ code: 'duplicate_id', node: 'fan', path: 'steps[0].branches[0][0]' });
  });

  it('reports invalid ids', () => {
    expect(pick(issues({ tasks: [task('extract data')] }))).toEqual([{ code: 'invalid_id', node: 'extract data', field: 'id', path: 'tasks[0]' }]);
    expect(issues({ tasks: [task('1st')] })[0]?.code).toBe('invalid_id');
  });

  it('reports unknown types and bad params', () => {
    expect(pick(issues({ tasks: [{ name: 'a', type: 'sleep' }] }))).toEqual([{ code: 'unknown_type', node: 'a', field: 'type', path: 'tasks[0].type' }]);
    expect(pick(issues({ definition: { nodes: { a: { type: 'wait', params: { seconds: 'x' } } } } }))).toEqual([
      { code: 'invalid_params', node: 'a', field: 'params.seconds', path: 'definition.nodes.a.params.seconds' },
    ]);
  });

  it('refuses at publish what an etl node would refuse at run time, naming the field', () => {
    const found = issues({
      definition: {
        nodes: {
          load: { type: 'etl', next: 'later', params: { source_url: 's3://in-data/x.csv.gz', target_url: 's3://out-data/x.parquet', format: 'xml', transformation: '$uppercase(' } },
          later: { type: 'etl', params: { source_url: '{{input.source}}', target_url: 'postgres://local/{{input.table}}' } },
        },
      },
    });
    expect(found.map((i) => [i.code, i.node, i.path])).toEqual([
      ['invalid_params', 'load', 'definition.nodes.load.params.format'],
      ['invalid_params', 'load', 'definition.nodes.load.params.source_url'],
      ['invalid_params', 'load', 'definition.nodes.load.params.target_url'],
      ['invalid_expression', 'load', 'definition.nodes.load.params.transformation'],
    ]);
    expect(found.map((i) => i.message).join('\n')).toMatch(/compressed files \(\.gz\) are not supported[\s\S]*etl writes csv, json, ndjson, not parquet[\s\S]*not a valid JSONata expression/);
  });

  it('reserves keys ending in ".$" anywhere in params', () => {
    const found = issues({ steps: [{ type: 'http.request', url: 'https://x.test', body: { nested: { 'path.$': '$$.Execution.Input' } } }] });
    expect(pick(found)).toEqual([{ code: 'reserved_key', node: 'step_1', field: 'body.nested["path.$"]', path: 'steps[0].body.nested["path.$"]' }]);
  });

  it('limits nesting depth', () => {
    let graph: unknown = [{ type: 'pass', id: 'leaf' }];
    for (let i = 0; i < 10; i++) graph = [{ type: 'parallel', id: `p${i}`, branches: [graph] }];
    expect(issues({ steps: graph }).some((i) => i.message.includes('at most 8 levels'))).toBe(true);
  });
});

describe('template references', () => {
  const flow = (nodes: Record<string, unknown>) => ({ definition: { nodes } });

  it('accepts references to ancestors, inputs and secrets', () => {
    const parsed = parseWorkflow(
      flow({
        a: { type: 'http.request', params: { url: 'https://x.test/{{input.id}}', headers: { k: '{{secrets.KEY}}' } }, next: 'b' },
        b: { type: 'transform', params: { expression: '$', input: '{{steps.a.output.body}}' }, next: 'c' },
        c: { type: 'webhook', params: { url: 'https://x.test', body: { a: '{{steps.a.status}}', b: '{{steps.b.output}}' } } },
      }),
    );
    expect(parsed.issues).toEqual([]);
  });

  it('rejects references to nodes that are not upstream, unknown, or the node itself', () => {
    const found = issues(
      flow({
        a: { type: 'pass', next: ['b', 'c'] },
        b: { type: 'webhook', params: { url: 'https://x.test', body: '{{steps.c.output}}' } },
        c: { type: 'webhook', params: { url: 'https://x.test', body: { x: ['{{steps.ghost.output}}', '{{steps.c.output}}'] } } },
      }),
    );
    expect(found.map((i) => [i.node, i.field, i.path, i.message.replace(/^.*?\}\} /, '')])).toEqual([
      ['b', 'params.body', 'definition.nodes.b.params.body', 'refers to "c", which is not upstream of "b" (it may not have run yet); add a dependency path from "c"'],
      ['c', 'params.body.x[0]', 'definition.nodes.c.params.body.x[0]', 'refers to unknown node "ghost"'],
      ['c', 'params.body.x[1]', 'definition.nodes.c.params.body.x[1]', 'refers to the node itself'],
    ]);
    expect(found.every((i) => i.code === 'invalid_template_reference')).toBe(true);
  });

  it('reports malformed templates', () => {
    const found = issues({ steps: [{ type: 'webhook', url: 'https://x.test', body: '{{env.HOME}}' }] });
    expect(found[0]).toMatchObject({ code: 'invalid_template', node: 'step_1', field: 'body' });
  });

  it('sees nodes inside an upstream parallel node, and the ancestors of enclosing nodes', () => {
    const parsed = parseWorkflow({
      tasks: [
        task('first'),
        { name: 'fan', type: 'parallel', dependencies: ['first'], payload: { branches: [[{ name: 'inner', type: 'generic', payload: { command: '{{steps.first.output}}' } }]] } },
        { name: 'after', type: 'generic', dependencies: ['fan'], payload: { command: '{{steps.inner.output}}' } },
      ],
    });
    expect(parsed.issues).toEqual([]);
  });

  it('allows item/index only inside map iterators, and keeps secrets out of map items', () => {
    const ok = parseWorkflow({ steps: [{ type: 'map', items: '$.orders', iterator: [{ type: 'generic', id: 'each', command: 'ship {{item.id}} #{{index}}' }] }] });
    expect(ok.issues).toEqual([]);
    const found = issues({
      steps: [
        { type: 'generic', command: 'echo {{item.id}}' },
        { type: 'map', items: '{{secrets.LIST}}', iterator: [{ type: 'pass', id: 'x' }] },
      ],
    });
    expect(found.map((i) => [i.node, i.field, i.code])).toEqual([
      ['step_1', 'command', 'invalid_template_reference'],
      ['step_2', 'items', 'invalid_template_reference'],
    ]);
  });
});

describe('issue 13 #7 (Medium): which nodes may read secrets', () => {
  it('refuses {{secrets.…}} in transform input and expression, wait, pass, fail and subworkflow, naming node and field', () => {
    const found = issues({
      tasks: [
        { name: 'upper', type: 'transform', payload: { expression: '$uppercase($)', input: '{{secrets.TOKEN}}' } },
        { name: 'literal', type: 'transform', payload: { expression: '"{{secrets.TOKEN}}"' } },
        { name: 'nap', type: 'wait', payload: { seconds: '{{secrets.DELAY}}' } },
        { name: 'fixed', type: 'pass', payload: { result: { t: 'x {{secrets.TOKEN}}' } } },
        { name: 'stop', type: 'fail', payload: { cause: 'was {{secrets.TOKEN}}' } },
        { name: 'child', type: 'subworkflow', payload: { workflow_id: 'wf_x', input: { t: '{{secrets.TOKEN}}' } } },
      ],
    });
    expect(found.map((i) => [i.node, i.field, i.code])).toEqual([
      ['upper', 'payload.input', 'secret_not_allowed'],
      ['literal', 'payload.expression', 'secret_not_allowed'],
      ['nap', 'payload.seconds', 'secret_not_allowed'],
      ['fixed', 'payload.result.t', 'secret_not_allowed'],
      ['stop', 'payload.cause', 'secret_not_allowed'],
      ['child', 'payload.input.t', 'secret_not_allowed'],
    ]);
  });

  it('allows them where a value goes to another system', () => {
    const parsed = parseWorkflow({
      tasks: [
        { name: 'call', type: 'http.request', payload: { url: 'https://api.example.com/?k={{secrets.TOKEN}}', headers: { Authorization: 'Bearer {{secrets.TOKEN}}' }, body: { k: '{{secrets.TOKEN}}' } } },
        { name: 'fn', type: 'lambda', payload: { function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', payload: { k: '{{secrets.TOKEN}}' } } },
        { name: 'job', type: 'generic', payload: { command: 'deploy', environment: { TOKEN: '{{secrets.TOKEN}}' } } },
      ],
    });
    expect(parsed.issues).toEqual([]);
  });
});

describe('choice structure', () => {
  it('accepts branches that rejoin, end or fail on their own', () => {
    const parsed = parseWorkflow({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'a', next: 'x' }, { when: 'b', next: 'y' }], default: 'stop' } },
          x: { type: 'pass', next: 'merge' },
          y: { type: 'pass', next: 'merge' },
          stop: { type: 'fail', params: { error: 'Nope' } },
          merge: { type: 'pass' },
        },
      },
    });
    expect(parsed.issues).toEqual([]);
  });

  it('rejects branches that rejoin at two different nodes', () => {
    const found = issues({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'a', next: 'x' }], default: 'y' } },
          x: { type: 'pass', next: ['m1', 'm2'] },
          y: { type: 'pass', next: ['m1', 'm2'] },
          m1: { type: 'pass' },
          m2: { type: 'pass' },
        },
      },
    });
    expect(found[0]).toMatchObject({ code: 'unstructured_choice', node: 'm2', message: expect.stringContaining('rejoin at more than one node ("m1" and "m2")') });
  });

  it('rejects a branch that feeds two different merge points', () => {
    const found = issues({
      definition: {
        nodes: {
          check: { type: 'choice', params: { choices: [{ when: 'a', next: 'x' }, { when: 'b', next: 'y' }], default: 'z' } },
          x: { type: 'pass', next: ['m1', 'm2'] },
          y: { type: 'pass', next: 'm1' },
          z: { type: 'pass', next: 'm2' },
          m1: { type: 'pass' },
          m2: { type: 'pass' },
        },
      },
    });
    expect(found[0]).toMatchObject({ code: 'unstructured_choice', message: expect.stringContaining('a branch may rejoin the others at one node only') });
  });

  it('rejects FlowCtl tasks that depend on a choice without being one of its branches', () => {
    const found = issues({
      tasks: [
        { name: 'check', type: 'choice', payload: { choices: [{ when: 'true', next: 'yes' }] } },
        task('yes', ['check']),
        task('other', ['check']),
      ],
    });
    expect(pick(found)).toEqual([{ code: 'unstructured_choice', node: 'other', field: 'dependencies', path: 'tasks[2].dependencies' }]);
  });
});
