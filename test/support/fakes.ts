import { expect } from 'vitest';
import { RunnerFailure } from '../../functions/core/runner/errors.ts';
import type { Account, User } from '../../functions/core/auth/identity.ts';
import type { IdentityRepository, UserFilter } from '../../functions/core/auth/ports.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { conflict } from '../../functions/core/errors.ts';
import type { Page, PageRequest } from '../../functions/core/pagination.ts';
import type { Principal } from '../../functions/core/principal.ts';
import { ROLE_SCOPES } from '../../functions/core/principal.ts';
import type { Task, TaskFilter } from '../../functions/core/tasks/task.ts';
import type { TaskRepository } from '../../functions/core/tasks/task-repository.ts';
import type { WorkflowFilter, WorkflowRepository } from '../../functions/core/workflows/ports.ts';
import type { Workflow, WorkflowVersion } from '../../functions/core/workflows/workflow.ts';

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

/** An in-memory IdentityRepository: global login claims, per-account users, versioned writes. */
export class MemoryIdentities implements IdentityRepository {
  accounts = new Map<string, Account>();
  users = new Map<string, User>();
  logins = new Map<string, User>();

  private claim(user: User) {
    for (const [field, value] of [['username', user.username], ['email', user.email]] as const) {
      const holder = value ? this.logins.get(value) : undefined;
      if (holder && holder.id !== user.id) throw conflict(`That ${field} is already registered`, field);
    }
    this.logins.set(user.username, user);
    if (user.email) this.logins.set(user.email, user);
  }
  async createAccountWithOwner(account: Account, owner: User) {
    this.claim(owner);
    this.accounts.set(account.id, account);
    this.users.set(owner.id, owner);
  }
  async createUser(user: User) {
    this.claim(user);
    this.users.set(user.id, user);
  }
  async findUserByLogin(login: string) {
    const u = this.logins.get(login);
    return u ? this.users.get(u.id) : undefined;
  }
  async getUser(accountId: string, userId: string) {
    const u = this.users.get(userId);
    return u?.accountId === accountId ? u : undefined;
  }
  async getAccount(accountId: string) {
    return this.accounts.get(accountId);
  }
  async updateUser(previous: User, next: User) {
    if (this.users.get(previous.id)?.version !== previous.version) return false;
    this.users.set(next.id, next);
    return true;
  }
  async deleteUser(user: User) {
    this.users.delete(user.id);
    for (const [k, v] of this.logins) if (v.id === user.id) this.logins.delete(k);
  }
  async listUsers(accountId: string, filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const all = [...this.users.values()]
      .filter((u) => u.accountId === accountId)
      .filter((u) => filter.role === undefined || u.role === filter.role)
      .filter((u) => filter.active === undefined || u.active === filter.active);
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }
  async listAccounts(page: PageRequest): Promise<Page<Account>> {
    const all = [...this.accounts.values()];
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }
  async updateAccount(previous: Account, next: Account) {
    if (this.accounts.get(previous.id)?.version !== previous.version) return false;
    this.accounts.set(next.id, next);
    return true;
  }
  async deleteAccount(accountId: string) {
    this.accounts.delete(accountId);
    const members = Array.from(this.users.values()).filter((u) => u.accountId === accountId);
    for (const u of members) await this.deleteUser(u);
  }
}

/** Workflows in memory, tenant-scoped like the DynamoDB repository. */
export class MemoryWorkflows implements WorkflowRepository {
  items = new Map<string, Workflow>();
  versionsOf = new Map<string, WorkflowVersion[]>();
  failCreate = false;
  async create(wf: Workflow, v: WorkflowVersion) {
    if (this.failCreate) throw new Error('ddb down');
    this.items.set(wf.id, wf);
    this.versionsOf.set(wf.id, [v]);
  }
  async get(accountId: string, id: string) {
    const wf = this.items.get(id);
    return wf?.accountId === accountId ? wf : undefined;
  }
  async update(prev: Workflow, next: Workflow, v?: WorkflowVersion) {
    if (this.items.get(prev.id)?.revision !== prev.revision) return false;
    this.items.set(next.id, next);
    if (v) this.versionsOf.get(next.id)!.push(v);
    return true;
  }
  async delete(prev: Workflow) {
    if (this.items.get(prev.id)?.revision !== prev.revision) return false;
    this.items.delete(prev.id);
    return true;
  }
  async list(accountId: string, filter: WorkflowFilter, _p: PageRequest): Promise<Page<Workflow>> {
    const items = [...this.items.values()].filter((w) => w.accountId === accountId && (!filter.status || w.status === filter.status) && (!filter.tag || w.tags.includes(filter.tag)));
    return { items, total: items.length, nextCursor: undefined };
  }
  async versions(_a: string, id: string): Promise<Page<WorkflowVersion>> {
    const items = this.versionsOf.get(id) ?? [];
    return { items, total: items.length, nextCursor: undefined };
  }
  async version(accountId: string, id: string, version: number) {
    const v = this.versionsOf.get(id)?.find((x) => x.version === version);
    return v?.accountId === accountId ? v : undefined;
  }
}

/** The RunnerFailure a runner call rejects with (and that it is one). */
export async function runnerFailure(promise: Promise<unknown>): Promise<RunnerFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunnerFailure);
  return error as RunnerFailure;
}
