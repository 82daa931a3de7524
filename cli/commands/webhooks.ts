/** `stepwise webhooks ls | add | deliveries | replay | test`. */
import { unwrap } from '../../client/index.ts';
import { collect, type CommandModule } from '../command.ts';
import { formatInstant } from '../format/time.ts';
import { UsageError } from '../prompt.ts';
import { listOptions, printList, type ListOptions } from './list.ts';

const webhooks: CommandModule = (program, act) => {
  const group = program.command('webhooks').description('Webhooks: subscribe URLs to events, read and replay deliveries');

  listOptions(group.command('ls').description('List webhooks (never their secrets)')).action(
    act<ListOptions>(async (ctx, _args, o) => {
      const s = ctx.out.style;
      await printList(
        ctx,
        '/api/v1/webhooks',
        {},
        o,
        [
          { header: 'ID', value: (w) => w.id },
          { header: 'STATUS', value: (w) => (w.status === 'active' ? s.green(w.status) : s.yellow(`${w.status}${w.disabled_reason ? ` (${w.disabled_reason})` : ''}`)) },
          { header: 'EVENTS', value: (w) => w.events.join(',') },
          { header: 'URL', value: (w) => w.url },
        ],
        'no webhooks',
      );
    }),
  );

  group
    .command('add <url>')
    .description('Subscribe a URL to events; the signing secret is printed once')
    .option('-e, --event <type>', 'an event type (repeat, or comma-separate; "*" for all)', collect)
    .option('-d, --description <text>', 'description')
    .action(
      act<{ event?: string[]; description?: string }>(async (ctx, [url], o) => {
        if (!o.event?.length) throw new UsageError('give at least one --event (e.g. --event workflow.completed,workflow.failed, or "*")');
        const hook = await unwrap(ctx.client().POST('/api/v1/webhooks', { body: { url: url!, events: o.event as never, ...(o.description ? { description: o.description } : {}) } }));
        ctx.out.result(hook, () => {
          ctx.out.success(`created ${hook.id} → ${hook.url} (${hook.events.join(', ')})`);
          if (hook.secret) ctx.out.line(`  signing secret (shown once): ${hook.secret}`);
        });
      }),
    );

  listOptions(group.command('deliveries <webhook>').description('The delivery log, newest first, with each one’s attempts'))
    .option('-s, --status <status>', 'pending, delivered or dead_lettered')
    .action(
      act<ListOptions & { status?: string }>(async (ctx, [id], o) => {
        const s = ctx.out.style;
        await printList(
          ctx,
          '/api/v1/webhooks/{id}/deliveries',
          { path: { id: id! }, query: o.status ? { status: o.status as never } : {} },
          o,
          [
            { header: 'ID', value: (d) => d.id },
            { header: 'STATUS', value: (d) => (d.status === 'delivered' ? s.green(d.status) : d.status === 'dead_lettered' ? s.red(`${d.status}${d.dead_letter_reason ? ` (${d.dead_letter_reason})` : ''}`) : s.yellow(d.status)) },
            { header: 'EVENT', value: (d) => d.event },
            { header: 'ATTEMPTS', value: (d) => `${d.attempt_count}/${d.max_attempts}`, right: true },
            { header: 'LAST', value: (d) => (d.last_status_code !== null ? String(d.last_status_code) : '-'), right: true },
            { header: 'CREATED', value: (d) => formatInstant(d.created_at) },
          ],
          'no deliveries',
        );
      }),
    );

  group
    .command('replay <webhook> <delivery>')
    .description('Send a delivery again now (dead-lettered ones too)')
    .action(
      act(async (ctx, [id, deliveryId]) => {
        const d = await unwrap(ctx.client().POST('/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry', { params: { path: { id: id!, delivery_id: deliveryId! } } }));
        ctx.out.result(d, () => ctx.out.success(`replaying ${d.id} (${d.event}): ${d.status}`));
      }),
    );

  group
    .command('test <webhook>')
    .description('Send a signed webhook.test ping')
    .action(
      act(async (ctx, [id]) => {
        const d = await unwrap(ctx.client().POST('/api/v1/webhooks/{id}/test', { params: { path: { id: id! } } }));
        ctx.out.result(d, () => ctx.out.success(`sent a test ping: delivery ${d.id} (${d.status}); see stepwise webhooks deliveries ${id}`));
      }),
    );
};

export default webhooks;
