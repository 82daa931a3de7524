import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRecords, MAX_QUERY_PAGES, UNPROCESSED_ATTEMPTS } from '../../../../functions/adapters/etl/dynamodb-records.ts';
import { DataFailure } from '../../../../functions/core/etl/ports.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const mock = mockClient(db);
beforeEach(() => mock.reset());
const TABLE = 'stepwise-dev-data_acct_1-events';

describe('DynamoRecords (an account’s own table)', () => {
  it('reads a table with Scan, a page per batch, following LastEvaluatedKey', async () => {
    mock
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ pk: 'a', n: 1 }, { pk: 'b', n: 2 }], LastEvaluatedKey: { pk: 'b' } })
      .resolvesOnce({ Items: [{ pk: 'c', n: 3 }] });
    const reader = await new DynamoRecords(db).read(TABLE, { format: 'json', batchSize: 2 });
    const rows: unknown[] = [];
    for await (const batch of reader.batches) rows.push(batch.map((i) => ('record' in i ? i.record : i)));
    expect(rows).toEqual([[{ pk: 'a', n: 1 }, { pk: 'b', n: 2 }], [{ pk: 'c', n: 3 }]]);
    expect(mock.commandCalls(ScanCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: TABLE, Limit: 2, ExclusiveStartKey: undefined },
      { TableName: TABLE, Limit: 2, ExclusiveStartKey: { pk: 'b' } },
    ]);
    expect(reader.bytesRead()).toBeGreaterThan(0);
  });

  it('writes with BatchWrite in requests of 25, retrying UnprocessedItems (their attributes in another order) until they are written', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ pk: `k${i}`, n: i }));
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { n: 3, pk: 'k3' } } }] } })
      .resolvesOnce({})
      .resolves({});
    const writer = await new DynamoRecords(db).write(TABLE);
    expect(await writer.write(records)).toEqual([]);
    const calls = mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems![TABLE]!.map((r) => r.PutRequest!.Item!.pk));
    expect(calls).toEqual([records.slice(0, 25).map((r) => r.pk), ['k3'], records.slice(25).map((r) => r.pk)]);
    expect((await writer.close()).bytesWritten).toBe(records.reduce((n, r) => n + JSON.stringify(r).length, 0));
  });

  it('items still unprocessed after every retry come back as failed records; one invalid item is isolated from its batch', async () => {
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> }) => {
      const items = input.RequestItems[TABLE]!;
      if (items.some((i) => i.PutRequest.Item.pk === undefined)) throw Object.assign(new Error('One of the required keys was not given a value'), { name: 'ValidationException' });
      return { UnprocessedItems: { [TABLE]: items.filter((i) => i.PutRequest.Item.pk === 'slow') } };
    });
    const writer = await new DynamoRecords(db).write(TABLE);
    const refused = await writer.write([{ pk: 'a' }, { nokey: true }, { pk: 'slow' }]);
    expect(refused).toEqual([
      { index: 1, error: `dynamodb://${TABLE}: One of the required keys was not given a value` },
      { index: 2, error: `not written after ${UNPROCESSED_ATTEMPTS} attempts (the table's write capacity)` },
    ]);
  }, 30_000);

  it('fetch_data: Query when the filters name the partition key (the rest a FilterExpression), Scan otherwise, with expression names and values only', async () => {
    mock.on(DescribeTableCommand).resolves({ Table: { KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }] } });
    mock.on(QueryCommand).resolves({ Items: [{ customer: 'c1', at: '1', status: 'open' }] });
    mock.on(ScanCommand).resolvesOnce({ Items: [{ customer: 'c1' }], LastEvaluatedKey: { customer: 'c1' } }).resolvesOnce({ Items: [{ customer: 'c2' }, { customer: 'c3' }] });
    const store = new DynamoRecords(db);
    expect(await store.query(TABLE, { customer: "c1' OR 1=1", status: 'open' }, 100)).toEqual({ records: [{ customer: 'c1', at: '1', status: 'open' }], operation: 'Query' });
    expect(mock.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        KeyConditionExpression: '#k0 = :k0',
        FilterExpression: '#f0 = :f0',
        ExpressionAttributeNames: { '#k0': 'customer', '#f0': 'status' },
        ExpressionAttributeValues: { ':k0': "c1' OR 1=1", ':f0': 'open' },
        ExclusiveStartKey: undefined,
      },
    ]);
    expect(await store.query(TABLE, { region: null }, 2)).toEqual({ records: [{ customer: 'c1' }, { customer: 'c2' }], operation: 'Scan' });
    expect(mock.commandCalls(ScanCommand).map((c) => c.args[0].input)[0]).toEqual({
      TableName: TABLE,
      FilterExpression: '(attribute_not_exists(#f0) OR #f0 = :f0)',
      ExpressionAttributeNames: { '#f0': 'region' },
      ExpressionAttributeValues: { ':f0': null },
      ExclusiveStartKey: undefined,
    });
    expect(mock.commandCalls(DescribeTableCommand).map((c) => c.args[0].input)).toEqual([{ TableName: TABLE }, { TableName: TABLE }]);
  });

  it('fetch_data stops after 100 pages of a Scan that keeps finding too little, saying how to narrow it', async () => {
    mock.on(DescribeTableCommand).resolves({ Table: { KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }] } });
    mock.on(ScanCommand).resolves({ Items: [], LastEvaluatedKey: { customer: 'next' } });
    const error = await new DynamoRecords(db).query(TABLE, { status: 'rare' }, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFailure);
    expect(error).toMatchObject({ kind: 'invalid', message: `dynamodb://${TABLE}: ${MAX_QUERY_PAGES} pages read (about ${MAX_QUERY_PAGES} MB) with 0 of 10 records found; name the partition key in filters (a Query) or use etl, which streams the table` });
    expect(mock.commandCalls(ScanCommand)).toHaveLength(MAX_QUERY_PAGES);
  });

  it('a missing table is a not_found DataFailure', async () => {
    mock.on(DescribeTableCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    const error = await new DynamoRecords(db).query('nope-table', {}, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFailure);
    expect(error).toMatchObject({ kind: 'not_found', message: 'dynamodb://nope-table does not exist' });
  });
});
