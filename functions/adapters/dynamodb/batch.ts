import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_ATTEMPTS = 7;

/**
 * Deletes keys in BatchWriteItem chunks of 25, retrying unprocessed items with exponential
 * backoff (DynamoDB returns them under throttling), and fails loudly rather than leave some behind.
 */
export async function batchDelete(db: DynamoDBDocumentClient, tableName: string, keyList: readonly { pk: string; sk: string }[]): Promise<void> {
  for (let i = 0; i < keyList.length; i += 25) {
    let requests = keyList.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB kept ${requests.length} items unprocessed while deleting`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (res.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}
