import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSigningKeyRotation,
  parseRotationConfig,
  type RotationEvent,
} from '../../../../functions/adapters/aws/signing-key-rotation.ts';
import { generateSigningKey, publicJwk, type SigningKeyFile } from '../../../../functions/adapters/tokens/signing-keys.ts';

type Key = SigningKeyFile['keys'][number];

const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:Stepwise-dev-SigningSecret-AbCdEf';
const JWKS_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:Stepwise-dev-JwksSecret-GhIjKl';
const TOKEN = '11111111-2222-4333-8444-555555555555';
const OLD_VERSION = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const sm = mockClient(SecretsManagerClient);

// Real ES256 keys, generated once: the tests sign and verify with them.
let older: Key;
let current: Key;
let fresh: Key;

beforeAll(async () => {
  older = await generateSigningKey(new Date('2025-01-01T00:00:00Z'));
  current = await generateSigningKey(new Date('2025-02-01T00:00:00Z'));
  fresh = await generateSigningKey(new Date('2025-03-01T00:00:00Z'));
});

beforeEach(() => {
  sm.reset();
});

function rotation() {
  return createSigningKeyRotation({
    client: new SecretsManagerClient({ region: 'eu-west-1' }),
    jwksSecretArn: JWKS_ARN,
    generateKey: async () => fresh,
  });
}

function event(step: RotationEvent['Step']): RotationEvent {
  return { Step: step, SecretId: SIGNING_ARN, ClientRequestToken: TOKEN };
}

/** The version layout Secrets Manager has set up when it invokes a rotation step. */
function stagedForRotation(versions: Record<string, string[]> = { [OLD_VERSION]: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] }) {
  sm.on(DescribeSecretCommand, { SecretId: SIGNING_ARN }).resolves({ ARN: SIGNING_ARN, RotationEnabled: true, VersionIdsToStages: versions });
}

function currentValue(keys: Key[]) {
  sm.on(GetSecretValueCommand, { SecretId: SIGNING_ARN, VersionStage: 'AWSCURRENT' }).resolves({
    SecretString: JSON.stringify({ keys }),
    VersionId: OLD_VERSION,
  });
}

function pendingValue(keys: Key[] | null) {
  const behaviour = sm.on(GetSecretValueCommand, { SecretId: SIGNING_ARN, VersionId: TOKEN, VersionStage: 'AWSPENDING' });
  if (keys === null) {
    behaviour.rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} }));
  } else {
    behaviour.resolves({ SecretString: JSON.stringify({ keys }), VersionId: TOKEN });
  }
}

function putInputs() {
  return sm.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input);
}

