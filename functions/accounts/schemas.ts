import * as z from 'zod';
import type { Account } from '../core/auth/identity.ts';
import { PaginationSchema } from '../shared/schemas.ts';

/** FlowRunner's body `{name, email, password, role}`; `role` is accepted for compatibility (the first user is the admin). */
export const CreateAccountBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    email: z.email('email must be a valid email address').max(254),
    password: z.string().min(8, 'password must be at least 8 characters').max(256),
    role: z.enum(['admin', 'user']).optional().meta({ description: 'Ignored: the first user of an account is always its admin' }),
    plan: z.enum(['free', 'enterprise']).optional(),
  })
  .meta({ id: 'CreateAccount' });

export const CreatedAccountSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    name: z.string(),
    plan: z.enum(['free', 'enterprise']),
    email: z.string().nullable().meta({ description: 'The first user’s email: they sign in with it' }),
    role: z.literal('admin').meta({ description: 'The first user’s role: always admin' }),
    owner_user_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'CreatedAccount' });

export const UpdateAccountBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    plan: z.enum(['free', 'enterprise']).optional().meta({ description: 'Platform admins only' }),
    email: z.email().optional().meta({ description: 'Accepted for FlowRunner compatibility; change the owner’s email through /users' }),
    role: z.enum(['admin', 'user']).optional().meta({ description: 'Accepted for FlowRunner compatibility; ignored' }),
  })
  .meta({ id: 'UpdateAccount' });

export const AccountSchema = z
  .object({ id: z.string(), account_id: z.string(), name: z.string(), plan: z.enum(['free', 'enterprise']), created_at: z.string(), updated_at: z.string() })
  .meta({ id: 'Account' });

export const AccountListSchema = z
  .object({ data: z.array(AccountSchema), accounts: z.array(AccountSchema), pagination: PaginationSchema, total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'AccountList' });

export const accountView = (a: Account): z.output<typeof AccountSchema> => ({
  id: a.id,
  account_id: a.id,
  name: a.name,
  plan: a.plan,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});
