import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RunTaskStatus } from '../../core/executions/execution.ts';
import { counterUpdate, mergeDeltas } from './counters.ts';
import { isTransactionConflict } from './errors.ts';
import { counters } from './keys.ts';

type Item = Record<string, unknown>;

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

/** The counter deltas of one record moving from `from` (undefined: it did not exist) to `to`. */
export function statusMoveDeltas(from: string | undefined, to: string, counted: Counted): Record<string, number> {
  if (from === to) return {};
  const parts: Record<string, number>[] = [];
  if (counted.task) {
    if (from !== undefined) parts.push({ [counters.runTaskStatus(from as RunTaskStatus)]: -1 });
    parts.push({ [counters.runTaskStatus(to as RunTaskStatus)]: 1 });
  }
  if (counted.attempt) {
    const before = workerCounter(from);
    const after = workerCounter(to);
    if (before) parts.push({ [before]: -1 });
    if (after) parts.push({ [after]: 1 });
  }
  return Object.fromEntries(Object.entries(mergeDeltas(...parts)).filter(([, d]) => d !== 0));
}

const CONFLICT_RETRIES = 8;

/**
 * ADDs to the COUNTERS item outside a transaction. A plain write is refused while a transaction
 * (a task create, an execution transition) holds the item, and the SDK does not retry that, so
 * this does, with jittered backoff; a plain write never cancels those transactions.
 */
export async function addToCounters(db: DynamoDBDocumentClient, tableName: string, accountId: string, deltas: Record<string, number>): Promise<void> {
  const update = counterUpdate(tableName, accountId, deltas)?.Update;
  if (!update) return;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await db.send(new UpdateCommand(update as UpdateCommandInput));
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/**
 * A status write and its counter move. The update returns the record's previous attributes
 * (ALL_OLD: read in the same atomic write), so the move is exactly old → new of this write: a
 * repeated write (a retry, a duplicate invocation) finds the status already set and moves nothing,
 * and concurrent writers each move their own transition. The counter ADD is a second request; it
 * is retried, and only a process dying between the two leaves a counter one off.
 */
export async function writeStatus(
  db: DynamoDBDocumentClient,
  tableName: string,
  accountId: string,
  input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>,
  to: string,
  counted: Counted | ((previous: Item | undefined) => Counted),
): Promise<Item | undefined> {
  const out = await db.send(new UpdateCommand({ ...input, TableName: tableName, ReturnValues: 'ALL_OLD' }));
  const previous = out.Attributes;
  const from = previous?.status as string | undefined;
  await addToCounters(db, tableName, accountId, statusMoveDeltas(from, to, typeof counted === 'function' ? counted(previous) : counted));
  return previous;
}
