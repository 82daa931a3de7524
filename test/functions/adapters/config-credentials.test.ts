import { describe, expect, it } from 'vitest';
import { parseConfig, requireCredentialKeys } from '../../../functions/adapters/config.ts';

const aws = { STEPWISE_MODE: 'aws', TABLE_NAME: 'table' };

describe('credential keys in the configuration', () => {
  it('lets workers (task runner, event consumers) start on AWS without the JWKS secret', () => {
    expect(parseConfig(aws).JWKS_SECRET_ARN).toBeUndefined();
  });

  it('refuses to start a function that verifies credentials on AWS without it', () => {
    expect(() => requireCredentialKeys(parseConfig(aws))).toThrow(/JWKS_SECRET_ARN: is required by functions that verify credentials/);
    expect(() => requireCredentialKeys(parseConfig({ ...aws, JWKS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:jwks' }))).not.toThrow();
    expect(() => requireCredentialKeys(parseConfig({ STEPWISE_MODE: 'local', TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }))).not.toThrow();
  });
});
