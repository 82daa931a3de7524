import * as z from 'zod';
import type { User } from '../core/auth/identity.ts';

const Password = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password must be at most 256 characters');

const Username = z
  .string()
  .trim()
  .min(3, 'username must be at least 3 characters')
  .max(128, 'username must be at most 128 characters')
  .regex(/^[^\s]+$/, 'username must not contain spaces');

/** Behflow's body (`username`, `password`, `name`, `lastname`) plus an optional `email`. */
export const RegisterBody = z
  .strictObject({
    username: Username.optional(),
    email: z.email('email must be a valid email address').max(254).optional(),
    password: Password,
    name: z.string().trim().min(1).max(100).optional(),
    lastname: z.string().trim().min(1).max(100).optional(),
    account_name: z.string().trim().min(1).max(100).optional(),
  })
  .refine((b) => b.username !== undefined || b.email !== undefined, {
    message: 'username or email is required',
    path: ['username'],
  })
  .meta({ id: 'RegisterRequest' });

/** FlowRunner logs in with an email in `username`; `email` is accepted too. */
export const LoginBody = z
  .strictObject({
    username: z.string().min(1).max(254).optional(),
    email: z.string().min(1).max(254).optional(),
    password: z.string().min(1, 'password is required').max(256),
  })
  .refine((b) => b.username !== undefined || b.email !== undefined, {
    message: 'username or email is required',
    path: ['username'],
  })
  .meta({ id: 'LoginRequest' });

export const UserSchema = z
  .object({
    user_id: z.string(),
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    lastname: z.string().nullable(),
    role: z.string(),
    account_id: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'User' });

export const RegisterResponse = UserSchema.extend({}).meta({ id: 'RegisterResponse' });

export const LoginResponse = z
  .object({
    token: z.string(),
    access_token: z.string().meta({ description: 'Same as token (OAuth field name)' }),
    token_type: z.literal('Bearer'),
    expires_at: z.string(),
    expires_in: z.number().int(),
    refresh_token: z
      .string()
      .optional()
      .meta({ description: 'Single use: each refresh returns a new one; reusing an old one ends the session. Absent when an access token was refreshed (the session keeps its refresh token)' }),
    account_id: z.string(),
    user: UserSchema,
  })
  .meta({ id: 'LoginResponse' });

/** FlowRunner sends the refresh token as a Bearer header; `{refresh_token}` in the body works too. */
export const RefreshBody = z.strictObject({ refresh_token: z.string().min(1).max(512).optional() }).meta({ id: 'RefreshRequest' });

export function userView(u: User): z.output<typeof UserSchema> {
  return {
    user_id: u.id,
    id: u.id,
    username: u.username,
    email: u.email,
    name: u.name,
    lastname: u.lastname,
    role: u.role,
    account_id: u.accountId,
    created_at: u.createdAt,
  };
}