describe('createSecret', () => {
  it('stages a new key in front of the current one, keeping current + previous only', async () => {
    stagedForRotation();
    currentValue([current, older]);
    pendingValue(null);
    sm.on(PutSecretValueCommand).resolves({});

    await rotation().rotate(event('createSecret'));

    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SIGNING_ARN, VersionStage: 'AWSCURRENT' },
      { SecretId: SIGNING_ARN, VersionId: TOKEN, VersionStage: 'AWSPENDING' },
    ]);
    const puts = putInputs();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ SecretId: SIGNING_ARN, ClientRequestToken: TOKEN, VersionStages: ['AWSPENDING'] });
    const staged = JSON.parse(puts[0]?.SecretString ?? '') as SigningKeyFile;
    expect(staged.keys.map((k) => k.kid)).toEqual([fresh.kid, current.kid]);
    expect(staged.keys[0]).toEqual(fresh);
  });

  it('generates the very first key from the empty placeholder the stack deploys', async () => {
    stagedForRotation();
    currentValue([]);
    pendingValue(null);
    sm.on(PutSecretValueCommand).resolves({});

    await rotation().rotate(event('createSecret'));

    const staged = JSON.parse(putInputs()[0]?.SecretString ?? '') as SigningKeyFile;
    expect(staged.keys.map((k) => k.kid)).toEqual([fresh.kid]);
    expect(staged.keys[0]).toMatchObject({ alg: 'ES256', privateJwk: { kty: 'EC', crv: 'P-256' } });
  });

  it('is idempotent: a retry after the pending version exists writes nothing', async () => {
    stagedForRotation();
    currentValue([current]);
    pendingValue([fresh, current]);

    await rotation().rotate(event('createSecret'));

    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses to build on a malformed current value, without echoing the secret', async () => {
    stagedForRotation();
    sm.on(GetSecretValueCommand, { SecretId: SIGNING_ARN, VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: JSON.stringify({ keys: [{ kid: 'x', alg: 'RS256', privateJwk: { d: 'very-private' } }] }),
    });

    const failure = rotation().rotate(event('createSecret'));
    await expect(failure).rejects.toThrow(/not a signing key set/);
    await expect(failure).rejects.not.toThrow(/very-private/);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('propagates errors other than "no pending value yet"', async () => {
    stagedForRotation();
    currentValue([current]);
    sm.on(GetSecretValueCommand, { SecretId: SIGNING_ARN, VersionId: TOKEN, VersionStage: 'AWSPENDING' }).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );

    await expect(rotation().rotate(event('createSecret'))).rejects.toThrow('denied');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('setSecret', () => {
  it('publishes the public half of every pending key to the JWKS secret before the key is used', async () => {
    stagedForRotation();
    pendingValue([fresh, current]);
    sm.on(PutSecretValueCommand).resolves({});

    await rotation().rotate(event('setSecret'));

    const puts = putInputs();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toEqual({ SecretId: JWKS_ARN, ClientRequestToken: TOKEN, SecretString: expect.any(String) });
    const jwks = JSON.parse(puts[0]?.SecretString ?? '') as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([fresh.kid, current.kid]);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
    expect(jwks.keys[0]).toEqual(publicJwk(fresh));
  });

  it('never writes to the signing secret', async () => {
    stagedForRotation();
    pendingValue([fresh]);
    sm.on(PutSecretValueCommand).resolves({});

    await rotation().rotate(event('setSecret'));

    expect(sm.commandCalls(PutSecretValueCommand, { SecretId: SIGNING_ARN })).toHaveLength(0);
  });
});

describe('testSecret', () => {
  function publishedJwks(keys: Key[]) {
    sm.on(GetSecretValueCommand, { SecretId: JWKS_ARN, VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: JSON.stringify({ keys: keys.map(publicJwk) }),
    });
  }

  it('passes when every pending key signs a token the published JWKS verifies', async () => {
    stagedForRotation();
    pendingValue([fresh, current]);
    publishedJwks([fresh, current]);

    await expect(rotation().rotate(event('testSecret'))).resolves.toBeUndefined();
    expect(sm.commandCalls(GetSecretValueCommand, { SecretId: JWKS_ARN, VersionStage: 'AWSCURRENT' })).toHaveLength(1);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('fails when verifiers do not know the new key yet', async () => {
    stagedForRotation();
    pendingValue([fresh, current]);
    publishedJwks([current]);

    await expect(rotation().rotate(event('testSecret'))).rejects.toThrow(new RegExp(`key ${fresh.kid} does not verify`));
  });
});

describe('finishSecret', () => {
  it('moves AWSCURRENT from the old version to the pending one', async () => {
    stagedForRotation();
    sm.on(UpdateSecretVersionStageCommand).resolves({});

    await rotation().rotate(event('finishSecret'));

    expect(sm.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SIGNING_ARN, VersionStage: 'AWSCURRENT', MoveToVersionId: TOKEN, RemoveFromVersionId: OLD_VERSION },
    ]);
  });
});

describe('step guards', () => {
  it('does nothing when the version is already AWSCURRENT (a retried finish)', async () => {
    stagedForRotation({ [TOKEN]: ['AWSCURRENT', 'AWSPENDING'], [OLD_VERSION]: ['AWSPREVIOUS'] });

    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await rotation().rotate(event(step));
    }

    expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(4);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it('rejects a secret that is not enabled for rotation', async () => {
    sm.on(DescribeSecretCommand).resolves({ RotationEnabled: false, VersionIdsToStages: { [TOKEN]: ['AWSPENDING'] } });
    await expect(rotation().rotate(event('createSecret'))).rejects.toThrow(/not enabled for rotation/);
  });

  it('rejects a token Secrets Manager did not stage', async () => {
    stagedForRotation({ [OLD_VERSION]: ['AWSCURRENT'] });
    await expect(rotation().rotate(event('createSecret'))).rejects.toThrow(/has no stage for rotation/);
  });

  it('rejects a token that is staged but not AWSPENDING', async () => {
    stagedForRotation({ [OLD_VERSION]: ['AWSCURRENT'], [TOKEN]: ['AWSPREVIOUS'] });
    await expect(rotation().rotate(event('setSecret'))).rejects.toThrow(/not set as AWSPENDING/);
  });
});

describe('parseRotationConfig', () => {
  it('accepts a secret ARN and defaults the log level', () => {
    expect(parseRotationConfig({ JWKS_SECRET_ARN: JWKS_ARN })).toEqual({ JWKS_SECRET_ARN: JWKS_ARN, LOG_LEVEL: 'info' });
  });

  it('fails fast on a missing or non-ARN JWKS_SECRET_ARN', () => {
    expect(() => parseRotationConfig({})).toThrow(/JWKS_SECRET_ARN/);
    expect(() => parseRotationConfig({ JWKS_SECRET_ARN: 'Stepwise-dev-JwksSecret' })).toThrow(/must be a secret ARN/);
  });
});
