import * as z from 'zod';
import { RunTaskSchema } from '../executions/schemas.ts';
import { TASK_PRIORITIES, TASK_STATUS_ALIASES, TASK_STATUSES, type Task } from '../core/tasks/task.ts';
import { IsoInstant, PaginationSchema, PagingQuery } from '../shared/schemas.ts';

const statusInputs = [...TASK_STATUSES, ...Object.keys(TASK_STATUS_ALIASES)] as [string, ...string[]];

/** Accepts the seeds' aliases (`not_started`, `active`) and stores the canonical status. */
export const TaskStatusInput = z
  .enum(statusInputs)
  .transform((s) => TASK_STATUS_ALIASES[s] ?? (s as Task['status']))
  .meta({ description: `One of ${TASK_STATUSES.join(', ')}; aliases: not_started → pending, active → in_progress` });

export const TaskPriority = z.enum(TASK_PRIORITIES);

const Name = z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters');
const Description = z.string().max(4000, 'description must be at most 4000 characters').nullable();
const Tags = z
  .array(z.string().trim().min(1, 'tags must not be empty').max(50, 'a tag must be at most 50 characters'))
  .max(20, 'at most 20 tags');
const Version = z.number().int().min(1);

export const CreateTaskBody = z
  .strictObject({
    name: Name,
    description: Description.optional(),
    status: TaskStatusInput.optional(),
    priority: TaskPriority.optional(),
    due_date: IsoInstant.nullable().optional(),
    tags: Tags.optional(),
  })
  .meta({ id: 'CreateTask' });

/** PUT and PATCH both take any subset (AstraFlow and Behflow send partial PUTs); `null` clears a field. */
export const UpdateTaskBody = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    status: TaskStatusInput.optional(),
    priority: TaskPriority.optional(),
    due_date: IsoInstant.nullable().optional(),
    tags: Tags.optional(),
    version: Version.optional().meta({ description: 'Expected current version (alternative to If-Match)' }),
  })
  .meta({ id: 'UpdateTask' });

export const ListTasksQuery = PagingQuery.extend({
  status: TaskStatusInput.optional(),
  priority: TaskPriority.optional().meta({ description: 'Only tasks of this priority' }),
  tag: z.string().min(1).max(50).optional().meta({ description: 'Only tasks carrying this tag' }),
  due_before: IsoInstant.optional(),
  workflow_id: z.string().min(1).max(64).optional().meta({ description: 'Workflow tasks of this workflow’s latest run (FlowCtl)' }),
  execution_id: z.string().min(1).max(64).optional().meta({ description: 'Workflow tasks of this execution' }),
});

export const TaskSchema = z
  .object({
    id: z.string(),
    task_id: z.string().meta({ description: 'Same as id (Behflow field name)' }),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(TASK_STATUSES),
    priority: TaskPriority,
    due_date: z.string().nullable(),
    tags: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Task' });

export const TaskListSchema = z
  .object({
    data: z.array(TaskSchema),
    tasks: z.array(TaskSchema).meta({ description: 'Same as data (AstraFlow/Behflow field name)' }),
    pagination: PaginationSchema,
    total: z.number().int(),
    page: z.number().int(),
  })
  .meta({ id: 'TaskList' });

/** A page of a run's tasks: `GET /tasks?execution_id=…` or `?workflow_id=…` (FlowCtl). */
export const RunTaskPageSchema = z
  .object({ data: z.array(RunTaskSchema), tasks: z.array(RunTaskSchema), pagination: PaginationSchema, total: z.number().int(), page: z.number().int() })
  .meta({ id: 'WorkflowRunTaskPage' });

/** `GET /tasks/{id}` answers for a task or a run's task; a run task has `execution_id`, a task has `tags`. */
export const AnyTaskSchema = z.union([TaskSchema, RunTaskSchema]).meta({ id: 'AnyTask', description: 'A task, or a workflow task of a run (which has execution_id and no tags)' });

export function taskView(t: Task): z.output<typeof TaskSchema> {
  return {
    id: t.id,
    task_id: t.id,
    name: t.name,
    description: t.description,
    status: t.status,
    priority: t.priority,
    due_date: t.dueDate,
    tags: [...t.tags],
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
  };
}
