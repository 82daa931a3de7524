import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DataFailure, type DataRecord, type Filters, type ReadOptions, type RecordReader, type RecordWriter } from '../../core/etl/ports.ts';
import { canonical } from '../../core/etl/transformations.ts';

/** BatchWriteItem takes at most 25 items. */
const BATCH_WRITE_ITEMS = 25;
/** Rounds of retrying UnprocessedItems (exponential backoff from 50 ms, capped at 2 s) before the items count as failed. */
/** fetch_data reads at most this many pages of Query or Scan (each at most 1 MB). */
export const MAX_QUERY_PAGES = 100;
export const UNPROCESSED_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dynamoFailure(error: unknown, table: string): DataFailure {
  if (error instanceof DataFailure) return error;
  const e = error as { name?: string; message?: string };
  if (e.name === 'AbortError') return new DataFailure('aborted', 'the run was cancelled');
  if (e.name === 'ResourceNotFoundException') return new DataFailure('not_found', `dynamodb://${table} does not exist`);
  if (e.name === 'AccessDeniedException') return new DataFailure('blocked', `dynamodb://${table}: access denied`);
  if (e.name === 'ValidationException') return new DataFailure('invalid', `dynamodb://${table}: ${e.message ?? 'invalid request'}`);
  return new DataFailure('unavailable', `dynamodb://${table}: ${e.message ?? e.name ?? 'error'}`);
}

/** Expression names and values for equality filters: `#f0 = :f0 AND …`, never built from the values. */
function conditions(filters: Filters, prefix: string): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(filters).map(([attribute, value], i) => {
    names[`#${prefix}${i}`] = attribute;
    values[`:${prefix}${i}`] = value;
    return value === null ? `(attribute_not_exists(#${prefix}${i}) OR #${prefix}${i} = :${prefix}${i})` : `#${prefix}${i} = :${prefix}${i}`;
  });
  return { expression: parts.join(' AND '), names, values };
}

/** A user's own DynamoDB tables (never Stepwise's: core refuses it by name) as records. */
export class DynamoRecords {
  constructor(private readonly db: DynamoDBDocumentClient) {}

  async read(table: string, options: ReadOptions): Promise<RecordReader> {
    let bytes = 0;
    const db = this.db;
    const batches = (async function* () {
      let start: Record<string, unknown> | undefined;
      let row = 0;
      do {
        let page;
        try {
          page = await db.send(new ScanCommand({ TableName: table, Limit: options.batchSize, ExclusiveStartKey: start }), { abortSignal: options.signal });
        } catch (error) {
          throw dynamoFailure(error, table);
        }
        const items = (page.Items ?? []) as DataRecord[];
        if (items.length > 0) {
          yield items.map((record) => {
            bytes += Buffer.byteLength(JSON.stringify(record));
            return { row: ++row, record };
          });
        }
        start = page.LastEvaluatedKey;
      } while (start);
    })();
    return { batches, bytesRead: () => bytes };
  }

