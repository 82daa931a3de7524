import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/root/config.ts';

const aws = { TABLE_NAME: 'table' };

describe('credential keys in the configuration', () => {
  it('lets workers (task runner, event consumers) start on AWS without the JWKS secret', () => {
    expect(parseConfig(aws, ['table:read-write']).JWKS_SECRET_ARN).toBeUndefined();
  });

  it('refuses to start a function that verifies credentials on AWS without it', () => {
    expect(() => parseConfig(aws, ['api:serve', 'table:read-write', 'tokens:verify'])).toThrow(/JWKS_SECRET_ARN: is required \(capability api:serve\)/);
    expect(() => parseConfig({ ...aws, JWKS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:jwks' }, ['api:serve', 'table:read-write', 'tokens:verify'])).not.toThrow();
    // Local mode declares no capabilities: its keys live under the data dir (functions/root/local.ts).
    expect(() => parseConfig({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).not.toThrow();
  });
});
