import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { TABLE } from '../../../../lib/definitions/table.ts';

const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });
/** A described table has every index of the shared definition (but those named in `without`). */
const indexes = (without: string[] = []) => TABLE.globalSecondaryIndexes.filter((g) => !without.includes(g.indexName)).map((g) => ({ IndexName: g.indexName }));
const inUse = Object.assign(new Error('Table already exists'), { name: 'ResourceInUseException' });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED' } });
});

describe('ensureTable: indexes added since a data dir was made', () => {
  it('creates a missing index (gsi4, child executions) on an existing table, one per update', async () => {
    dynamo.on(CreateTableCommand).rejects(inUse);
    dynamo.on(DescribeTableCommand).resolves({ Table: { GlobalSecondaryIndexes: indexes(['gsi4']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
    await ensureTable(client, 'stepwise-local');
    expect(dynamo.commandCalls(UpdateTableCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'stepwise-local',
        AttributeDefinitions: [
          { AttributeName: 'gsi4pk', AttributeType: 'S' },
          { AttributeName: 'gsi4sk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'gsi4', KeySchema: [{ AttributeName: 'gsi4pk', KeyType: 'HASH' }, { AttributeName: 'gsi4sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } } }],
      },
    ]);
  });
});

describe('ensureTable: the change stream', () => {
  it('creates the table with the stream of the shared definition (both images)', async () => {
    dynamo.on(CreateTableCommand).resolves({});
    dynamo.on(DescribeTableCommand).resolves({ Table: { GlobalSecondaryIndexes: indexes(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
    await ensureTable(client, 'stepwise-local');
    expect(dynamo.commandCalls(CreateTableCommand)[0]!.args[0].input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: TABLE.streamViewType });
    expect(TABLE.streamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(dynamo.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('turns the stream on for a table made before it existed', async () => {
    dynamo.on(CreateTableCommand).rejects(inUse);
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableName: 'stepwise-local', GlobalSecondaryIndexes: indexes() } });
    await ensureTable(client, 'stepwise-local');
    expect(dynamo.commandCalls(UpdateTableCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'stepwise-local', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    ]);
  });

  it('leaves an existing stream alone (enabling it twice is an error)', async () => {
    dynamo.on(CreateTableCommand).rejects(inUse);
    dynamo.on(DescribeTableCommand).resolves({ Table: { GlobalSecondaryIndexes: indexes(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
    await ensureTable(client, 'stepwise-local');
    expect(dynamo.commandCalls(UpdateTableCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });
});
