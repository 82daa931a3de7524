import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_ATTEMPTS = 7;

type WriteRequest = { DeleteRequest: { Key: { pk: string; sk: string } } } | { PutRequest: { Item: Record<string, unknown> } };

/**
 * Writes in BatchWriteItem chunks of 25, retrying unprocessed items with exponential backoff
 * (DynamoDB returns them under throttling), and fails loudly rather than leave some behind.
 */
async function batchWrite(db: DynamoDBDocumentClient, tableName: string, all: readonly WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < all.length; i += 25) chunks.push(all.slice(i, i + 25));
  await Promise.all(
    chunks.map(async (chunk) => {
      let requests = chunk;
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB kept ${requests.length} items unprocessed`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (res.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      }
    }),
  );
}

export function batchDelete(db: DynamoDBDocumentClient, tableName: string, keyList: readonly { pk: string; sk: string }[]): Promise<void> {
  return batchWrite(db, tableName, keyList.map((Key) => ({ DeleteRequest: { Key } })));
}

export function batchPut(db: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  return batchWrite(db, tableName, items.map((Item) => ({ PutRequest: { Item } })));
}

/** Reads items by key in BatchGetItem chunks of 100, retrying unprocessed keys with backoff; missing items are simply absent. */
export async function batchGet(db: DynamoDBDocumentClient, tableName: string, keyList: readonly { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let request: Record<string, unknown>[] | undefined = keyList.slice(i, i + 100).map((k) => ({ ...k }));
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB kept ${request.length} keys unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const res = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request } } }));
      out.push(...(res.Responses?.[tableName] ?? []));
      request = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}
