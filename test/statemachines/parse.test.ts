import { describe, expect, it } from 'vitest';
import { detectDialect, MAX_DEFINITION_BYTES, MAX_NODES, parseWorkflow } from '../../statemachines/parse.ts';
import { task } from './support/fixtures.ts';

describe('detectDialect', () => {
  it('picks the dialect from the definition field', () => {
    expect(detectDialect({ name: 'x', definition: 'nodes: {}' }).dialect).toBe('flowrunner');
    expect(detectDialect({ name: 'x', tasks: [] }).dialect).toBe('flowctl');
    expect(detectDialect({ trigger: { type: 'manual' }, steps: [] }).dialect).toBe('cloudflow');
  });

  it('explains missing, ambiguous and non-object bodies', () => {
    expect(detectDialect({ name: 'x' }).issue).toMatchObject({ code: 'unknown_dialect' });
    expect(detectDialect({ tasks: [], steps: [] }).issue).toMatchObject({ code: 'ambiguous_dialect', path: 'steps', message: expect.stringContaining('`tasks`, `steps`') });
    expect(detectDialect([]).issue).toMatchObject({ code: 'invalid_definition' });
    expect(detectDialect('nodes: {}').issue).toMatchObject({ code: 'invalid_definition' });
  });
});

describe('parseWorkflow limits', () => {
  it(`accepts ${MAX_NODES} nodes and rejects ${MAX_NODES + 1}`, () => {
    const tasks = (n: number) => Array.from({ length: n }, (_, i) => task(`t${i}`, i > 0 ? [`t${i - 1}`] : []));
    expect(parseWorkflow({ tasks: tasks(MAX_NODES) }).ok).toBe(true);
    const over = parseWorkflow({ tasks: tasks(MAX_NODES + 1) });
    expect(over.issues).toEqual([expect.objectContaining({ code: 'too_many_nodes', path: 'tasks' })]);
  });

  it('counts nested nodes towards the limit', () => {
    const branch = { tasks: Array.from({ length: 300 }, (_, i) => task(`b${i}`)) };
    const branch2 = { tasks: Array.from({ length: 300 }, (_, i) => task(`c${i}`)) };
    const parsed = parseWorkflow({ tasks: [{ name: 'fan', type: 'parallel', payload: { branches: [branch, branch2] } }] });
    expect(parsed.issues).toEqual([expect.objectContaining({ code: 'too_many_nodes', message: expect.stringContaining('601 nodes including nested graphs') })]);
  });

  it('rejects definitions over 256 KB before parsing them', () => {
    const big = 'x'.repeat(MAX_DEFINITION_BYTES);
    const parsed = parseWorkflow({ steps: [{ type: 'pass', result: big }] });
    expect(parsed.issues).toEqual([expect.objectContaining({ code: 'definition_too_large', path: 'steps' })]);
    const yaml = parseWorkflow({ definition: `nodes:\n  a:\n    type: pass\n# ${'y'.repeat(MAX_DEFINITION_BYTES)}` });
    expect(yaml.issues[0]?.code).toBe('definition_too_large');
  });

  it('measures size in UTF-8 bytes', () => {
    const chars = Math.ceil(MAX_DEFINITION_BYTES / 3) + 10;
    const parsed = parseWorkflow({ steps: [{ type: 'pass', result: '€'.repeat(chars) }] });
    expect(parsed.issues[0]?.code).toBe('definition_too_large');
  });

  it('returns the IR only for valid definitions, with the metadata merged from the body', () => {
    const parsed = parseWorkflow({ name: 'Nightly', description: 'd', tasks: [task('a')] });
    expect(parsed).toMatchObject({ ok: true, dialect: 'flowctl', issues: [] });
    expect(parsed.ir?.metadata).toEqual({ name: 'Nightly', description: 'd' });
    expect(parseWorkflow({ tasks: [{ name: 'a', type: 'nope' }] }).ir).toBeUndefined();
  });
});
