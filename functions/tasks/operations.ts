import { validationError } from '../core/errors.ts';
import { paginationView } from '../core/pagination.ts';
import type { TaskChanges } from '../core/tasks/task.ts';
import type { TaskService } from '../core/tasks/task-service.ts';
import { parseIfMatch } from '../http/headers.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, toPageRequest } from '../shared/schemas.ts';
import * as z from 'zod';
import { AnyTaskSchema, CreateTaskBody, ListTasksQuery, RunTaskPageSchema, TaskListSchema, TaskSchema, taskView, UpdateTaskBody } from './schemas.ts';
import { isAppError } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import type { RunTask } from '../core/executions/execution.ts';
import { runTaskView } from '../executions/schemas.ts';

/** Workflow tasks (one per node per run) live with executions; the tasks API reads them through this. */
export interface RunTaskReader {
  task(principal: Principal, taskId: string): Promise<RunTask | undefined>;
  tasks(principal: Principal, executionId: string): Promise<RunTask[]>;
  latest(principal: Principal, workflowId: string): Promise<{ tasks: RunTask[] } | undefined>;
}

const etag = (version: number) => ({ ETag: `"${version}"` });

/** `If-Match` wins over a body `version`; both present and different is a client error. */
function expectedVersion(headers: Record<string, string>, bodyVersion: number | undefined): number | undefined {
  const header = parseIfMatch(headers['if-match']);
  if (header === 'invalid') throw validationError('If-Match', 'If-Match must be a version number such as "3"');
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion) {
    throw validationError('version', 'The body version disagrees with If-Match');
  }
  return header ?? bodyVersion;
}

export function taskOperations(tasks: () => TaskService, runTasks?: () => RunTaskReader): Record<string, Operation> {
  const update = (description: string) =>
    operation(
      { params: IdPath, body: UpdateTaskBody, response: TaskSchema, headers: ['ETag'], ifMatch: true, description },
      async ({ principal, params, body, headers }) => {
        const { version, due_date, ...rest } = body;
        const changes: TaskChanges = { ...rest, ...(due_date !== undefined ? { dueDate: due_date } : {}) };
        const task = await tasks().update(principal, params.id, changes, expectedVersion(headers, version));
        return { status: 200, body: taskView(task), headers: etag(task.version) };
      },
    );

  return {
    listTasks: operation({ query: ListTasksQuery, response: z.union([TaskListSchema, RunTaskPageSchema]) }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const { status, priority, tag, due_before, workflow_id, execution_id } = query;
      if ((workflow_id || execution_id) && runTasks) {
        // A run has at most 500 tasks (the node limit), so paging happens in memory.
        const all = execution_id ? await runTasks().tasks(principal, execution_id) : ((await runTasks().latest(principal, workflow_id!))?.tasks ?? []);
        const matching = all.filter((t) => (!workflow_id || t.workflowId === workflow_id) && (!status || t.status === status));
        const data = matching.slice(page.offset, page.offset + page.limit).map(runTaskView);
        const pagination = { total: matching.length, limit: page.limit, offset: page.offset, has_more: page.offset + page.limit < matching.length, next_cursor: null };
        return { status: 200, body: { data, tasks: data, pagination, total: matching.length, page: Math.floor(page.offset / page.limit) + 1 } };
      }
      const result = await tasks().list(principal, { status, priority, tag, dueBefore: due_before }, page);
      const data = result.items.map(taskView);
      const pagination = paginationView(result, page);
      const pageNumber = Math.floor(pagination.offset / page.limit) + 1;
      return { status: 200, body: { data, tasks: data, pagination, total: result.total, page: pageNumber } };
    }),

    createTask: operation({ body: CreateTaskBody, response: TaskSchema, status: 201, headers: ['ETag', 'Location'] }, async ({ principal, body }) => {
      const { due_date, ...rest } = body;
      const task = await tasks().create(principal, { ...rest, dueDate: due_date });
      return { status: 201, body: taskView(task), headers: { ...etag(task.version), Location: `/api/v1/tasks/${task.id}` } };
    }),

    getTask: operation(
      { params: IdPath, response: AnyTaskSchema, headers: ['ETag'], description: 'A task, or a workflow task of a run (FlowCtl shape: workflow_id, execution_id, retry_count, result, error).' },
      async ({ principal, params }) => {
        try {
          const task = await tasks().get(principal, params.id);
          return { status: 200, body: taskView(task), headers: etag(task.version) };
        } catch (error) {
          const runTask = isAppError(error) && error.code === 'not_found' && runTasks ? await runTasks().task(principal, params.id) : undefined;
          if (!runTask) throw error;
          return { status: 200, body: runTaskView(runTask) };
        }
      },
    ),

    replaceTask: update('Update a task. Any subset of fields; send If-Match (or version) to fail on a stale copy.'),
    patchTask: update('Partially update a task; null clears description, due_date.'),

    deleteTask: operation({ params: IdPath, status: 204, ifMatch: true }, async ({ principal, params, headers }) => {
      await tasks().delete(principal, params.id, expectedVersion(headers, undefined));
      return { status: 204 };
    }),
  };
}
