import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSigningKeys } from '../../../../functions/adapters/aws/secrets-manager-signing-keys.ts';

const sm = mockClient(SecretsManagerClient);

describe('SecretsManagerSigningKeys', () => {
  beforeEach(() => sm.reset());

  it('reads the public key set from the JWKS secret and caches it', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'jwks-arn' }).resolves({ SecretString: '{"keys":[{"kid":"k1"}]}' });
    const keys = new SecretsManagerSigningKeys(async () => new SecretsManagerClient({ region: 'us-east-1' }), 'jwks-arn', undefined);
    expect(await keys.publicKeys()).toEqual({ keys: [{ kid: 'k1' }] });
    await keys.publicKeys();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    await keys.publicKeys(true);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads the newest private key only from the signing secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'signing-arn' }).resolves({
      SecretString: JSON.stringify({ keys: [{ kid: 'new', privateJwk: { d: 'x' } }, { kid: 'old', privateJwk: { d: 'y' } }] }),
    });
    const keys = new SecretsManagerSigningKeys(async () => new SecretsManagerClient({ region: 'us-east-1' }), 'jwks-arn', 'signing-arn');
    expect(await keys.signingKey()).toEqual({ kid: 'new', privateJwk: { d: 'x' } });
    expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'signing-arn' });
  });

  it('refuses to sign in a function without the signing secret', async () => {
    const keys = new SecretsManagerSigningKeys(async () => new SecretsManagerClient({ region: 'us-east-1' }), 'jwks-arn', undefined);
    await expect(keys.signingKey()).rejects.toThrow(/SIGNING_KEY_SECRET_ARN/);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('does not cache a failed read', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: '{"keys":[]}' });
    const keys = new SecretsManagerSigningKeys(async () => new SecretsManagerClient({ region: 'us-east-1' }), 'jwks-arn', undefined);
    await expect(keys.publicKeys()).rejects.toThrow('throttled');
    expect(await keys.publicKeys()).toEqual({ keys: [] });
  });
});
