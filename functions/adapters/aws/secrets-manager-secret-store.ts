import type { DescribeSecretCommandOutput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock, type Clock } from '../../core/clock.ts';
import { conflict } from '../../core/errors.ts';
import type { SecretStore } from '../../core/secrets/ports.ts';
import type { SecretMetadata } from '../../core/secrets/secret.ts';
import type { DynamoSecretMetadataRepository } from '../dynamodb/secret-metadata-repository.ts';

type Sdk = typeof import('@aws-sdk/client-secrets-manager');

export interface SecretsManagerSecretStoreOptions {
  readonly stage: string;
  /** SECRETS_KMS_KEY_ID. Only functions that create secrets need it; the task runner only reads. */
  readonly kmsKeyId: string | undefined;
  readonly clock?: Clock;
  /**
   * A Secrets Manager secret without metadata younger than this may belong to a create still in
   * flight, so it is left alone. 15 minutes is Lambda's maximum timeout: it holds whatever the
   * API function's own timeout becomes.
   */
  readonly orphanGraceMs?: number;
  /** Waits between CreateSecret attempts while Secrets Manager still purges a just-deleted name. */
  readonly purgeRetryDelaysMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

export const ACCOUNT_TAG = 'stepwise:account';
export const STAGE_TAG = 'stepwise:stage';

/** `stepwise/<stage>/<account>/<KEY>`: one IAM wildcard per stage, one per account for the task runner. */
export const secretName = (stage: string, accountId: string, key: string) => `${accountPrefix(stage, accountId)}${key}`;
export const accountPrefix = (stage: string, accountId: string) => `stepwise/${stage}/${accountId}/`;

/** Secrets Manager allows 50 writes per second per region across the account; stay well under. */
const DELETE_CONCURRENCY = 10;

/**
 * Values in Secrets Manager (one secret per key, under a customer-managed KMS key), listing
 * metadata in the table. The table item is the truth about whether a secret exists; the two are
 * written in an order that leaves nothing visible half-done:
 *
 * - create: CreateSecret, then the item (conditional). If the item write fails the new secret is
 *   deleted again; if the process dies in between, an invisible orphan value remains, which the
 *   next create of that key adopts and account deletion removes.
 * - replace: PutSecretValue, then `updated_at`. A failure in between leaves the new value with an
 *   old timestamp; the client's retry fixes the timestamp.
 * - delete: DeleteSecret, then the item. A failure in between leaves a listed key without a value
 *   (it resolves as missing); DELETE again completes it, PUT writes the value back.
 *
 * The API never reads a value (no GetSecretValue in its role); only `read`, for the task runner, does.
 */
export class SecretsManagerSecretStore implements SecretStore {
  private clientPromise: Promise<SecretsManagerClient> | undefined;
  private readonly clock: Clock;
  private readonly orphanGraceMs: number;
  private readonly purgeRetryDelaysMs: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;

  /** `client` is a factory so routes that never touch a secret never load the Secrets Manager SDK. */
  constructor(
    private readonly client: () => Promise<SecretsManagerClient>,
    private readonly metadata: DynamoSecretMetadataRepository,
    private readonly options: SecretsManagerSecretStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.orphanGraceMs = options.orphanGraceMs ?? 15 * 60 * 1000;
    // About 4 s in all: inside the API function's 10 s timeout, and long enough for a typical purge.
    this.purgeRetryDelaysMs = options.purgeRetryDelaysMs ?? [250, 500, 1000, 2000];
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  list(accountId: string): Promise<SecretMetadata[]> {
    return this.metadata.list(accountId);
  }

  async create(secret: SecretMetadata, value: string): Promise<boolean> {
    const kmsKeyId = this.kmsKeyId();
    const { accountId, key } = secret;
    // The common conflict answered from the table, without a billed Secrets Manager call.
    if (await this.metadata.get(accountId, key)) return false;
    const name = this.name(accountId, key);
    try {
      await this.createSecret(name, secret, value, kmsKeyId);
    } catch (error) {
      if (errorName(error) === 'ResourceExistsException') return this.adopt(name, secret, value);
      throw error;
    }
    let written: boolean;
    try {
      written = (await this.metadata.create(secret)) !== undefined;
    } catch (error) {
      await this.discard(name);
      throw error;
    }
    // An item without a secret appeared meanwhile (a broken earlier state): the caller gets 409, so
    // their value must not stay behind.
    if (!written) await this.discard(name);
    return written;
  }

  async replace(accountId: string, key: string, value: string, updatedAt: string): Promise<SecretMetadata | undefined> {
    const current = await this.metadata.get(accountId, key);
    if (!current) return undefined;
    const name = this.name(accountId, key);
    const { client, sdk } = await this.sdk();
    let recreated = false;
    try {
      await client.send(new sdk.PutSecretValueCommand({ SecretId: name, SecretString: value }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      // Listed but valueless: a delete stopped between its two steps. PUT restores the value.
      await this.createSecret(name, current, value, this.kmsKeyId()).catch((e: unknown) => {
        throw errorName(e) === 'ResourceExistsException' ? raced(key) : e;
      });
      recreated = true;
    }
    const updated = await this.metadata.update(accountId, key, updatedAt, { generation: current.generation });
    // Deleted while we wrote: a value we just wrote back would belong to no item.
    if (!updated && recreated) await this.discard(name);
    return updated && metadataOf(updated);
  }

  async delete(accountId: string, key: string): Promise<boolean> {
    const current = await this.metadata.get(accountId, key);
    if (!current) return false;
    await this.deleteSecret(this.name(accountId, key));
    // False here means a concurrent delete removed the item first: the key is gone either way.
    await this.metadata.delete(accountId, key, current.generation);
    return true;
  }

  async read(accountId: string, key: string): Promise<string | undefined> {
    // The item decides existence: an orphan value (a create that died half-way) is never served.
    if (!(await this.metadata.get(accountId, key))) return undefined;
    const { client, sdk } = await this.sdk();
    try {
      const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: this.name(accountId, key) }));
      return out.SecretString;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException' || isBeingPurged(error)) return undefined;
      throw error;
    }
  }

