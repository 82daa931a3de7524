import type { AuthService, SessionTokens } from '../core/auth/auth-service.ts';
import { validationError } from '../core/errors.ts';
import { bearerToken } from '../http/headers.ts';
import { operation, publicOperation, type Operation } from '../http/operation.ts';
import { MessageSchema } from '../shared/schemas.ts';
import { LoginBody, LoginResponse, RefreshBody, RegisterBody, RegisterResponse, UserSchema, userView } from './schemas.ts';

function sessionBody(t: SessionTokens) {
  return {
    token: t.access.token,
    access_token: t.access.token,
    token_type: 'Bearer' as const,
    expires_at: t.access.expiresAt.toISOString(),
    expires_in: Math.max(0, Math.round((t.access.expiresAt.getTime() - Date.now()) / 1000)),
    refresh_token: t.refreshToken,
    account_id: t.account.id,
    user: userView(t.user),
  };
}

export function authOperations(auth: () => AuthService): Record<string, Operation> {
  return {
    register: publicOperation({ body: RegisterBody, response: RegisterResponse, status: 201 }, async ({ body }) => {
      const { user } = await auth().register({ ...body, accountName: body.account_name });
      return { status: 201, body: userView(user) };
    }),

    login: publicOperation(
      { body: LoginBody, response: LoginResponse, description: 'Repeated failures for one login name are slowed down, then refused with 429 for up to 15 minutes.' },
      async ({ body, sourceIp }) => ({ status: 200, body: sessionBody(await auth().login((body.username ?? body.email)!, body.password, sourceIp)) }),
    ),

    refresh: publicOperation({ body: RefreshBody, response: LoginResponse }, async ({ body, headers }) => {
      const token = body.refresh_token ?? bearerToken(headers);
      if (!token) throw validationError('refresh_token', 'Send refresh_token in the body or as a Bearer token');
      return { status: 200, body: sessionBody(await auth().refresh(token)) };
    }),

    logout: operation({ response: MessageSchema }, async ({ principal }) => {
      await auth().logout(principal);
      return { status: 200, body: { message: 'Logged out successfully' } };
    }),

    me: operation({ response: UserSchema }, async ({ principal }) => {
      return { status: 200, body: userView(await auth().me(principal)) };
    }),
  };
}
