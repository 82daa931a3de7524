import type { AccountService } from '../core/auth/account-service.ts';
import type { SecretService } from '../core/secrets/secret-service.ts';
import { secretOperations } from './secret-operations.ts';
import { paginationView } from '../core/pagination.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, MessageSchema, PagingQuery, toPageRequest } from '../shared/schemas.ts';
import { AccountListSchema, AccountSchema, accountView, CreateAccountBody, CreatedAccountSchema, UpdateAccountBody } from './schemas.ts';

/** Every operation of the `accounts` function: accounts and their secrets. */
export function accountResourceOperations(accounts: () => AccountService, secrets: () => SecretService): Record<string, Operation> {
  return { ...accountOperations(accounts), ...secretOperations(secrets) };
}

export function accountOperations(accounts: () => AccountService): Record<string, Operation> {
  return {
    listAccounts: operation({ query: PagingQuery, response: AccountListSchema }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const result = await accounts().list(principal, page);
      const data = result.items.map(accountView);
      const pagination = paginationView(result, page);
      return { status: 200, body: { data, accounts: data, pagination, total: result.total, limit: pagination.limit, offset: pagination.offset } };
    }),
    createAccount: operation(
      { body: CreateAccountBody, response: CreatedAccountSchema, status: 201, description: 'A new tenant whose first user (an admin) signs in with email and password; the caller does not join it.' },
      async ({ principal, body }) => {
        const { account, owner } = await accounts().create(principal, body);
        return { status: 201, body: { ...accountView(account), email: owner.email, role: 'admin' as const, owner_user_id: owner.id } };
      },
    ),
    getAccount: operation({ params: IdPath, response: AccountSchema }, async ({ principal, params }) => ({
      status: 200,
      body: accountView(await accounts().get(principal, params.id)),
    })),
    updateAccount: operation({ params: IdPath, body: UpdateAccountBody, response: AccountSchema }, async ({ principal, params, body }) => ({
      status: 200,
      body: accountView(await accounts().update(principal, params.id, { name: body.name, plan: body.plan })),
    })),
    deleteAccount: operation(
      { params: IdPath, response: MessageSchema, description: 'Removes every task, workflow, user, key and secret of the account.' },
      async ({ principal, params }) => {
        await accounts().delete(principal, params.id);
        return { status: 200, body: { message: 'Account deleted successfully' } };
      },
    ),
  };
}
