import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../core/pagination.ts';
import type { Task, TaskFilter } from '../../core/tasks/task.ts';
import type { TaskRepository } from '../../core/tasks/task-repository.ts';
import { counterUpdate, mergeDeltas } from './counters.ts';
import { conditionalWrite } from './errors.ts';
import { counters, keys } from './keys.ts';
import { queryPage, type QueryPlan } from './paging.ts';

type Item = Record<string, unknown>;

export class DynamoTaskRepository implements TaskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(task: Task): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: toItem(task), ConditionExpression: 'attribute_not_exists(pk)' } },
          counterUpdate(this.tableName, task.accountId, countsOf(task, 1))!,
        ],
      }),
    );
  }

  async get(accountId: string, taskId: string): Promise<Task | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.task(accountId, taskId) }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async update(previous: Task, next: Task): Promise<boolean> {
    const put = {
      TableName: this.tableName,
      Item: toItem(next),
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':expected': previous.version },
    };
    const counterChange = counterUpdate(this.tableName, next.accountId, mergeDeltas(countsOf(previous, -1), countsOf(next, 1)));
    return conditionalWrite(() =>
      counterChange
        ? this.db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, counterChange] }))
        : this.db.send(new PutCommand(put)),
    );
  }

  async delete(previous: Task): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.task(previous.accountId, previous.id),
                ConditionExpression: '#v = :expected',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': previous.version },
              },
            },
            counterUpdate(this.tableName, previous.accountId, countsOf(previous, -1))!,
          ],
        }),
      ),
    );
  }

  async list(accountId: string, filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
    const res = await queryPage(this.db, this.tableName, planFor(accountId, filter), page);
    return { items: res.items.map(fromItem), total: res.total, nextCursor: res.nextCursor };
  }
}

/** The counters a task contributes to; applied with sign +1 on create, −1 on delete, both on change. */
function countsOf(task: Task, sign: 1 | -1): Record<string, number> {
  return {
    [counters.tasksTotal]: sign,
    [counters.taskStatus(task.status)]: sign,
    [counters.taskPriority(task.priority)]: sign,
  };
}

/**
 * Picks the narrowest index for the filters: status (gsi1), then priority (gsi2), then due date
 * (gsi3), else the account's task range. Remaining filters ride as a FilterExpression on that
 * one partition. Single-dimension lists take their total from the counters item.
 */
export function planFor(accountId: string, filter: TaskFilter): QueryPlan {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const addFilter = (expr: string, name: string, attr: string, value: unknown) => {
    names[name] = attr;
    values[`:${attr}`] = value;
    filters.push(expr);
  };
  const { status, priority, tag, dueBefore } = filter;
  const dimensions = [status, priority, tag, dueBefore].filter((v) => v !== undefined).length;

  let plan: Omit<QueryPlan, 'input'> & { key: string; index?: string; forward: boolean };
  if (status) {
    const value = keys.taskByStatus(accountId, status);
    names['#pk'] = 'gsi1pk';
    values[':pk'] = value;
    plan = {
      key: '#pk = :pk',
      index: 'gsi1',
      forward: false,
      partition: { attr: 'gsi1pk', value },
      keyAttrs: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      counter: dimensions === 1 ? { accountId, attr: counters.taskStatus(status) } : undefined,
    };
    if (priority) addFilter('#priority = :priority', '#priority', 'priority', priority);
    if (dueBefore) addFilter('#due_date < :due_date', '#due_date', 'due_date', dueBefore);
  } else if (priority) {
    const value = keys.taskByPriority(accountId, priority);
    names['#pk'] = 'gsi2pk';
    values[':pk'] = value;
    plan = {
      key: '#pk = :pk',
      index: 'gsi2',
      forward: false,
      partition: { attr: 'gsi2pk', value },
      keyAttrs: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      counter: dimensions === 1 ? { accountId, attr: counters.taskPriority(priority) } : undefined,
    };
    if (dueBefore) addFilter('#due_date < :due_date', '#due_date', 'due_date', dueBefore);
  } else if (dueBefore) {
    const value = keys.taskByDue(accountId);
    names['#pk'] = 'gsi3pk';
    names['#sk'] = 'gsi3sk';
    values[':pk'] = value;
    values[':sk'] = dueBefore;
    plan = {
      key: '#pk = :pk AND #sk < :sk',
      index: 'gsi3',
      forward: true,
      partition: { attr: 'gsi3pk', value },
      keyAttrs: ['pk', 'sk', 'gsi3pk', 'gsi3sk'],
    };
  } else {
    const value = keys.task(accountId, '').pk;
    names['#pk'] = 'pk';
    names['#sk'] = 'sk';
    values[':pk'] = value;
    values[':sk'] = keys.taskPrefix;
    plan = {
      key: '#pk = :pk AND begins_with(#sk, :sk)',
      forward: false,
      partition: { attr: 'pk', value },
      keyAttrs: ['pk', 'sk'],
      counter: tag === undefined ? { accountId, attr: counters.tasksTotal } : undefined,
    };
  }
  if (tag !== undefined) addFilter('contains(#tags, :tags)', '#tags', 'tags', tag);

  return {
    partition: plan.partition,
    keyAttrs: plan.keyAttrs,
    counter: plan.counter,
    input: {
      ...(plan.index ? { IndexName: plan.index } : {}),
      KeyConditionExpression: plan.key,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: plan.forward,
    },
  };
}

function toItem(t: Task): Item {
  return {
    ...keys.task(t.accountId, t.id),
    entity: 'task',
    gsi1pk: keys.taskByStatus(t.accountId, t.status),
    gsi1sk: t.id,
    gsi2pk: keys.taskByPriority(t.accountId, t.priority),
    gsi2sk: t.id,
    ...(t.dueDate ? { gsi3pk: keys.taskByDue(t.accountId), gsi3sk: `${t.dueDate}#${t.id}` } : {}),
    id: t.id,
    account_id: t.accountId,
    name: t.name,
    description: t.description,
    status: t.status,
    priority: t.priority,
    due_date: t.dueDate,
    tags: [...t.tags],
    created_by: t.createdBy,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
  };
}

function fromItem(i: Item): Task {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    name: String(i.name),
    description: (i.description as string | null | undefined) ?? null,
    status: i.status as Task['status'],
    priority: i.priority as Task['priority'],
    dueDate: (i.due_date as string | null | undefined) ?? null,
    tags: (i.tags as string[] | undefined) ?? [],
    createdBy: (i.created_by as string | null | undefined) ?? null,
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    version: Number(i.version),
  };
}

/** The item → Task conversion, shared with the change stream's decoder (stream-changes.ts). */
export { fromItem as taskFromItem };
