import type { UserService } from '../core/auth/user-service.ts';
import type { User } from '../core/auth/identity.ts';
import { paginationView } from '../core/pagination.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, toPageRequest } from '../shared/schemas.ts';
import { userView } from '../auth/schemas.ts';
import { CreateUserBody, ListUsersQuery, ManagedUserSchema, UpdateUserBody, UserListSchema } from './schemas.ts';

const view = (u: User) => ({ ...userView(u), active: u.active, updated_at: u.updatedAt });

export function userOperations(users: () => UserService): Record<string, Operation> {
  const update = operation({ params: IdPath, body: UpdateUserBody, response: ManagedUserSchema }, async ({ principal, params, body }) => {
    const { current_password, ...rest } = body;
    return { status: 200, body: view(await users().update(principal, params.id, { ...rest, currentPassword: current_password })) };
  });
  return {
    listUsers: operation({ query: ListUsersQuery, response: UserListSchema }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const result = await users().list(principal, { role: query.role, active: query.active }, page);
      const data = result.items.map(view);
      const pagination = paginationView(result, page);
      return { status: 200, body: { data, users: data, pagination, total: result.total, page: Math.floor(pagination.offset / page.limit) + 1 } };
    }),
    createUser: operation({ body: CreateUserBody, response: ManagedUserSchema, status: 201 }, async ({ principal, body }) => ({
      status: 201,
      body: view(await users().create(principal, body)),
    })),
    getUser: operation({ params: IdPath, response: ManagedUserSchema }, async ({ principal, params }) => ({
      status: 200,
      body: view(await users().get(principal, params.id)),
    })),
    replaceUser: update,
    patchUser: update,
    deleteUser: operation({ params: IdPath, status: 204 }, async ({ principal, params }) => {
      await users().delete(principal, params.id);
      return { status: 204 };
    }),
  };
}
