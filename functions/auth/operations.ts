import type { AuthService, SessionTokens } from '../core/auth/auth-service.ts';
import type { AccessTokenVerifier } from '../core/auth/ports.ts';
import { parseRefreshToken } from '../core/auth/session.ts';
import { validationError } from '../core/errors.ts';
import { bearerToken } from '../http/headers.ts';
import { operation, publicOperation, type Operation } from '../http/operation.ts';
import { MessageSchema } from '../shared/schemas.ts';
import { LoginBody, LoginResponse, RefreshBody, RegisterBody, RegisterResponse, UserSchema, userView } from './schemas.ts';

function sessionBody(t: Omit<SessionTokens, 'refreshToken'> & { refreshToken?: string }) {
  return {
    token: t.access.token,
    access_token: t.access.token,
    token_type: 'Bearer' as const,
    expires_at: t.access.expiresAt.toISOString(),
    expires_in: Math.max(0, Math.round((t.access.expiresAt.getTime() - Date.now()) / 1000)),
    ...(t.refreshToken !== undefined ? { refresh_token: t.refreshToken } : {}),
    account_id: t.account.id,
    user: userView(t.user),
  };
}

export function authOperations(auth: () => AuthService, verifier: () => AccessTokenVerifier = () => {
  throw new Error('no access-token verifier');
}): Record<string, Operation> {
  return {
    register: publicOperation({ body: RegisterBody, response: RegisterResponse, status: 201, errors: [409] }, async ({ body }) => {
      const { user } = await auth().register({ ...body, accountName: body.account_name });
      return { status: 201, body: userView(user) };
    }),

    login: publicOperation(
      { body: LoginBody, response: LoginResponse, errors: [401], description: 'Repeated failures for one login name are slowed down, then refused with 429 for up to 15 minutes.' },
      async ({ body, sourceIp }) => ({ status: 200, body: sessionBody(await auth().login((body.username ?? body.email)!, body.password, sourceIp)) }),
    ),

    refresh: publicOperation(
      {
        body: RefreshBody,
        bodyOptional: true,
        response: LoginResponse,
        errors: [401],
        description:
          'Send `{"refresh_token"}` (or the refresh token as a Bearer token): it is rotated and the answer carries the new one. Or send only `Authorization: Bearer <access token>` of a live session (FlowRunner): a new access token, no refresh token.',
      },
      async ({ body, headers }) => {
        const token = body?.refresh_token ?? bearerToken(headers);
        if (!token) throw validationError('refresh_token', 'Send refresh_token in the body, or a refresh or access token as a Bearer token');
        if (parseRefreshToken(token)) return { status: 200, body: sessionBody(await auth().refresh(token)) };
        return { status: 200, body: sessionBody(await auth().reissue(await verifier().verifyAccessToken(token))) };
      },
    ),

    logout: operation({ response: MessageSchema }, async ({ principal }) => {
      await auth().logout(principal);
      return { status: 200, body: { message: 'Logged out successfully' } };
    }),

    me: operation({ response: UserSchema }, async ({ principal }) => {
      return { status: 200, body: userView(await auth().me(principal)) };
    }),
  };
}
