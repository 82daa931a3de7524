import type { Clock } from '../../functions/core/clock.ts';
import type { Page, PageRequest } from '../../functions/core/pagination.ts';
import type { Principal } from '../../functions/core/principal.ts';
import { ROLE_SCOPES } from '../../functions/core/principal.ts';
import type { Task, TaskFilter } from '../../functions/core/tasks/task.ts';
import type { TaskRepository } from '../../functions/core/tasks/task-repository.ts';

export function fixedClock(iso = '2026-01-01T00:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(iso);
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    accountId: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    userId: 'usr_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    role: 'member',
    scopes: ROLE_SCOPES.member,
    authMethod: 'password',
    credentialId: 'ses_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    plan: 'free',
    ...overrides,
  };
}

/** An in-memory TaskRepository with the same conditional-write contract as the DynamoDB one. */
export class InMemoryTaskRepository implements TaskRepository {
  readonly items = new Map<string, Task>();
  /** Called before a conditional write; lets a test slip in a concurrent change. */
  beforeWrite: (() => void) | undefined;

  private key = (accountId: string, id: string) => `${accountId}/${id}`;

  async create(task: Task) {
    this.items.set(this.key(task.accountId, task.id), task);
  }
  async get(accountId: string, taskId: string) {
    return this.items.get(this.key(accountId, taskId));
  }
  async update(previous: Task, next: Task) {
    this.beforeWrite?.();
    const current = this.items.get(this.key(previous.accountId, previous.id));
    if (!current || current.version !== previous.version) return false;
    this.items.set(this.key(next.accountId, next.id), next);
    return true;
  }
  async delete(previous: Task) {
    this.beforeWrite?.();
    const current = this.items.get(this.key(previous.accountId, previous.id));
    if (!current || current.version !== previous.version) return false;
    this.items.delete(this.key(previous.accountId, previous.id));
    return true;
  }
  async list(accountId: string, filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
    const all = [...this.items.values()]
      .filter((t) => t.accountId === accountId)
      .filter((t) => !filter.status || t.status === filter.status)
      .filter((t) => !filter.priority || t.priority === filter.priority)
      .filter((t) => !filter.tag || t.tags.includes(filter.tag))
      .filter((t) => !filter.dueBefore || (t.dueDate !== null && t.dueDate < filter.dueBefore))
      .toSorted((a, b) => (a.id < b.id ? 1 : -1));
    const items = all.slice(page.offset, page.offset + page.limit);
    return { items, total: all.length, nextCursor: page.offset + page.limit < all.length ? 'next' : undefined };
  }
}
