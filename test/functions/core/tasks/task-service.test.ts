import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import { TaskService } from '../../../../functions/core/tasks/task-service.ts';
import { fixedClock, InMemoryTaskRepository, principal } from '../../../support/fakes.ts';

describe('TaskService', () => {
  let repo: InMemoryTaskRepository;
  let clock: ReturnType<typeof fixedClock>;
  let service: TaskService;
  const alice = principal();
  const bob = principal({ accountId: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ', userId: 'usr_01BX5ZZKBKACTAV9WEVGEMMVRZ' });

  beforeEach(() => {
    repo = new InMemoryTaskRepository();
    clock = fixedClock();
    service = new TaskService(repo, clock);
  });

  it('creates a task with defaults, scoped to the principal', async () => {
    const task = await service.create(alice, { name: 'Write docs', tags: ['a', 'a', 'b'] });
    expect(task).toMatchObject({
      accountId: alice.accountId,
      name: 'Write docs',
      description: null,
      status: 'pending',
      priority: 'medium',
      dueDate: null,
      tags: ['a', 'b'],
      createdBy: alice.userId,
      createdAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    });
    expect(task.id).toMatch(/^task_[0-9A-Z]{26}$/);
  });

  it('updates fields, bumps the version and the timestamp, and keeps untouched fields', async () => {
    const task = await service.create(alice, { name: 'A', description: 'keep', priority: 'high' });
    clock.advance(1000);
    const next = await service.update(alice, task.id, { status: 'completed', description: undefined });
    expect(next).toMatchObject({ status: 'completed', description: 'keep', priority: 'high', version: 2, updatedAt: '2026-01-01T00:00:01.000Z' });
    expect(next.createdAt).toBe(task.createdAt);
  });

  it('rejects a stale expected version with a 409 naming version, and changes nothing', async () => {
    const task = await service.create(alice, { name: 'A' });
    await service.update(alice, task.id, { name: 'B' });
    const error = await service.update(alice, task.id, { name: 'C' }, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', status: 409, field: 'version' });
    expect((await service.get(alice, task.id)).name).toBe('B');
  });

  it('re-reads and retries when it loses a race without If-Match', async () => {
    const task = await service.create(alice, { name: 'A', tags: ['x'] });
    let raced = false;
    repo.beforeWrite = () => {
      if (raced) return;
      raced = true;
      const current = repo.items.get(`${alice.accountId}/${task.id}`)!;
      repo.items.set(`${alice.accountId}/${task.id}`, { ...current, priority: 'urgent', version: current.version + 1 });
    };
    const next = await service.update(alice, task.id, { name: 'B' });
    expect(next).toMatchObject({ name: 'B', priority: 'urgent', version: 3 });
  });

  it('gives up with 409 after repeated lost races', async () => {
    const task = await service.create(alice, { name: 'A' });
    repo.beforeWrite = () => {
      const current = repo.items.get(`${alice.accountId}/${task.id}`)!;
      repo.items.set(`${alice.accountId}/${task.id}`, { ...current, version: current.version + 1 });
    };
    await expect(service.update(alice, task.id, { name: 'B' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.delete(alice, task.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('hides other tenants and malformed ids behind 404', async () => {
    const task = await service.create(alice, { name: 'A' });
    await expect(service.get(bob, task.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(service.update(bob, task.id, { name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.delete(bob, task.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.get(alice, 'not-a-task-id')).rejects.toMatchObject({ code: 'not_found' });
    expect((await service.list(bob, {}, { limit: 10, offset: 0, cursor: undefined })).total).toBe(0);
  });

  it('deletes with and without an expected version', async () => {
    const a = await service.create(alice, { name: 'A' });
    const b = await service.create(alice, { name: 'B' });
    await expect(service.delete(alice, a.id, 2)).rejects.toMatchObject({ code: 'conflict' });
    await service.delete(alice, a.id, 1);
    await service.delete(alice, b.id);
    expect(repo.items.size).toBe(0);
  });
});
