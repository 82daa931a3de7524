import * as z from 'zod';
import { SCOPES } from '../../lib/definitions/routes.ts';
import type { ApiKey } from '../core/api-keys/api-key.ts';
import { apiKeyPrefix } from '../core/api-keys/api-key.ts';
import { IsoInstant, PaginationSchema } from '../shared/schemas.ts';

export const CreateApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1, 'at least one scope is required').max(SCOPES.length),
    expires_at: IsoInstant.optional(),
  })
  .meta({ id: 'CreateApiKey' });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The non-secret start of the key, to recognise it' }),
    scopes: z.array(z.enum(SCOPES)),
    user_id: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().meta({ description: 'The secret, shown only in this response. Send it as X-API-Key.' }),
}).meta({ id: 'CreatedApiKey' });

export const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema), api_keys: z.array(ApiKeySchema), pagination: PaginationSchema }).meta({ id: 'ApiKeyList' });

export function apiKeyView(key: ApiKey): z.output<typeof ApiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    prefix: apiKeyPrefix(key.accountId, key.id),
    scopes: [...key.scopes],
    user_id: key.userId,
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    last_used_at: key.lastUsedAt,
  };
}
