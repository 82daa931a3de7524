import { describe, expect, it } from 'vitest';
import { parseFailureCause } from '../../statemachines/task-runner-contract.ts';

describe('parseFailureCause', () => {
  it('reads the failure record the Fail state carries', () => {
    const cause = JSON.stringify({ failed_node: 'fetch', node_type: 'http.request', error: 'Stepwise.Retryable', cause: '{"errorMessage":"HTTP 503"}', map_node: 'each', map_key: '2' });
    expect(parseFailureCause(cause)).toEqual({ failed_node: 'fetch', node_type: 'http.request', error: 'Stepwise.Retryable', cause: '{"errorMessage":"HTTP 503"}', map_node: 'each', map_key: '2' });
  });

  it('ignores causes that are not failure records', () => {
    expect(parseFailureCause(undefined)).toBeUndefined();
    expect(parseFailureCause('HTTP 503')).toBeUndefined();
    expect(parseFailureCause('{"errorMessage":"x"}')).toBeUndefined();
    expect(parseFailureCause('{broken')).toBeUndefined();
  });
});
