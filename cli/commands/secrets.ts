/**
 * `stepwise secrets set KEY | ls | rm KEY`. A value never comes from an argument (it would sit in
 * shell history and in every process listing): it is read from standard input when that is a
 * pipe, or from a hidden prompt. Nothing the command prints contains it.
 */
import { StepwiseApiError, unwrap } from '../../client/index.ts';
import type { CommandModule } from '../command.ts';
import { formatInstant } from '../format/time.ts';
import { formatTable } from '../format/table.ts';
import { UsageError } from '../prompt.ts';

const secrets: CommandModule = (program, act) => {
  const group = program.command('secrets').description('Account secrets for {{secrets.KEY}}: set (value from stdin or a hidden prompt), list, remove');

  group
    .command('set <key>')
    .description('Create or replace a secret; the value is read from standard input or a hidden prompt, never an argument')
    .action(
      act(async (ctx, [key]) => {
        const value = ctx.prompt.interactive ? await ctx.prompt.ask(`Value for ${key}: `, { hidden: true }) : await ctx.prompt.readAll();
        if (!value) throw new UsageError(`no value for ${key}: pipe it in (stepwise secrets set ${key} < file) or type it at the prompt`);
        const client = ctx.client();
        const id = await ctx.accountId();
        let created = false;
        const saved = await unwrap(client.PUT('/api/v1/accounts/{id}/secrets/{key}', { params: { path: { id, key: key! } }, body: { value } })).catch(async (error: unknown) => {
          if (!(error instanceof StepwiseApiError && error.status === 404 && error.field !== 'id')) throw error;
          created = true;
          return unwrap(client.POST('/api/v1/accounts/{id}/secrets', { params: { path: { id } }, body: { key: key!, value } }));
        });
        ctx.out.result(saved, () => ctx.out.success(`${created ? 'created' : 'replaced'} secret ${ctx.out.style.bold(saved.key)}`));
      }),
    );

  group
    .command('ls')
    .description('The account’s secrets: keys and dates, never values')
    .option('-q, --quiet', 'only the keys')
    .action(
      act<{ quiet?: boolean }>(async (ctx, _args, o) => {
        const id = await ctx.accountId();
        const { data } = await unwrap(ctx.client().GET('/api/v1/accounts/{id}/secrets', { params: { path: { id } } }));
        if (ctx.out.json) return ctx.out.line(JSON.stringify(data, null, 2));
        if (o.quiet) return data.forEach((s) => ctx.out.line(s.key));
        if (!data.length) return ctx.out.line(ctx.out.style.dim('no secrets'));
        ctx.out.line(
          formatTable(
            data,
            [
              { header: 'KEY', value: (s) => s.key },
              { header: 'UPDATED', value: (s) => formatInstant(s.updated_at) },
              { header: 'CREATED', value: (s) => formatInstant(s.created_at) },
            ],
            (h) => ctx.out.style.dim(h),
          ),
        );
      }),
    );

  group
    .command('rm <key>')
    .description('Delete a secret')
    .action(
      act(async (ctx, [key]) => {
        const id = await ctx.accountId();
        await unwrap(ctx.client().DELETE('/api/v1/accounts/{id}/secrets/{key}', { params: { path: { id, key: key! } } }));
        ctx.out.result({ deleted: key }, () => ctx.out.success(`deleted secret ${key}`));
      }),
    );
};

export default secrets;
