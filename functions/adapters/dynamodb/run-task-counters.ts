import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { COUNTED_ENTITIES } from '../../../lib/definitions/change-stream.ts';
import { RUN_TASK_STATUSES, type RunTaskStatus } from '../../core/executions/execution.ts';
import { counterUpdate, mergeDeltas } from './counters.ts';
import { isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { counters, keys } from './keys.ts';
import { forEachPage } from './paging.ts';
import { fromImage } from './stream-changes.ts';

type Item = Record<string, unknown>;
type CountedEntity = (typeof COUNTED_ENTITIES)[number];

/**
 * Which account counters a record's status feeds: a task item feeds `run_tasks_status_*`; an
 * attempt record (the task item of a node outside any map, or one map iteration's item) feeds the
 * workers counters while it is `running` (an attempt executing) or `retrying` (waiting out a backoff).
 */
export interface Counted {
  readonly task: boolean;
  readonly attempt: boolean;
}

const workerCounter = (status: string | undefined) => (status === 'running' ? counters.workersActive : status === 'retrying' ? counters.workersIdle : undefined);

/** The counter deltas of one record moving from `from` to `to` (undefined: it did not exist, or no longer does). */
export function statusMoveDeltas(from: string | undefined, to: string | undefined, counted: Counted): Record<string, number> {
  if (from === to) return {};
  const parts: Record<string, number>[] = [];
  if (counted.task) {
    if (from !== undefined) parts.push({ [counters.runTaskStatus(from as RunTaskStatus)]: -1 });
    if (to !== undefined) parts.push({ [counters.runTaskStatus(to as RunTaskStatus)]: 1 });
    if (from === undefined || to === undefined) parts.push({ [counters.runTasksTotal]: from === undefined ? 1 : -1 });
  }
  if (counted.attempt) {
    const before = workerCounter(from);
    const after = workerCounter(to);
    if (before) parts.push({ [before]: -1 });
    if (after) parts.push({ [after]: 1 });
  }
  return Object.fromEntries(Object.entries(mergeDeltas(...parts)).filter(([, d]) => d !== 0));
}

/** What each counted item stands for; a map node's task item (`mapped`) keeps its attempts on iteration items. */
const COUNTED: Record<CountedEntity, (item: Item) => Counted> = {
  run_task: (item) => ({ task: true, attempt: item.mapped !== true }),
  run_iteration: () => ({ task: false, attempt: true }),
};

const ACCOUNT_PREFIX = keys.accountPrefix('');

/**
 * The counted entity an image names. Only one image need name it: an iteration item written before
 * iterations named their entity gets the name at its next begin, and its old image still tells the
 * status its earlier attempt counted.
 */
function entityOf(image: Item | undefined): CountedEntity | undefined {
  const named = image?.entity;
  return typeof named === 'string' && Object.hasOwn(COUNTED, named) ? (named as CountedEntity) : undefined;
}

/**
 * The counter move one change-stream record stands for: exactly its item's old status → new status,
 * an insert adding to the task total and a removal (an iteration's first attempt undone, or the
 * account deleted) taking back what the item counted. The counters follow the stream, not the
 * writers, so a node's writes carry no counter request (docs/architecture.md#counters-follow-the-change-stream).
 */
export function counterMoveOf(record: DynamoDBRecord): { accountId: string; deltas: Record<string, number> } | undefined {
  const images = record.dynamodb;
  const item = images?.NewImage ? fromImage(images.NewImage) : undefined;
  const old = images?.OldImage ? fromImage(images.OldImage) : undefined;
  const entity = entityOf(item) ?? entityOf(old);
  const pk = String((item ?? old)?.pk ?? '');
  if (!entity || !pk.startsWith(ACCOUNT_PREFIX)) return undefined;
  const statusOf = (i: Item | undefined) => (typeof i?.status === 'string' ? i.status : undefined);
  // A map node's task item turns `mapped` in the write that starts its first iteration; from then on it is no attempt.
  const counted = COUNTED[entity](old?.mapped === true || !item ? old! : item);
  const deltas = statusMoveDeltas(statusOf(old), statusOf(item), counted);
  return Object.keys(deltas).length ? { accountId: pk.slice(ACCOUNT_PREFIX.length), deltas } : undefined;
}

const CONFLICT_RETRIES = 8;

/**
 * The change stream's counter writes: each account's moves of one batch in one ADD to its COUNTERS
 * item. The item exists from the account's first run (the execution's own transaction adds to it),
 * so a move for an account deleted meanwhile is dropped instead of bringing the item back. A plain
 * write is refused while a transaction (a task create, an execution transition) holds the item, and
 * the SDK does not retry that, so this does, with jittered backoff; a plain write never cancels
 * those transactions.
 */
export class StreamCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  moveOf(record: DynamoDBRecord): { accountId: string; deltas: Record<string, number> } | undefined {
    return counterMoveOf(record);
  }

  async add(accountId: string, deltas: Record<string, number>): Promise<void> {
    const update = counterUpdate(this.tableName, accountId, deltas)?.Update;
    if (!update) return;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.db.send(new UpdateCommand({ ...(update as UpdateCommandInput), ConditionExpression: 'attribute_exists(pk)' }));
        return;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return;
        if (!isTransactionConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
      }
    }
  }
}

