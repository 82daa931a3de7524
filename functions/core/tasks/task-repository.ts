import type { Page, PageRequest } from '../pagination.ts';
import type { Task, TaskFilter } from './task.ts';

/** Storage port for tasks. Implementations keep per-account counters in the same write. */
export interface TaskRepository {
  create(task: Task): Promise<void>;
  get(accountId: string, taskId: string): Promise<Task | undefined>;
  /**
   * Replaces `next` if the stored version still equals `expectedVersion`; returns false when it
   * does not (a concurrent or stale write), and never writes half of the change.
   */
  update(previous: Task, next: Task): Promise<boolean>;
  /** Deletes if the stored version equals `previous.version`; false when it changed meanwhile. */
  delete(previous: Task): Promise<boolean>;
  list(accountId: string, filter: TaskFilter, page: PageRequest): Promise<Page<Task>>;
}
