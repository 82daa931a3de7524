/** `stepwise register | login | logout | whoami`. */
import { login, StepwiseApiError, unwrap } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../prompt.ts';

async function askCredentials(ctx: Context, options: { username?: string }): Promise<{ username: string; password: string }> {
  const username = (options.username ?? (await ctx.prompt.ask('Username: '))).trim();
  if (!username) throw new UsageError('a username is required');
  const password = await ctx.prompt.ask('Password: ', { hidden: true });
  if (!password) throw new UsageError('a password is required');
  return { username, password };
}

async function signIn(ctx: Context, username: string, password: string) {
  const { session, login: answer } = await login({ baseUrl: ctx.apiUrl, username, password });
  ctx.config.saveSession(ctx.apiUrl, {
    token: session.tokens.token,
    refresh_token: session.tokens.refreshToken,
    expires_at: session.tokens.expiresAt,
    username: answer.user.username,
    user_id: answer.user.id,
    account_id: answer.account_id,
  });
  return answer;
}

const auth: CommandModule = (program, act) => {
  program
    .command('register')
    .description('Create an account and its first (admin) user, then sign in as it')
    .option('-u, --username <username>', 'username (prompted for when missing)')
    .option('--email <email>', 'email address')
    .option('--name <name>', 'first name')
    .option('--lastname <lastname>', 'last name')
    .action(
      act<{ username?: string; email?: string; name?: string; lastname?: string }>(async (ctx, _args, o) => {
        const { username, password } = await askCredentials(ctx, o);
        const user = await unwrap(
          ctx.anonymous().POST('/api/v1/auth/register', {
            body: { username, password, ...(o.email ? { email: o.email } : {}), ...(o.name ? { name: o.name } : {}), ...(o.lastname ? { lastname: o.lastname } : {}) },
          }),
        );
        await signIn(ctx, username, password);
        ctx.out.result(user, () => ctx.out.success(`registered ${ctx.out.style.bold(user.username)} (${user.role}) in account ${user.account_id}; signed in to ${ctx.apiUrl}`));
      }),
    );

  program
    .command('login')
    .description('Sign in (prompts for the username and a hidden password; from a pipe, one line each) and keep the session in the config directory')
    .option('-u, --username <username>', 'username or email (prompted for when missing)')
    .action(
      act<{ username?: string }>(async (ctx, _args, o) => {
        const { username, password } = await askCredentials(ctx, o);
        const answer = await signIn(ctx, username, password);
        ctx.out.result({ username: answer.user.username, account_id: answer.account_id, expires_at: answer.expires_at, api_url: ctx.apiUrl }, () =>
          ctx.out.success(`signed in to ${ctx.apiUrl} as ${ctx.out.style.bold(answer.user.username)} (${answer.user.role}); session kept in ${ctx.config.path}`),
        );
      }),
    );

  program
    .command('logout')
    .description('End the stored session (on the server too) and forget it')
    .action(
      act(async (ctx) => {
        const stored = ctx.storedSession();
        if (!stored) {
          ctx.out.result({ signed_out: false }, () => ctx.out.line(`not signed in to ${ctx.apiUrl}`));
          return;
        }
        let ended = true;
        try {
          const { response } = await ctx.client().POST('/api/v1/auth/logout');
          ended = response.ok || response.status === 401;
        } catch {
          ended = false;
        }
        ctx.config.removeSession(ctx.apiUrl);
        if (!ended) ctx.out.note('the server could not be told; the session ends when its refresh token expires');
        ctx.out.result({ signed_out: true, api_url: ctx.apiUrl }, () => ctx.out.success(`signed out of ${ctx.apiUrl}`));
      }),
    );

  program
    .command('whoami')
    .description('The signed-in user and how the credential was found')
    .action(
      act(async (ctx) => {
        const source = ctx.credentialSource;
        const me = await unwrap(ctx.client().GET('/api/v1/me')).catch((error: unknown) => {
          if (error instanceof StepwiseApiError && error.status === 401 && source === 'login') throw new StepwiseApiError(401, { ...error.body, code: 'unauthorized', message: `${error.message}: the stored session has ended, run \`stepwise login\`` });
          throw error;
        });
        ctx.out.result({ ...me, credential: source, api_url: ctx.apiUrl }, () => {
          const s = ctx.out.style;
          ctx.out.line(`${s.bold(me.username)} ${s.dim(`(${me.role})`)}`);
          ctx.out.line(`  user     ${me.id}`);
          ctx.out.line(`  account  ${me.account_id}`);
          ctx.out.line(`  api      ${ctx.apiUrl}`);
          ctx.out.line(`  via      ${source === 'login' ? `stepwise login (${ctx.config.path})` : source}`);
        });
      }),
    );
};

export default auth;