  async write(table: string, signal?: AbortSignal): Promise<RecordWriter> {
    let written = 0;
    const putAll = async (items: { record: DataRecord; index: number }[]): Promise<{ index: number; error: string }[]> => {
      let pending = items;
      for (let attempt = 0; pending.length > 0 && attempt < UNPROCESSED_ATTEMPTS; attempt++) {
        if (attempt > 0) await sleep(Math.min(2_000, 50 * 2 ** (attempt - 1)));
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [table]: pending.map((p) => ({ PutRequest: { Item: p.record } })) } }), { abortSignal: signal });
        // The document client hands back its own (unmarshalled) copies, their attributes in any order:
        // what is left is matched by content with sorted keys, never by JSON.stringify's insertion order.
        const unprocessed = new Set((res.UnprocessedItems?.[table] ?? []).map((r) => canonical(r.PutRequest?.Item)));
        const left = pending.filter((p) => unprocessed.has(canonical(p.record)));
        for (const done of pending) if (!left.includes(done)) written += Buffer.byteLength(JSON.stringify(done.record));
        pending = left;
      }
      return pending.map((p) => ({ index: p.index, error: `not written after ${UNPROCESSED_ATTEMPTS} attempts (the table's write capacity)` }));
    };
    return {
      write: async (records) => {
        const refused: { index: number; error: string }[] = [];
        for (let i = 0; i < records.length; i += BATCH_WRITE_ITEMS) {
          const chunk = records.slice(i, i + BATCH_WRITE_ITEMS).map((record, j) => ({ record, index: i + j }));
          try {
            refused.push(...(await putAll(chunk)));
          } catch (error) {
            const failure = dynamoFailure(error, table);
            if (failure.kind !== 'invalid') throw failure;
            // One item without the key (or too large) refuses the request: one by one, the rest still go in.
            for (const item of chunk) {
              try {
                refused.push(...(await putAll([item])));
              } catch (itemError) {
                const itemFailure = dynamoFailure(itemError, table);
                if (itemFailure.kind !== 'invalid') throw itemFailure;
                refused.push({ index: item.index, error: itemFailure.message });
              }
            }
          }
        }
        return refused;
      },
      close: async () => ({ bytesWritten: written }),
      abort: async () => undefined,
    };
  }

  /** Query when the filters name the partition key (and the sort key with it, when given), else Scan; the other filters become a FilterExpression. */
  async query(table: string, filters: Filters, limit: number, signal?: AbortSignal): Promise<{ records: DataRecord[]; operation: 'Query' | 'Scan' }> {
    let keys: { name: string; type: string }[];
    try {
      const described = await this.db.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal });
      keys = (described.Table?.KeySchema ?? []).map((k) => ({ name: k.AttributeName!, type: k.KeyType! }));
    } catch (error) {
      throw dynamoFailure(error, table);
    }
    const hash = keys.find((k) => k.type === 'HASH')?.name;
    const range = keys.find((k) => k.type === 'RANGE')?.name;
    const useQuery = hash !== undefined && filters[hash] !== undefined && filters[hash] !== null;
    const keyFilters: Filters = {};
    const rest: Filters = { ...filters };
    if (useQuery) {
      for (const name of [hash, range]) {
        if (name !== undefined && rest[name] !== undefined && rest[name] !== null) {
          keyFilters[name] = rest[name];
          delete rest[name];
        }
      }
    }
    const key = conditions(keyFilters, 'k');
    const filter = conditions(rest, 'f');
    const names = { ...key.names, ...filter.names };
    const values = { ...key.values, ...filter.values };
    const common = {
      TableName: table,
      ...(filter.expression ? { FilterExpression: filter.expression } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    };
    const records: DataRecord[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    try {
      do {
        // A filter that matches little would otherwise read the whole table (1 MB a page).
        if (++pages > MAX_QUERY_PAGES) {
          throw new DataFailure('invalid', `dynamodb://${table}: ${MAX_QUERY_PAGES} pages read (about ${MAX_QUERY_PAGES} MB) with ${records.length} of ${limit} records found; name the partition key in filters (a Query) or use etl, which streams the table`);
        }
        const page = useQuery
          ? await this.db.send(new QueryCommand({ ...common, KeyConditionExpression: key.expression, ExclusiveStartKey: start }), { abortSignal: signal })
          : await this.db.send(new ScanCommand({ ...common, ExclusiveStartKey: start }), { abortSignal: signal });
        records.push(...((page.Items ?? []) as DataRecord[]));
        start = page.LastEvaluatedKey;
      } while (start && records.length < limit);
    } catch (error) {
      if (error instanceof DataFailure) throw error;
      throw dynamoFailure(error, table);
    }
    return { records: records.slice(0, limit), operation: useQuery ? 'Query' : 'Scan' };
  }
}
