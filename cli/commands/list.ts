/** What every `ls` shares: `--limit`, `--all`, `--quiet` (ids only) and `--json` (the items as an array). */
import type { Command } from 'commander';
import { listAll, type ListItem, type ListPath, type PaginateInit } from '../../client/index.ts';
import type { Context } from '../context.ts';
import { formatTable, type Column } from '../format/table.ts';
import { UsageError } from '../prompt.ts';

export interface ListOptions {
  limit?: string;
  all?: boolean;
  quiet?: boolean;
}

export function listOptions(command: Command): Command {
  return command.option('-n, --limit <n>', 'at most this many (default 20)').option('-a, --all', 'every item, page after page').option('-q, --quiet', 'only the ids, one per line');
}

export function limitOf(o: ListOptions): number {
  if (o.all) return Number.POSITIVE_INFINITY;
  if (o.limit === undefined) return 20;
  const n = Number(o.limit);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit must be a positive whole number');
  return n;
}

export async function printList<P extends ListPath>(ctx: Context, path: P, init: PaginateInit<P> | undefined, o: ListOptions, columns: Column<ListItem<P>>[], empty: string): Promise<void> {
  const max = limitOf(o);
  const items = await listAll(ctx.client(), path, init, { max, pageSize: Math.min(100, max) });
  if (ctx.out.json) return ctx.out.line(JSON.stringify(items, null, 2));
  if (o.quiet) {
    for (const item of items) ctx.out.line((item as { id: string }).id);
    return;
  }
  if (!items.length) return ctx.out.line(ctx.out.style.dim(empty));
  ctx.out.line(formatTable(items, columns, (h) => ctx.out.style.dim(h)));
}