  /**
   * Secrets Manager first (every listed key, plus anything under the account's prefix, which finds
   * orphans), then the items. ListSecrets is eventually consistent, hence both sources.
   */
  async deleteAll(accountId: string): Promise<void> {
    const prefix = accountPrefix(this.options.stage, accountId);
    const names = new Set((await this.metadata.list(accountId)).map((s) => this.name(accountId, s.key)));
    const { client, sdk } = await this.sdk();
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 100, NextToken: nextToken }),
      );
      for (const s of page.SecretList ?? []) if (s.Name?.startsWith(prefix)) names.add(s.Name);
      nextToken = page.NextToken;
    } while (nextToken);

    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await this.deleteSecret(name);
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
    await this.metadata.deleteAll(accountId);
  }

  /**
   * CreateSecret hit an existing name while the table has no item for it: either another create of
   * the same key is between its two steps (then it wins, and this one is a 409), or an earlier
   * create died there and left an orphan, which this create takes over. The item is claimed first,
   * so of two creates adopting the same orphan only one ever writes a value.
   */
  private async adopt(name: string, secret: SecretMetadata, value: string): Promise<boolean> {
    const { client, sdk } = await this.sdk();
    let described: DescribeSecretCommandOutput;
    try {
      described = await client.send(new sdk.DescribeSecretCommand({ SecretId: name }));
    } catch (error) {
      // Deleted between CreateSecret and here: another request is changing this key right now.
      throw errorName(error) === 'ResourceNotFoundException' ? raced(secret.key) : error;
    }
    const age = this.clock.now().getTime() - (described.CreatedDate?.getTime() ?? Number.POSITIVE_INFINITY);
    if (!(age >= this.orphanGraceMs)) return false;
    const tags = new Map((described.Tags ?? []).map((t) => [t.Key, t.Value]));
    if (tags.get(ACCOUNT_TAG) !== secret.accountId || tags.get(STAGE_TAG) !== this.options.stage) {
      // Not one of ours (created by hand under our prefix): never put a tenant's value into it.
      throw new Error(`Secrets Manager secret ${name} exists without Stepwise tags; remove it before creating this key`);
    }
    const claimed = await this.metadata.create(secret);
    if (!claimed) return false;
    try {
      await client.send(new sdk.PutSecretValueCommand({ SecretId: name, SecretString: value }));
    } catch (error) {
      await this.metadata.delete(secret.accountId, secret.key, claimed.generation).catch(() => undefined);
      throw error;
    }
    return true;
  }

  private async createSecret(name: string, secret: Pick<SecretMetadata, 'accountId' | 'key'>, value: string, kmsKeyId: string) {
    const { client, sdk } = await this.sdk();
    const command = new sdk.CreateSecretCommand({
      Name: name,
      Description: `Stepwise ${this.options.stage}: secret ${secret.key} of account ${secret.accountId}`,
      KmsKeyId: kmsKeyId,
      SecretString: value,
      Tags: [
        { Key: ACCOUNT_TAG, Value: secret.accountId },
        { Key: STAGE_TAG, Value: this.options.stage },
      ],
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await client.send(command);
        return;
      } catch (error) {
        if (!isBeingPurged(error)) throw error;
        const delay = this.purgeRetryDelaysMs[attempt];
        if (delay === undefined) {
          throw conflict(`Secret '${secret.key}' was deleted moments ago and is still being removed; retry in a few seconds`, 'key');
        }
        await this.sleep(delay);
      }
    }
  }

  /**
   * No recovery window: the API has no restore, a window would block re-creating the key for 7-30
   * days, and account deletion must not leave customer credentials behind.
   */
  private async deleteSecret(name: string): Promise<void> {
    const { client, sdk } = await this.sdk();
    try {
      await client.send(new sdk.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException' && !isBeingPurged(error)) throw error;
    }
  }

  /** Best effort: what survives is an orphan, adopted by the next create and removed by deleteAll. */
  private async discard(name: string): Promise<void> {
    await this.deleteSecret(name).catch(() => undefined);
  }

  private name(accountId: string, key: string): string {
    return secretName(this.options.stage, accountId, key);
  }

  private kmsKeyId(): string {
    if (!this.options.kmsKeyId) throw new Error('SECRETS_KMS_KEY_ID is not configured for this function');
    return this.options.kmsKeyId;
  }

  private async sdk(): Promise<{ client: SecretsManagerClient; sdk: Sdk }> {
    this.clientPromise ??= this.client();
    const [client, sdk] = await Promise.all([this.clientPromise, import('@aws-sdk/client-secrets-manager')]);
    return { client, sdk };
  }
}

function metadataOf(s: SecretMetadata): SecretMetadata {
  return { accountId: s.accountId, key: s.key, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;

/** Secrets Manager's answer for a name whose (forced) deletion has not finished yet. */
function isBeingPurged(error: unknown): boolean {
  return errorName(error) === 'InvalidRequestException' && /delet/i.test((error as Error).message ?? '');
}

const raced = (key: string) => conflict(`Secret '${key}' is being changed by another request; retry`, 'key');
