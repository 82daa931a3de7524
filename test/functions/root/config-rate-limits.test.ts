import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/root/config.ts';

const base = { TABLE_NAME: 'tbl', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' };

describe('rate-limit configuration', () => {
  it('defaults to 100/min free, 1000/min enterprise, 20/min anonymous', () => {
    expect(parseConfig(base).rateLimits).toEqual({ free: 100, enterprise: 1000, anonymous: 20, windowSeconds: 60, account: { free: 500, enterprise: 5000 } });
  });

  it('reads every limit and the window from the environment', () => {
    const config = parseConfig({
      ...base,
      RATE_LIMIT_FREE: '7',
      RATE_LIMIT_ENTERPRISE: '70',
      RATE_LIMIT_ANONYMOUS: '3',
      RATE_LIMIT_WINDOW_SECONDS: '2',
      RATE_LIMIT_ACCOUNT_FREE: '21',
      RATE_LIMIT_ACCOUNT_ENTERPRISE: '210',
    });
    expect(config.rateLimits).toEqual({ free: 7, enterprise: 70, anonymous: 3, windowSeconds: 2, account: { free: 21, enterprise: 210 } });
  });

  it.each([
    ['RATE_LIMIT_FREE', '0'],
    ['RATE_LIMIT_ANONYMOUS', '-1'],
    ['RATE_LIMIT_ENTERPRISE', 'lots'],
    ['RATE_LIMIT_WINDOW_SECONDS', '1.5'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['RATE_LIMIT_ACCOUNT_FREE', '0'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => parseConfig({ ...base, [name]: value })).toThrow(new RegExp(`Invalid Stepwise configuration: .*${name}`));
  });
});
