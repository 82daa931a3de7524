import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretStore } from '../../core/secrets/ports.ts';
import type { SecretMetadata } from '../../core/secrets/secret.ts';
import type { DynamoSecretMetadataRepository, SealedValue } from '../dynamodb/secret-metadata-repository.ts';

const ALG = 'A256GCM';
const KEY_BYTES = 32;
/** 96-bit nonces, random per write: the GCM standard size; a fresh one per seal makes reuse negligible at local volumes. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKeySource {
  key(): Promise<KeyObject>;
}

/**
 * Local mode's secrets key: 32 random bytes in a file under the data dir, created owner-only on
 * first use (like the local signing keys). It is read into a KeyObject and never written anywhere else.
 */
export class FileSecretKey implements SecretKeySource {
  private loaded: Promise<KeyObject> | undefined;

  constructor(private readonly path: string) {}

  key(): Promise<KeyObject> {
    this.loaded ??= this.readOrCreate().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async readOrCreate(): Promise<KeyObject> {
    try {
      return this.keyOf(await readFile(this.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const bytes = randomBytes(KEY_BYTES);
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // 'wx' so two processes starting together cannot both write; the loser reads the winner's key.
    try {
      await writeFile(this.path, bytes, { mode: 0o600, flag: 'wx' });
      return this.keyOf(bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.keyOf(await readFile(this.path));
    }
  }

  private keyOf(bytes: Buffer): KeyObject {
    // A truncated or foreign file must stop local mode, not silently re-key and orphan every value.
    if (bytes.length !== KEY_BYTES) throw new Error(`${this.path} must hold exactly ${KEY_BYTES} bytes`);
    return createSecretKey(bytes);
  }
}

/**
 * Local mode's secret store: AES-256-GCM values sealed into the secret's own table item, so one
 * conditional write covers metadata and value and nothing can be half-written. The additional
 * data binds each ciphertext to its account and key: copied into another item, it fails to open.
 */
export class EncryptedTableSecretStore implements SecretStore {
  constructor(
    private readonly metadata: DynamoSecretMetadataRepository,
    private readonly keys: SecretKeySource,
  ) {}

  list(accountId: string): Promise<SecretMetadata[]> {
    return this.metadata.list(accountId);
  }

  async create(secret: SecretMetadata, value: string): Promise<boolean> {
    const sealed = await this.seal(secret.accountId, secret.key, value);
    return (await this.metadata.create(secret, sealed)) !== undefined;
  }

  async replace(accountId: string, key: string, value: string, updatedAt: string): Promise<SecretMetadata | undefined> {
    const sealed = await this.seal(accountId, key, value);
    const updated = await this.metadata.update(accountId, key, updatedAt, { sealed });
    return updated && { accountId: updated.accountId, key: updated.key, createdAt: updated.createdAt, updatedAt: updated.updatedAt };
  }

  delete(accountId: string, key: string): Promise<boolean> {
    return this.metadata.delete(accountId, key);
  }

  async read(accountId: string, key: string): Promise<string | undefined> {
    const record = await this.metadata.get(accountId, key, { withValue: true });
    if (!record) return undefined;
    if (!record.sealed) throw new Error(`Secret ${key} of account ${accountId} has no sealed value`);
    return this.open(accountId, key, record.sealed);
  }

  async deleteAll(accountId: string): Promise<void> {
    await this.metadata.deleteAll(accountId);
  }

  private async seal(accountId: string, key: string, value: string): Promise<SealedValue> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.keys.key(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(accountId, key));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { alg: ALG, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  private async open(accountId: string, key: string, sealed: SealedValue): Promise<string> {
    if (sealed.alg !== ALG || sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
      throw new Error(`Secret ${key} of account ${accountId} is not sealed with ${ALG}`);
    }
    const secretKey = await this.keys.key();
    try {
      const decipher = createDecipheriv('aes-256-gcm', secretKey, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(accountId, key));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Tampered, moved between items, or sealed under another key file. Never echo the bytes.
      throw new Error(`Secret ${key} of account ${accountId} failed authentication (tampered, or a different secrets.key)`);
    }
  }
}

const additionalData = (accountId: string, key: string) => Buffer.from(`stepwise:secret:v1\u0000${accountId}\u0000${key}`, 'utf8');
