/** `stepwise tasks ls | add | done | rm`. */
import type { operations } from '../../client/index.ts';
import { unwrap } from '../../client/index.ts';
import { collect, type CommandModule } from '../command.ts';
import { statusText } from '../format/run.ts';
import { formatInstant } from '../format/time.ts';
import { listOptions, printList, type ListOptions } from './list.ts';

type TaskQuery = NonNullable<operations['listTasks']['parameters']['query']>;
type NewTask = operations['createTask']['requestBody']['content']['application/json'];

const tasks: CommandModule = (program, act) => {
  const group = program.command('tasks').description('Tasks: list, add, complete, remove');

  listOptions(group.command('ls').description('List tasks, newest first'))
    .option('-s, --status <status>', 'pending, in_progress, blocked, completed or cancelled')
    .option('-p, --priority <priority>', 'low, medium, high or urgent')
    .option('-t, --tag <tag>', 'only tasks with this tag')
    .option('--due-before <when>', 'due before this ISO 8601 date-time or date')
    .action(
      act<ListOptions & { status?: string; priority?: string; tag?: string; dueBefore?: string }>(async (ctx, _args, o) => {
        const query: Omit<TaskQuery, 'cursor' | 'offset' | 'page' | 'per_page'> = {
          ...(o.status ? { status: o.status as TaskQuery['status'] } : {}),
          ...(o.priority ? { priority: o.priority as TaskQuery['priority'] } : {}),
          ...(o.tag ? { tag: o.tag } : {}),
          ...(o.dueBefore ? { due_before: o.dueBefore } : {}),
        };
        const s = ctx.out.style;
        await printList(
          ctx,
          '/api/v1/tasks',
          { query },
          o,
          [
            { header: 'ID', value: (t) => t.id },
            { header: 'STATUS', value: (t) => statusText(t.status, s) },
            { header: 'PRIORITY', value: (t) => ('priority' in t ? String(t.priority ?? '-') : '-') },
            { header: 'DUE', value: (t) => ('due_date' in t ? formatInstant(t.due_date) : '-') },
            { header: 'NAME', value: (t) => t.name },
          ],
          'no tasks',
        );
      }),
    );

  group
    .command('add <name>')
    .description('Create a task')
    .option('-d, --description <text>', 'description')
    .option('-p, --priority <priority>', 'low, medium (default), high or urgent')
    .option('--due <when>', 'due date (ISO 8601)')
    .option('-t, --tag <tag>', 'a tag (repeat, or comma-separate)', collect)
    .action(
      act<{ description?: string; priority?: string; due?: string; tag?: string[] }>(async (ctx, [name], o) => {
        const body: NewTask = {
          name: name!,
          ...(o.description ? { description: o.description } : {}),
          ...(o.priority ? { priority: o.priority as NewTask['priority'] } : {}),
          ...(o.due ? { due_date: o.due } : {}),
          ...(o.tag?.length ? { tags: o.tag } : {}),
        };
        const task = await unwrap(ctx.client().POST('/api/v1/tasks', { body }));
        ctx.out.result(task, () => ctx.out.success(`created ${task.id} ${ctx.out.style.bold(task.name)}`));
      }),
    );

  group
    .command('done <id>')
    .description('Mark a task completed')
    .action(
      act(async (ctx, [id]) => {
        const task = await unwrap(ctx.client().PATCH('/api/v1/tasks/{id}', { params: { path: { id: id! } }, body: { status: 'completed' } }));
        ctx.out.result(task, () => ctx.out.success(`completed ${task.id} ${ctx.out.style.bold(task.name)}`));
      }),
    );

  group
    .command('rm <id>')
    .description('Delete a task')
    .action(
      act(async (ctx, [id]) => {
        await unwrap(ctx.client().DELETE('/api/v1/tasks/{id}', { params: { path: { id: id! } } }));
        ctx.out.result({ deleted: id }, () => ctx.out.success(`deleted ${id}`));
      }),
    );
};

export default tasks;
