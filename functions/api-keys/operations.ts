import type { ApiKeyService } from '../core/api-keys/api-key-service.ts';
import { paginationView } from '../core/pagination.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, PagingQuery, toPageRequest } from '../shared/schemas.ts';
import { ApiKeyListSchema, apiKeyView, CreateApiKeyBody, CreatedApiKeySchema } from './schemas.ts';

export function apiKeyOperations(keys: () => ApiKeyService): Record<string, Operation> {
  return {
    listApiKeys: operation({ query: PagingQuery, response: ApiKeyListSchema }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const result = await keys().list(principal, page);
      const data = result.items.map(apiKeyView);
      return { status: 200, body: { data, api_keys: data, pagination: paginationView(result, page) } };
    }),

    createApiKey: operation(
      { body: CreateApiKeyBody, response: CreatedApiKeySchema, status: 201, description: 'Scopes must be ones you hold. The secret is in `key`, once; only its hash is stored.' },
      async ({ principal, body }) => {
        const { key, secret } = await keys().create(principal, { name: body.name, scopes: body.scopes, expiresAt: body.expires_at });
        return { status: 201, body: { ...apiKeyView(key), key: secret } };
      },
    ),

    deleteApiKey: operation({ params: IdPath, status: 204 }, async ({ principal, params }) => {
      await keys().revoke(principal, params.id);
      return { status: 204 };
    }),
  };
}
