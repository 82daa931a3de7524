import * as z from 'zod';
import { PaginationSchema, PagingQuery } from '../shared/schemas.ts';
import { UserSchema } from '../auth/schemas.ts';

const AssignableRole = z.enum(['admin', 'member', 'viewer']);
const Password = z.string().min(8, 'password must be at least 8 characters').max(256);

/** AstraFlow's body is `{email, password, role}`; username, name and lastname are optional extras. */
export const CreateUserBody = z
  .strictObject({
    email: z.email('email must be a valid email address').max(254),
    password: Password,
    role: AssignableRole.optional(),
    username: z.string().trim().min(3).max(128).regex(/^\S+$/, 'username must not contain spaces').optional(),
    name: z.string().trim().min(1).max(100).optional(),
    lastname: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'CreateUser' });

export const UpdateUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).nullable().optional(),
    lastname: z.string().trim().min(1).max(100).nullable().optional(),
    password: Password.optional(),
    current_password: z.string().min(1).max(256).optional().meta({ description: 'Required to change your own password' }),
    role: AssignableRole.optional().meta({ description: 'Admins only' }),
    active: z.boolean().optional().meta({ description: 'Admins only; false ends the user’s sessions and API keys' }),
  })
  .meta({ id: 'UpdateUser' });

export const ListUsersQuery = PagingQuery.extend({
  role: z.enum(['admin', 'member', 'viewer', 'platform_admin']).optional().meta({ description: 'Only users with this role' }),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Only active (true) or deactivated (false) users' }),
});

export const ManagedUserSchema = UserSchema.extend({ active: z.boolean(), updated_at: z.string() }).meta({ id: 'ManagedUser' });

export const UserListSchema = z
  .object({ data: z.array(ManagedUserSchema), users: z.array(ManagedUserSchema), pagination: PaginationSchema, total: z.number().int(), page: z.number().int() })
  .meta({ id: 'UserList' });
