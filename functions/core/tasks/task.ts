/** The task model shared by AstraFlow, Behflow and FlowCtl, with one status vocabulary. */
export const TASK_STATUSES = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Seed spellings accepted on input and normalised before anything is stored. */
export const TASK_STATUS_ALIASES: Readonly<Record<string, TaskStatus>> = {
  not_started: 'pending',
  active: 'in_progress',
};

export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface Task {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: TaskStatus;
  readonly priority: TaskPriority;
  readonly dueDate: string | null;
  readonly tags: readonly string[];
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic-lock counter: starts at 1, +1 on every write. */
  readonly version: number;
}

export interface NewTaskInput {
  name: string;
  description?: string | null | undefined;
  status?: TaskStatus | undefined;
  priority?: TaskPriority | undefined;
  dueDate?: string | null | undefined;
  tags?: string[] | undefined;
}

export type TaskChanges = Partial<{
  name: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  dueDate: string | null;
  tags: string[];
}>;

export interface TaskFilter {
  status?: TaskStatus | undefined;
  priority?: TaskPriority | undefined;
  tag?: string | undefined;
  /** ISO 8601 instant; tasks due strictly before it (tasks without a due date never match). */
  dueBefore?: string | undefined;
}
