import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { SecretMetadata } from '../../core/secrets/secret.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** An encrypted value as local mode stores it in the secret's own item. Opaque to this repository. */
export interface SealedValue {
  readonly alg: string;
  readonly iv: Uint8Array;
  readonly tag: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface SecretRecord extends SecretMetadata {
  /**
   * Random per creation. Conditional writes compare it, so a slow request that read an old secret
   * cannot change or remove one deleted and re-created under the same key meanwhile.
   */
  readonly generation: string;
  readonly sealed?: SealedValue | undefined;
}

// `key` is a DynamoDB reserved word, hence the alias everywhere.
const METADATA_PROJECTION = '#key, account_id, created_at, updated_at, generation';
const SEALED_ATTRS = ['sealed_alg', 'sealed_iv', 'sealed_tag', 'sealed_ct'] as const;
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 5;

/**
 * The listing metadata of account secrets (key, created_at, updated_at), one item per secret under
 * the account's partition, so listing is a single Query and never calls Secrets Manager. In local
 * mode the same item also carries the sealed value.
 */
export class DynamoSecretMetadataRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly newGeneration: () => string = randomUUID,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Sorted by key: the sort key is `SECRET#<KEY>` and key names are ASCII. Values are never read. */
  async list(accountId: string): Promise<SecretMetadata[]> {
    const out: SecretMetadata[] = [];
    let start: Item | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': keys.secretPrefix },
          ProjectionExpression: METADATA_PROJECTION,
          ScanIndexForward: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(metadataOf(fromItem(item)));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Strongly consistent: writes decide from it, and a value must be visible right after its create. */
  async get(accountId: string, key: string, options: { withValue?: boolean } = {}): Promise<SecretRecord | undefined> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.secret(accountId, key),
        ConsistentRead: true,
        ExpressionAttributeNames: { '#key': 'key' },
        ProjectionExpression: options.withValue ? `${METADATA_PROJECTION}, ${SEALED_ATTRS.join(', ')}` : METADATA_PROJECTION,
      }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  /** Undefined when the key exists already. */
  async create(secret: SecretMetadata, sealed?: SealedValue): Promise<SecretRecord | undefined> {
    const record: SecretRecord = { ...metadataOf(secret), generation: this.newGeneration(), ...(sealed ? { sealed } : {}) };
    const written = await this.conditional(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? record : undefined;
  }

  /**
   * Sets `updated_at` (and the sealed value, when given). Undefined when the key is gone, or, with
   * `generation`, when it was re-created since that generation was read.
   */
  async update(
    accountId: string,
    key: string,
    updatedAt: string,
    options: { generation?: string | undefined; sealed?: SealedValue | undefined } = {},
  ): Promise<SecretRecord | undefined> {
    const values: Item = { ':updated_at': updatedAt };
    const sets = ['updated_at = :updated_at'];
    if (options.sealed) {
      for (const [attr, value] of Object.entries(sealedAttrs(options.sealed))) {
        sets.push(`${attr} = :${attr}`);
        values[`:${attr}`] = value;
      }
    }
    let condition = 'attribute_exists(pk)';
    if (options.generation !== undefined) {
      condition = 'generation = :generation';
      values[':generation'] = options.generation;
    }
    let out: Item | undefined;
    const written = await this.conditional(async () => {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.secret(accountId, key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      out = res.Attributes;
    });
    return written && out ? fromItem(out) : undefined;
  }

  /** False when the key is gone (or, with `generation`, was re-created since). */
  async delete(accountId: string, key: string, generation?: string): Promise<boolean> {
    return this.conditional(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.secret(accountId, key),
          ...(generation === undefined
            ? { ConditionExpression: 'attribute_exists(pk)' }
            : { ConditionExpression: 'generation = :generation', ExpressionAttributeValues: { ':generation': generation } }),
        }),
      ),
    );
  }

  /** Removes every secret item of the account; returns the keys it removed. */
  async deleteAll(accountId: string): Promise<string[]> {
    const removed = (await this.list(accountId)).map((s) => s.key);
    for (let i = 0; i < removed.length; i += BATCH_SIZE) {
      let requests = removed
        .slice(i, i + BATCH_SIZE)
        .map((key) => ({ DeleteRequest: { Key: keys.secret(accountId, key) } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > BATCH_ATTEMPTS) throw new Error(`Could not delete ${requests.length} secret items of account ${accountId}; retry`);
        if (attempt > 1) await this.pause(50 * 2 ** attempt);
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (res.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
    return removed;
  }

  private async conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function metadataOf(s: SecretMetadata): SecretMetadata {
  return { accountId: s.accountId, key: s.key, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

function sealedAttrs(s: SealedValue): Record<(typeof SEALED_ATTRS)[number], unknown> {
  return { sealed_alg: s.alg, sealed_iv: s.iv, sealed_tag: s.tag, sealed_ct: s.ciphertext };
}

function toItem(r: SecretRecord): Item {
  return {
    ...keys.secret(r.accountId, r.key),
    entity: 'secret',
    account_id: r.accountId,
    key: r.key,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    generation: r.generation,
    ...(r.sealed ? sealedAttrs(r.sealed) : {}),
  };
}

function fromItem(i: Item): SecretRecord {
  const sealed =
    i.sealed_ct instanceof Uint8Array
      ? {
          alg: String(i.sealed_alg),
          iv: i.sealed_iv as Uint8Array,
          tag: i.sealed_tag as Uint8Array,
          ciphertext: i.sealed_ct,
        }
      : undefined;
  return {
    accountId: String(i.account_id),
    key: String(i.key),
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    generation: String(i.generation),
    ...(sealed ? { sealed } : {}),
  };
}
