import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const JWKS_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:Stepwise-dev-JwksSecret-GhIjKl';
const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:Stepwise-dev-SigningSecret-AbCdEf';
const TOKEN = '11111111-2222-4333-8444-555555555555';

const sm = mockClient(SecretsManagerClient);

// The handler reads its configuration at import time, so each test imports a fresh copy.
async function loadHandler() {
  vi.resetModules();
  return (await import('../../../functions/signing-keys/handler.ts')).handler;
}

beforeEach(() => {
  sm.reset();
  vi.stubEnv('LOG_LEVEL', 'error');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('signing-keys handler', () => {
  it('fails at cold start when JWKS_SECRET_ARN is missing', async () => {
    vi.stubEnv('JWKS_SECRET_ARN', undefined);
    await expect(loadHandler()).rejects.toThrow(/Invalid signing-key rotation configuration: JWKS_SECRET_ARN/);
  });

  it('rejects an event that is not a Secrets Manager rotation step', async () => {
    vi.stubEnv('JWKS_SECRET_ARN', JWKS_ARN);
    const handler = await loadHandler();
    await expect(handler({ Step: 'deleteEverything', SecretId: SIGNING_ARN, ClientRequestToken: TOKEN })).rejects.toThrow(/Step/);
    expect(sm.calls()).toHaveLength(0);
  });

  it('runs the requested step against the secret named in the event', async () => {
    vi.stubEnv('JWKS_SECRET_ARN', JWKS_ARN);
    sm.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { [TOKEN]: ['AWSCURRENT', 'AWSPENDING'] } });
    const handler = await loadHandler();

    await handler({ Step: 'finishSecret', SecretId: SIGNING_ARN, ClientRequestToken: TOKEN });

    expect(sm.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SIGNING_ARN }]);
  });
});
