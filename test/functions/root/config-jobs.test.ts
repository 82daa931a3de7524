import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/root/config.ts';

const local = (env: Record<string, string> = {}) => parseConfig({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', ...env });

describe('STEPWISE_LOCAL_JOBS (docs/api.md, "Jobs")', () => {
  it('is on by default and takes on or off', () => {
    expect(local().STEPWISE_LOCAL_JOBS).toBe('on');
    expect(local({ STEPWISE_LOCAL_JOBS: 'off' }).STEPWISE_LOCAL_JOBS).toBe('off');
  });

  it('refuses anything else at start rather than guessing', () => {
    expect(() => local({ STEPWISE_LOCAL_JOBS: 'no' })).toThrow(/STEPWISE_LOCAL_JOBS/);
  });
});
