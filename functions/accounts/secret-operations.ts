import type { SecretService } from '../core/secrets/secret-service.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, MessageSchema } from '../shared/schemas.ts';
import { CreateSecretBody, ReplaceSecretBody, SecretListSchema, SecretPath, SecretSchema, secretView } from './secret-schemas.ts';

/**
 * `/accounts/{id}/secrets` (FlowRunner). Merged into the accounts resource's operations; the route
 * table gives the scopes, the service enforces tenancy and the admin role for writes.
 */
export function secretOperations(secrets: () => SecretService): Record<string, Operation> {
  return {
    listSecrets: operation(
      { params: IdPath, response: SecretListSchema, description: 'The account’s secrets, sorted by key: names and timestamps, never values.' },
      async ({ principal, params }) => {
        const data = (await secrets().list(principal, params.id)).map(secretView);
        return { status: 200, body: { secrets: data, data } };
      },
    ),

    createSecret: operation(
      { params: IdPath, body: CreateSecretBody, response: SecretSchema, status: 201, description: 'Store a new secret (admins). 409 if the key exists.' },
      async ({ principal, params, body }) => {
        const secret = await secrets().create(principal, params.id, body);
        return { status: 201, body: secretView(secret) };
      },
    ),

    replaceSecret: operation(
      { params: SecretPath, body: ReplaceSecretBody, response: SecretSchema, description: 'Replace a secret’s value (admins).' },
      async ({ principal, params, body }) => {
        const secret = await secrets().replace(principal, params.id, params.key, body.value);
        return { status: 200, body: secretView(secret) };
      },
    ),

    // FlowRunner's answer: 200 with a message (docs/compatibility.md).
    deleteSecret: operation({ params: SecretPath, response: MessageSchema, description: 'Delete a secret (admins).' }, async ({ principal, params }) => {
      await secrets().delete(principal, params.id, params.key);
      return { status: 200, body: { message: 'Secret deleted successfully' } };
    }),
  };
}
