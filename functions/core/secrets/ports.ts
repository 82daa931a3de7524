import type { SecretMetadata } from './secret.ts';

/**
 * Where secret values and their listing metadata live (Secrets Manager + the table in AWS, sealed
 * values in the table locally). Each method leaves the store consistent on failure: a write either
 * happens completely or is rolled back, so the service needs no compensation logic of its own.
 * Implementations never put a value into an error message.
 */
export interface SecretStore {
  /** The account's secrets sorted by key: metadata only, from the table (never a Secrets Manager list). */
  list(accountId: string): Promise<SecretMetadata[]>;
  /** False when the key already exists; nothing is written then. */
  create(secret: SecretMetadata, value: string): Promise<boolean>;
  /** Replaces the value; undefined when the key does not exist. */
  replace(accountId: string, key: string, value: string, updatedAt: string): Promise<SecretMetadata | undefined>;
  /** False when the key does not exist. */
  delete(accountId: string, key: string): Promise<boolean>;
  /** The current value, or undefined when the key does not exist. Only the resolver calls this. */
  read(accountId: string, key: string): Promise<string | undefined>;
  /** Removes every secret of the account, including values whose metadata was lost. Idempotent. */
  deleteAll(accountId: string): Promise<void>;
}

export type SecretReader = Pick<SecretStore, 'read'>;

/** A per-container cache of values that the service drops entries from when it writes. */
export interface SecretCache {
  invalidate(accountId: string, key?: string): void;
}
