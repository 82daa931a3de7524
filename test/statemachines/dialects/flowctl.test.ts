import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../statemachines/ir.ts';
import { ir, issues, task } from '../support/fixtures.ts';
import { FLOWCTL_SEED as SEED_BODY } from '../support/flows.ts';

describe('FlowCtl dialect', () => {
  it('parses the seed request into the IR with default config', () => {
    const parsed = ir(SEED_BODY);
    expect(parsed).toMatchSnapshot();
    expect(parsed.config).toEqual(DEFAULT_CONFIG);
    expect(parsed.entry).toEqual(['extract_data']);
    expect(parsed.nodes[1]).toMatchObject({ id: 'validate_data', dependencies: ['extract_data'], priority: 2, params: { command: 'validate_schema' }, params_source: 'tasks[1].payload' });
  });

  it('maps config and retry_policy (max_attempts counts all attempts)', () => {
    const parsed = ir({
      config: { max_concurrency: 4, timeout: '30m', retry_policy: { max_attempts: 5, initial_delay: '500ms', max_delay: '1m', backoff_factor: 1.5 } },
      tasks: [task('a'), task('b', [], { max_retries: 1 })],
    });
    expect(parsed.config).toEqual({ max_concurrency: 4, timeout_seconds: 1800, retry_policy: { max_attempts: 5, interval_seconds: 0.5, max_delay_seconds: 60, backoff_rate: 1.5 } });
    expect(parsed.nodes[0]?.retry.max_attempts).toBe(5);
    // max_retries counts retries after the first attempt and overrides the policy's count only.
    expect(parsed.nodes[1]?.retry).toEqual({ max_attempts: 2, interval_seconds: 0.5, max_delay_seconds: 60, backoff_rate: 1.5 });
  });

  it('accepts numeric durations (seconds) in config', () => {
    expect(ir({ config: { timeout: 90, retry_policy: { initial_delay: 3 } }, tasks: [task('a')] }).config).toMatchObject({ timeout_seconds: 90, retry_policy: { interval_seconds: 3 } });
  });

  it('rejects bad config with the field named', () => {
    const found = issues({ config: { max_concurrency: 0, timeout: 'later', retry_policy: { backoff_factor: 0.5, jitter: true } }, tasks: [task('a')] });
    expect(found.map((i) => [i.path, i.code])).toEqual([
      ['config.max_concurrency', 'invalid_definition'],
      ['config.timeout', 'invalid_duration'],
      ['config.retry_policy.backoff_factor', 'invalid_definition'],
      ['config.retry_policy.jitter', 'invalid_definition'],
    ]);
  });

  it('rejects bad max_retries and unknown task fields', () => {
    const found = issues({ tasks: [task('a', [], { max_retries: -1 }), task('b', [], { retries: 2 })] });
    expect(found.map((i) => [i.node, i.field, i.path]).toSorted()).toEqual([
      ['a', 'max_retries', 'tasks[0].max_retries'],
      ['b', 'retries', 'tasks[1].retries'],
    ]);
  });

  it('treats every task without dependencies as an entry', () => {
    expect(ir({ tasks: [task('a'), task('b'), task('c', ['a', 'b'])] }).entry).toEqual(['a', 'b']);
  });

  it('requires name and type', () => {
    const found = issues({ tasks: [{ type: 'generic', payload: { command: 'x' } }, { name: 'b' }] });
    expect(found.map((i) => [i.path, i.message])).toEqual([
      ['tasks[0].name', 'task 0: name: name is required'],
      ['tasks[1].type', 'task "b": type: type is required'],
    ]);
  });

  it('parses nested task lists for parallel and map', () => {
    const parsed = ir({
      tasks: [
        { name: 'fan', type: 'parallel', payload: { branches: [[task('x')], { tasks: [task('y'), task('z', ['y'])] }] } },
        { name: 'each', type: 'map', payload: { items: '$.files', iterator: [task('one')] }, dependencies: ['fan'] },
      ],
    });
    expect(parsed.nodes[0]?.branches?.map((b) => b.nodes.map((n) => n.id))).toEqual([['x'], ['y', 'z']]);
    expect(parsed.nodes[1]?.iterator?.source).toBe('tasks[1].payload.iterator');
  });
});
