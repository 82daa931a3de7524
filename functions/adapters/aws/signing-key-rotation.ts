import { silentLogger, type Logger } from '../../core/logger.ts';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { generateSigningKey, publicJwk, SIGNING_ALG, type SigningKeyFile } from '../tokens/signing-keys.ts';

/**
 * Secrets Manager rotation for the JWT signing key. Each run adds a new ES256 key in front of
 * the current one (keeping current + previous), and publishes the public half to the JWKS
 * secret in setSecret, before finishSecret makes the new key the one `auth` signs with. So a
 * verifier always knows a key before any token is signed with it, and tokens signed with the
 * previous key stay verifiable until they expire.
 */

/** Current + previous: the previous key outlives every access token it signed (15 min) by weeks. */
export const MAX_KEYS = 2;

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';

const RotationConfigSchema = z.object({
  JWKS_SECRET_ARN: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/, 'must be a secret ARN'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type RotationConfig = z.infer<typeof RotationConfigSchema>;

/** Parsed once at cold start: a broken deployment fails the first rotation step, not halfway through. */
export function parseRotationConfig(env: NodeJS.ProcessEnv): RotationConfig {
  const parsed = RotationConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid signing-key rotation configuration: ${problems}`);
  }
  return parsed.data;
}

export const RotationEventSchema = z.object({
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
});
export type RotationEvent = z.infer<typeof RotationEventSchema>;

const PrivateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

const SigningKeySetSchema = z.object({
  keys: z
    .array(
      z.object({
        kid: z.string().min(1),
        alg: z.literal(SIGNING_ALG),
        privateJwk: PrivateJwkSchema,
        created_at: z.string().min(1),
      }),
    )
    .max(MAX_KEYS),
});

export type RotationLog = Pick<Logger, 'info'>;

export interface SigningKeyRotationDeps {
  readonly client: SecretsManagerClient;
  readonly jwksSecretArn: string;
  /** Injected so tests get deterministic keys; defaults to a fresh extractable ES256 pair. */
  readonly generateKey?: (now: Date) => Promise<SigningKeyFile['keys'][number]>;
  readonly now?: () => Date;
  readonly log?: RotationLog;
}

export interface SigningKeyRotation {
  rotate(event: RotationEvent): Promise<void>;
}

export function createSigningKeyRotation(deps: SigningKeyRotationDeps): SigningKeyRotation {
  const { client, jwksSecretArn } = deps;
  const generateKey = deps.generateKey ?? generateSigningKey;
  const now = deps.now ?? (() => new Date());
  const log: RotationLog = deps.log ?? silentLogger;

  async function readString(
    secretId: string,
    selector: { VersionStage: string; VersionId?: string },
  ): Promise<string> {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId, ...selector }));
    if (out.SecretString === undefined) throw new Error(`Secret ${secretId} (${selector.VersionStage}) has no string value`);
    return out.SecretString;
  }

  async function readKeySet(secretId: string, selector: { VersionStage: string; VersionId?: string }): Promise<SigningKeyFile> {
    const raw = await readString(secretId, selector);
    const parsed = SigningKeySetSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      // Never echo the value: it holds private keys.
      throw new Error(`Secret ${secretId} (${selector.VersionStage}) is not a signing key set: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  const readPending = (secretId: string, token: string) => readKeySet(secretId, { VersionId: token, VersionStage: PENDING });

  async function createSecret(secretId: string, token: string): Promise<void> {
    // Also proves the current value is well-formed before building on it.
    const current = await readKeySet(secretId, { VersionStage: CURRENT });
    try {
      await readPending(secretId, token);
      log.info('createSecret: pending version already exists', { secretId, token });
      return;
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
    }
    const key = await generateKey(now());
    const next: SigningKeyFile = { keys: [key, ...current.keys].slice(0, MAX_KEYS) };
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify(next),
        VersionStages: [PENDING],
      }),
    );
    log.info('createSecret: new signing key staged', { secretId, token, kid: key.kid, keys: next.keys.map((k) => k.kid) });
  }

  async function setSecret(secretId: string, token: string): Promise<void> {
    const pending = await readPending(secretId, token);
    const jwks = { keys: pending.keys.map(publicJwk) };
    // The rotation token doubles as the JWKS version id, so a retried setSecret with the same
    // (deterministic) content is a no-op rather than a second version.
    await client.send(
      new PutSecretValueCommand({
        SecretId: jwksSecretArn,
        ClientRequestToken: token,
        SecretString: JSON.stringify(jwks),
      }),
    );
    log.info('setSecret: JWKS published', { secretId, token, kids: jwks.keys.map((k) => k.kid) });
  }

  async function testSecret(secretId: string, token: string): Promise<void> {
    const pending = await readPending(secretId, token);
    const jwks = safeJson(await readString(jwksSecretArn, { VersionStage: CURRENT })) as { keys?: unknown };
    const keySet = createLocalJWKSet({ keys: Array.isArray(jwks.keys) ? jwks.keys : [] });
    // Sign with every pending key and verify through the published JWKS, exactly as the API
    // will: a key that verifiers cannot find must never become current.
    for (const key of pending.keys) {
      const privateKey = await importJWK(key.privateJwk, SIGNING_ALG);
      const probe = await new SignJWT({ probe: true })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid })
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
      try {
        await jwtVerify(probe, keySet, { algorithms: [SIGNING_ALG] });
      } catch (error) {
        throw new Error(`testSecret: key ${key.kid} does not verify against the published JWKS: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    log.info('testSecret: pending keys verify against the JWKS', { secretId, token });
  }

  async function finishSecret(secretId: string, token: string, versions: Record<string, string[]>): Promise<void> {
    const currentVersion = Object.entries(versions).find(([, stages]) => stages.includes(CURRENT))?.[0];
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: CURRENT,
        MoveToVersionId: token,
        RemoveFromVersionId: currentVersion,
      }),
    );
    log.info('finishSecret: new signing key is current', { secretId, token, previousVersion: currentVersion });
  }

  return {
    async rotate(event) {
      const { Step: step, SecretId: secretId, ClientRequestToken: token } = event;
      const metadata = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      if (!metadata.RotationEnabled) throw new Error(`Secret ${secretId} is not enabled for rotation`);
      const versions = metadata.VersionIdsToStages ?? {};
      const stages = versions[token];
      if (!stages) throw new Error(`Secret version ${token} has no stage for rotation of secret ${secretId}`);
      if (stages.includes(CURRENT)) {
        // A retried invocation after finishSecret already succeeded.
        log.info(`${step}: version is already ${CURRENT}`, { secretId, token });
        return;
      }
      if (!stages.includes(PENDING)) throw new Error(`Secret version ${token} is not set as ${PENDING} for rotation of secret ${secretId}`);

      switch (step) {
        case 'createSecret':
          return createSecret(secretId, token);
        case 'setSecret':
          return setSecret(secretId, token);
        case 'testSecret':
          return testSecret(secretId, token);
        case 'finishSecret':
          return finishSecret(secretId, token, versions);
      }
    },
  };
}

/**
 * The rotation as the Lambda runs it: one SDK client for the life of the container (region and
 * credentials from the Lambda environment). Only adapters construct SDK clients.
 */
export function signingKeyRotationFor(config: RotationConfig, log?: RotationLog): SigningKeyRotation {
  return createSigningKeyRotation({ client: new SecretsManagerClient({}), jwksSecretArn: config.JWKS_SECRET_ARN, log });
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function isResourceNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}
