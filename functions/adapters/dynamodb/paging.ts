import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationError } from '../../core/errors.ts';
import type { PageRequest } from '../../core/pagination.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** A list query: key condition on one partition, optional filter, and where its exact total comes from. */
export interface QueryPlan {
  readonly input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit' | 'Select'>;
  /** The partition-key attribute and value the plan reads; a cursor must stay inside it. */
  readonly partition: { readonly attr: string; readonly value: string };
  /** Attributes that make up a LastEvaluatedKey for this index. */
  readonly keyAttrs: readonly string[];
  /** COUNTERS attribute holding this plan's exact total, when one exists. */
  readonly counter?: { readonly accountId: string; readonly attr: string } | undefined;
}

const FILTERED_PAGE_SIZE = 500;

/**
 * Runs a plan for one page: offset or cursor, `limit` items, plus the exact total. The total comes
 * from the counters item when the plan has one, otherwise from a COUNT query of the same key range.
 */
export async function queryPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  plan: QueryPlan,
  page: PageRequest,
): Promise<{ items: Item[]; total: number; nextCursor: string | undefined }> {
  const startKey = page.cursor ? decodeCursor(page.cursor, plan) : undefined;
  const skip = page.cursor ? 0 : page.offset;
  const [collected, total] = await Promise.all([
    collect(db, tableName, plan, startKey, skip, page.limit).catch((error: unknown) => {
      // A forged cursor can still name a key outside the key condition; DynamoDB rejects it.
      if (startKey && (error as { name?: string }).name === 'ValidationException') {
        throw validationError('cursor', 'The cursor does not belong to this list');
      }
      throw error;
    }),
    countOf(db, tableName, plan),
  ]);
  return { ...collected, total };
}

async function collect(
  db: DynamoDBDocumentClient,
  tableName: string,
  plan: QueryPlan,
  startKey: Item | undefined,
  skip: number,
  take: number,
): Promise<{ items: Item[]; nextCursor: string | undefined }> {
  const out: Item[] = [];
  let skipped = 0;
  let key = startKey;
  // Read one item past the page so `has_more` is exact, not a guess.
  while (out.length <= take) {
    const wanted = skip - skipped + take + 1 - out.length;
    const res = await db.send(
      new QueryCommand({
        ...plan.input,
        TableName: tableName,
        ExclusiveStartKey: key,
        Limit: plan.input.FilterExpression ? FILTERED_PAGE_SIZE : Math.min(wanted, 1000),
      }),
    );
    for (const item of res.Items ?? []) {
      if (skipped < skip) skipped++;
      else if (out.length <= take) out.push(item);
    }
    key = res.LastEvaluatedKey;
    if (!key) break;
  }
  const items = out.slice(0, take);
  const last = items.at(-1);
  const nextCursor = out.length > take && last ? encodeCursor(plan, last) : undefined;
  return { items, nextCursor };
}

async function countOf(db: DynamoDBDocumentClient, tableName: string, plan: QueryPlan): Promise<number> {
  if (plan.counter) {
    const res = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.counters(plan.counter.accountId),
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': plan.counter.attr },
      }),
    );
    return Math.max(0, Number(res.Item?.[plan.counter.attr] ?? 0));
  }
  let total = 0;
  let key: Item | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...plan.input, TableName: tableName, Select: 'COUNT', ExclusiveStartKey: key }));
    total += res.Count ?? 0;
    key = res.LastEvaluatedKey;
  } while (key);
  return total;
}

function encodeCursor(plan: QueryPlan, item: Item): string {
  const key = Object.fromEntries(plan.keyAttrs.map((a) => [a, item[a]]));
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor is client-supplied: it must decode to a key inside this plan's partition, or it is rejected. */
function decodeCursor(cursor: string, plan: QueryPlan): Item {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw validationError('cursor', 'The cursor is not valid');
  }
  const record = key as Item | null;
  const valid =
    record !== null &&
    typeof record === 'object' &&
    record[plan.partition.attr] === plan.partition.value &&
    plan.keyAttrs.every((a) => typeof record[a] === 'string') &&
    Object.keys(record).length === plan.keyAttrs.length;
  if (!valid) throw validationError('cursor', 'The cursor does not belong to this list');
  return record;
}

/**
 * Runs a query to the end, handing each page's items to `visit` (in order, one page at a time):
 * the shape of every "find all of X, then act on each" path (revocations, cascading deletes).
 */
export async function forEachPage(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  visit: (items: Item[]) => Promise<void>,
): Promise<void> {
  let start: Item | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    await visit(out.Items ?? []);
    start = out.LastEvaluatedKey;
  } while (start);
}
