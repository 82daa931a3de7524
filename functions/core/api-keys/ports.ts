import type { Page, PageRequest } from '../pagination.ts';
import type { ApiKey } from './api-key.ts';

export interface ApiKeyRepository {
  create(key: ApiKey): Promise<void>;
  get(accountId: string, keyId: string): Promise<ApiKey | undefined>;
  /** The account's keys, or only `userId`'s when given. */
  list(accountId: string, userId: string | undefined, page: PageRequest): Promise<Page<ApiKey>>;
  delete(accountId: string, keyId: string): Promise<boolean>;
  deleteAllForUser(accountId: string, userId: string): Promise<void>;
  /** Best effort, at most once a minute per key, so hot keys do not write on every request. */
  touch(accountId: string, keyId: string, at: Date): Promise<void>;
}
