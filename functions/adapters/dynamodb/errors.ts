import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** SDK error translation lives here so no other layer needs to know DynamoDB's error names. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

const WIRE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
const isWireValue = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && WIRE_TYPES.has(Object.keys(v)[0]!);

/**
 * The item a refused conditional write returned (ReturnValuesOnConditionCheckFailure: ALL_OLD),
 * as plain values. The document client leaves it on the error in wire form (`{n: {N: "5"}}`).
 */
export function refusedItem(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Record<string, unknown> } | undefined)?.Item;
  if (!item) return undefined;
  return Object.values(item).every(isWireValue) ? unmarshall(item as Record<string, AttributeValue>) : item;
}

/** For a cancelled transaction: the indexes of the items whose condition failed. */
export function failedConditionIndexes(error: unknown): number[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  const reasons = e.CancellationReasons ?? [];
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return undefined;
  const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
  return failed.length > 0 ? failed : undefined;
}

/** Transaction conflicts are a race with another writer, which callers treat like a stale version. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  return (
    e?.name === 'TransactionConflictException' ||
    (e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
  );
}

/** A conditional write: true when it went through, false when its condition (or the transaction) refused it. */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error) || failedConditionIndexes(error) || isTransactionConflict(error)) return false;
    throw error;
  }
}

/** A targeted write whose condition failing means there is nothing left to do. */
export async function ignoreConditionFailure(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
