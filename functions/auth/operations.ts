import type { AuthService } from '../core/auth/auth-service.ts';
import { operation, publicOperation, type Operation } from '../http/operation.ts';
import { LoginBody, LoginResponse, RegisterBody, RegisterResponse, UserSchema, userView } from './schemas.ts';

export function authOperations(auth: () => AuthService): Record<string, Operation> {
  return {
    register: publicOperation({ body: RegisterBody, response: RegisterResponse, status: 201 }, async ({ body }) => {
      const { user } = await auth().register({ ...body, accountName: body.account_name });
      return { status: 201, body: userView(user) };
    }),

    login: publicOperation({ body: LoginBody, response: LoginResponse }, async ({ body }) => {
      const { access, user, account } = await auth().login((body.username ?? body.email)!, body.password);
      const expiresIn = Math.round((access.expiresAt.getTime() - Date.now()) / 1000);
      return {
        status: 200,
        body: {
          token: access.token,
          access_token: access.token,
          token_type: 'Bearer',
          expires_at: access.expiresAt.toISOString(),
          expires_in: expiresIn,
          account_id: account.id,
          user: userView(user),
        },
      };
    }),

    me: operation({ response: UserSchema }, async ({ principal }) => {
      return { status: 200, body: userView(await auth().me(principal)) };
    }),
  };
}
