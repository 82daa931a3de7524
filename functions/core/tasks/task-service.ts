import { conflict, notFound } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import type { NewTaskInput, Task, TaskChanges, TaskFilter } from './task.ts';
import type { TaskRepository } from './task-repository.ts';

/** How often a write without If-Match re-reads and retries after losing a race. */
const MAX_WRITE_ATTEMPTS = 3;

export class TaskService {
  constructor(
    private readonly repo: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, input: NewTaskInput): Promise<Task> {
    const now = this.clock.now();
    const task: Task = {
      id: newId('task', now.getTime()),
      accountId: principal.accountId,
      name: input.name,
      description: input.description ?? null,
      status: input.status ?? 'pending',
      priority: input.priority ?? 'medium',
      dueDate: input.dueDate ?? null,
      tags: dedupe(input.tags ?? []),
      createdBy: principal.userId ?? null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    await this.repo.create(task);
    return task;
  }

  async get(principal: Principal, taskId: string): Promise<Task> {
    const task = isId('task', taskId) ? await this.repo.get(principal.accountId, taskId) : undefined;
    if (!task) throw notFound('Task', taskId);
    return task;
  }

  list(principal: Principal, filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
    return this.repo.list(principal.accountId, filter, page);
  }

  /**
   * Applies `changes`. With `expectedVersion` (If-Match or body `version`) a stale version is a
   * 409; without it the write still never overwrites a concurrent change blindly: it re-reads.
   */
  async update(principal: Principal, taskId: string, changes: TaskChanges, expectedVersion?: number): Promise<Task> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(principal, taskId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw staleVersion(current);
      const next: Task = {
        ...current,
        ...definedOnly(changes),
        tags: changes.tags ? dedupe(changes.tags) : current.tags,
        updatedAt: this.clock.now().toISOString(),
        version: current.version + 1,
      };
      if (await this.repo.update(current, next)) return next;
      if (expectedVersion !== undefined) throw staleVersion(current);
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('The task is being modified concurrently; retry the request');
    }
  }

  async delete(principal: Principal, taskId: string, expectedVersion?: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(principal, taskId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw staleVersion(current);
      if (await this.repo.delete(current)) return;
      if (expectedVersion !== undefined) throw staleVersion(current);
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('The task is being modified concurrently; retry the request');
    }
  }
}

function staleVersion(current: Task) {
  return conflict(`Version mismatch: the task is at version ${current.version}`, 'version');
}

function dedupe(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}
