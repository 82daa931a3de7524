import { describe, expect, it } from 'vitest';
import { buildManifest, sinksOf } from '../../../../functions/core/workflows/manifest.ts';
import { compileWorkflow, parseWorkflow } from '../../../../statemachines/index.ts';

function manifestOf(body: Record<string, unknown>) {
  const parsed = parseWorkflow(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const compiled = compileWorkflow(parsed.ir!, { taskRunnerArn: 'arn:aws:lambda:us-east-1:1:function:runner', workflowId: 'wf_x', accountId: 'acct_x' });
  if (!compiled.ok) throw new Error('did not compile');
  return buildManifest(parsed.ir!, compiled.json);
}

describe('buildManifest', () => {
  it('lists every node with its parent, effective retries and whether the runner executes it', () => {
    const nodes = manifestOf({
      tasks: [
        { name: 'fetch', type: 'http.request', payload: { url: 'https://example.com' }, max_retries: 4, priority: 2 },
        { name: 'pause', type: 'wait', dependencies: ['fetch'], payload: { seconds: 5 } },
        {
          name: 'each',
          type: 'map',
          dependencies: ['pause'],
          payload: { items: '{{steps.fetch.output.body}}', iterator: [{ name: 'one', type: 'transform', payload: { expression: 'item' } }] },
        },
        { name: 'done', type: 'pass', dependencies: ['each'], payload: { result: { ok: true } } },
      ],
    });
    expect(nodes.map((n) => [n.id, n.parent, n.maxRetries, n.runnerTask])).toEqual([
      ['fetch', null, 4, true],
      ['pause', null, 2, false],
      ['each', null, 2, true],
      ['one', 'each', 2, true],
      ['done', null, 2, false],
    ]);
    expect(nodes[0]).toMatchObject({ type: 'http.request', priority: 2, payload: { url: 'https://example.com', method: 'GET' }, dependencies: [] });
    expect(nodes.find((n) => n.id === 'each')!.payload).not.toHaveProperty('iterator');
    expect(sinksOf(nodes)).toEqual(['done']);
  });

  it('finds every top-level end of a fan-out', () => {
    const nodes = manifestOf({
      tasks: [
        { name: 'a', type: 'transform', payload: { expression: '1' } },
        { name: 'b', type: 'transform', dependencies: ['a'], payload: { expression: '2' } },
        { name: 'c', type: 'transform', dependencies: ['a'], payload: { expression: '3' } },
      ],
    });
    expect(sinksOf(nodes)).toEqual(['b', 'c']);
  });
});