/** Every counter the stream moves, so a recount sets each of them, zeros included. */
const STREAM_COUNTERS = [counters.runTasksTotal, ...RUN_TASK_STATUSES.map((s) => counters.runTaskStatus(s)), counters.workersActive, counters.workersIdle];

/**
 * Sets an account's workflow-task and workers counters to what its items say now: every task item
 * and map iteration read (the same `statusMoveDeltas` the stream uses, from nothing to each item's
 * status) and the sums written with one SET. For the deploy that moves counting to the stream, and
 * whenever a counter is known to have drifted (docs/deploy.md#recounting-the-run-counters). A move
 * the stream adds between the read and the SET is lost, so run it while no run is in flight.
 */
export class RunCounterRecount {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every account's id, from the accounts index. */
  async accounts(): Promise<string[]> {
    const ids: string[] = [];
    await forEachPage(
      this.db,
      { TableName: this.tableName, IndexName: 'gsi1', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi1pk' }, ExpressionAttributeValues: { ':pk': keys.allAccounts }, ProjectionExpression: 'pk' },
      async (items) => void ids.push(...items.map((i) => String(i.pk).slice(ACCOUNT_PREFIX.length))),
    );
    return ids;
  }

  /** What the counters should hold: every counter of the family, from the account's items. */
  async count(accountId: string): Promise<Record<string, number>> {
    const moves: Record<string, number>[] = [];
    // Iterations are counted by their key: those written before they named their entity too.
    for (const [prefix, entity] of [[keys.runTaskPrefix, 'run_task'], [keys.runIterationPrefix, 'run_iteration']] as const) {
      await forEachPage(
        this.db,
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': prefix },
          ProjectionExpression: '#s, mapped',
        },
        async (items) => void moves.push(...items.filter((i) => typeof i.status === 'string').map((i) => statusMoveDeltas(undefined, String(i.status), COUNTED[entity](i)))),
      );
    }
    const counted = mergeDeltas(...moves);
    return Object.fromEntries(STREAM_COUNTERS.map((attr) => [attr, counted[attr] ?? 0]));
  }

  /** What the counters hold now (a missing one is 0). */
  async current(accountId: string): Promise<Record<string, number>> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.counters(accountId), ConsistentRead: true }));
    return Object.fromEntries(STREAM_COUNTERS.map((attr) => [attr, Number(out.Item?.[attr] ?? 0)]));
  }

  /** Writes `counts` over the counters, if the account still has its COUNTERS item. */
  async set(accountId: string, counts: Record<string, number>): Promise<void> {
    const entries = Object.entries(counts);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.counters(accountId),
          UpdateExpression: `SET ${entries.map((_, i) => `#c${i} = :c${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([attr], i) => [`#c${i}`, attr])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
        }),
      );
    } catch (error) {
      // No run was ever started in the account: nothing to set.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
