import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoTaskRepository } from '../../../../functions/adapters/dynamodb/task-repository.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createJsonLogger } from '../../../../functions/adapters/logging/json-logger.ts';
import { LocalBus, type BusEvent } from '../../../../functions/adapters/local/local-bus.ts';
import { LocalTableStream, type StreamHandler } from '../../../../functions/adapters/local/local-table-stream.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { eventId } from '../../../../functions/core/events/change-feed.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { Task } from '../../../../functions/core/tasks/task.ts';
import { isEventSourceRecord } from '../../../../lib/definitions/change-stream.ts';
import { ALL_DOMAIN_EVENTS } from '../../../../lib/definitions/event-patterns.ts';
import { parseConfig } from '../../../../functions/root/config.ts';
import { createHandler } from '../../../../functions/root/handlers/event-stream.ts';
import { localPlatform } from '../../../../functions/root/local.ts';
import { createStepwise } from '../../../../functions/root/stepwise.ts';

/** Local mode's event source mapping against DynamoDB Local's real stream. */
describe('LocalTableStream (DynamoDB Local)', () => {
  const endpoint = inject('dynamoEndpoint');
  const settings = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = new DynamoDBClient(settings);
  const streams = new DynamoDBStreamsClient(settings);
  const db = createDocumentClient({ region: 'us-east-1', endpoint });
  const running: LocalTableStream[] = [];
  let tables = 0;

  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(() => {
    dynamo.destroy();
    streams.destroy();
    db.destroy();
  });

  const newTable = async () => {
    const name = `stream-int-${Date.now()}-${(tables += 1)}`;
    await ensureTable(dynamo, name);
    return name;
  };
  const start = async (tableName: string, handler: StreamHandler, extra: Partial<ConstructorParameters<typeof LocalTableStream>[0]> = {}) => {
    const stream = new LocalTableStream({ dynamo, streams, tableName, handler, filter: (r) => isEventSourceRecord(r), retryDelayMs: 20, idlePollMs: 20, ...extra });
    await stream.start();
    running.push(stream);
    return stream;
  };
  const task = (accountId: string, name: string): Task => {
    const now = new Date().toISOString();
    return { id: newId('task'), accountId, name, description: null, status: 'pending', priority: 'medium', dueDate: null, tags: [], createdBy: null, createdAt: now, updatedAt: now, version: 1 };
  };
  const taskRecords = (batches: DynamoDBRecord[][]) => batches.flat().filter((r) => r.dynamodb?.NewImage?.entity?.S === 'task' || r.dynamodb?.OldImage?.entity?.S === 'task');

  it('ensureTable turns the stream on for a table created without one', async () => {
    const name = `stream-int-legacy-${Date.now()}`;
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    await ensureTable(dynamo, name);
    await ensureTable(dynamo, name);
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toBeDefined();
  });

  it('keeps empty maps as maps (the streams client decodes `{M: {}}` as `{}`)', async () => {
    const tableName = await newTable();
    const batches: DynamoDBRecord[][] = [];
    await start(tableName, async (event) => {
      batches.push(event.Records);
    });
    const accountId = newId('account');
    const written = task(accountId, 'Empty map');
    await new DynamoTaskRepository(db, tableName).create(written);
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: `ACCT#${accountId}`, sk: `TASK#${written.id}`, entity: 'task', payload: {}, list: [] } }));
    await vi.waitFor(() => expect(taskRecords(batches)).toHaveLength(2), { timeout: 10_000, interval: 20 });
    const image = taskRecords(batches)[1]!.dynamodb!.NewImage!;
    expect(image.payload).toEqual({ M: {} });
    expect(image.list).toEqual({ L: [] });
  });

  it('a task written through the repository reaches the handler as an INSERT in Lambda’s record shape; the counters item is filtered out', async () => {
    const tableName = await newTable();
    const batches: DynamoDBRecord[][] = [];
    await start(tableName, async (event) => {
      batches.push(event.Records);
    });
    const accountId = newId('account');
    const written = task(accountId, 'Write report');
    await new DynamoTaskRepository(db, tableName).create(written);

    await vi.waitFor(() => expect(taskRecords(batches)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const [record] = taskRecords(batches);
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      eventSourceARN: Table!.LatestStreamArn,
      dynamodb: {
        Keys: { pk: { S: `ACCT#${accountId}` }, sk: { S: `TASK#${written.id}` } },
        NewImage: { entity: { S: 'task' }, name: { S: 'Write report' }, version: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(record!.eventID).toEqual(expect.any(String));
    expect(record!.dynamodb!.SequenceNumber).toMatch(/^\d+$/);
    expect(record!.dynamodb!.ApproximateCreationDateTime).toBeGreaterThan(1_700_000_000);
    expect(record!.dynamodb!.ApproximateCreationDateTime).toBeLessThan(10_000_000_000);
    // The same transaction bumped the account's COUNTERS item; the filter keeps it from the handler.
    expect(batches.flat().every((r) => isEventSourceRecord(r))).toBe(true);
  });

  it('a record the handler reports as failed comes again, with everything after it, in order', async () => {
    const tableName = await newTable();
    const deliveries: string[] = [];
    let failedOnce = false;
    await start(tableName, async (event): Promise<DynamoDBBatchResponse> => {
      const names = event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!);
      deliveries.push(...names);
      const first = event.Records.findIndex((r) => r.dynamodb!.NewImage!.name!.S === 'one');
      if (!failedOnce && first >= 0) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: event.Records[first]!.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });
    const repo = new DynamoTaskRepository(db, tableName);
    const accountId = newId('account');
    await repo.create(task(accountId, 'one'));
    await repo.create(task(accountId, 'two'));

    await vi.waitFor(() => expect(deliveries.filter((n) => n === 'two').length).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(deliveries.filter((n) => n === 'one')).toHaveLength(2), { timeout: 10_000, interval: 20 });
    // After the failure, `one` comes again before `two` is accepted.
    const lastOne = deliveries.lastIndexOf('one');
    expect(deliveries.slice(lastOne + 1)).toEqual(['two']);
  });

  it('a handler that throws gets the whole batch again', async () => {
    const tableName = await newTable();
    const deliveries: string[] = [];
    let calls = 0;
    await start(tableName, async (event) => {
      calls += 1;
      deliveries.push(...event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!));
      if (calls === 1) throw new Error('handler crashed');
    }, { logger: { error: () => undefined } });
    await new DynamoTaskRepository(db, tableName).create(task(newId('account'), 'only'));
    await vi.waitFor(() => expect(deliveries).toEqual(['only', 'only']), { timeout: 10_000, interval: 20 });
  });

  it('gives up on a record after its retries (as a dead letter would) and goes on', async () => {
    const tableName = await newTable();
    const deliveries: string[] = [];
    const logger = { error: vi.fn() };
    await start(
      tableName,
      async (event) => {
        deliveries.push(...event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!));
        const poison = event.Records.find((r) => r.dynamodb!.NewImage!.name!.S === 'poison');
        return { batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb!.SequenceNumber! }] : [] };
      },
      { retryAttempts: 2, logger },
    );
    const repo = new DynamoTaskRepository(db, tableName);
    await repo.create(task(newId('account'), 'poison'));
    await vi.waitFor(() => expect(deliveries.filter((n) => n === 'poison')).toHaveLength(3), { timeout: 10_000, interval: 20 });
    await repo.create(task(newId('account'), 'next'));
    await vi.waitFor(() => expect(deliveries).toContain('next'), { timeout: 10_000, interval: 20 });
    expect(deliveries.filter((n) => n === 'poison')).toHaveLength(3);
    expect(logger.error).toHaveBeenCalledWith('local table stream: giving up on a record after its retries', expect.objectContaining({ sequence_number: expect.any(String) }));
  });

  it('stop({drain}) still delivers what was written just before, then stops', async () => {
    const tableName = await newTable();
    const names: string[] = [];
    const stream = await start(tableName, async (event) => {
      names.push(...event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!));
    }, { idlePollMs: 200 });
    await new DynamoTaskRepository(db, tableName).create(task(newId('account'), 'last words'));
    await stream.stop({ drain: true });
    expect(names).toEqual(['last words']);
  });

  it('with a positions file, a new start goes on after the last record delivered: what was written while it was down comes once, nothing twice', async () => {
    const tableName = await newTable();
    const positionsFile = join(mkdtempSync(join(tmpdir(), 'stream-positions-')), 'nested', 'positions.json');
    const names: string[] = [];
    const handler: StreamHandler = async (event) => {
      names.push(...event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!));
    };
    const repo = new DynamoTaskRepository(db, tableName);
    const first = await start(tableName, handler, { positionsFile });
    await repo.create(task(newId('account'), 'before'));
    await vi.waitFor(() => expect(names).toEqual(['before']), { timeout: 10_000, interval: 20 });
    // Every round that moves a position writes the file, so a crash leaves what stop() would.
    await first.stop();
    await repo.create(task(newId('account'), 'while down'));
    await start(tableName, handler, { positionsFile });
    await repo.create(task(newId('account'), 'after'));
    await vi.waitFor(() => expect(names).toEqual(['before', 'while down', 'after']), { timeout: 10_000, interval: 20 });
    const saved = JSON.parse(readFileSync(positionsFile, 'utf8'));
    expect(Object.values(saved.shards)).toContainEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: expect.any(String) });
  });

  it('a longer file left by another stream is replaced whole by this stream’s positions (kept open and written in place, it still parses)', async () => {
    const tableName = await newTable();
    const positionsFile = join(mkdtempSync(join(tmpdir(), 'stream-positions-')), 'positions.json');
    // A longer set left by an earlier start of another stream: read, found foreign, and overwritten.
    writeFileSync(positionsFile, JSON.stringify({ streamArn: 'arn:other', shards: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`shardId-${i}`, 'finished'])) }));
    await start(tableName, async () => undefined, { positionsFile });
    await vi.waitFor(() => expect(JSON.parse(readFileSync(positionsFile, 'utf8')).streamArn).toContain(tableName), { timeout: 10_000, interval: 20 });
  });

  it('a positions file that does not hold positions (torn, or not ours) is passed over: the start reads from LATEST', async () => {
    const tableName = await newTable();
    const positionsFile = join(mkdtempSync(join(tmpdir(), 'stream-positions-')), 'positions.json');
    const logger = { error: vi.fn() };
    for (const content of ['null', '{"streamArn":', '[]', '{"shards":null}']) {
      writeFileSync(positionsFile, content);
      const stream = await start(tableName, async () => undefined, { positionsFile, logger });
      await stream.stop();
      expect(JSON.parse(readFileSync(positionsFile, 'utf8')).streamArn).toContain(tableName);
    }
    expect(logger.error).toHaveBeenCalledWith('local table stream: positions file unreadable, reading from LATEST', expect.objectContaining({ file: positionsFile }));
  });

  it('without a positions file, or with one for another table’s stream, a start reads from LATEST', async () => {
    const tableName = await newTable();
    const other = await newTable();
    const positionsFile = join(mkdtempSync(join(tmpdir(), 'stream-positions-')), 'positions.json');
    const seen: string[] = [];
    const otherStream = await start(other, async () => undefined, { positionsFile });
    await otherStream.stop();
    await new DynamoTaskRepository(db, tableName).create(task(newId('account'), 'old news'));
    await start(tableName, async (event) => {
      seen.push(...event.Records.map((r) => r.dynamodb!.NewImage!.name!.S!));
    }, { positionsFile });
    await new DynamoTaskRepository(db, tableName).create(task(newId('account'), 'fresh'));
    await vi.waitFor(() => expect(seen).toEqual(['fresh']), { timeout: 10_000, interval: 20 });
    // The file now belongs to this table's stream.
    expect(JSON.parse(readFileSync(positionsFile, 'utf8')).streamArn).toContain(tableName);
  });

  describe('the whole local path', () => {
    it('repository write → stream poller → event-stream handler → a LocalBus subscriber receives the exact envelope', async () => {
      const tableName = await newTable();
      const bus = new LocalBus();
      const received: BusEvent[] = [];
      bus.subscribe('webhooks-to-be', ALL_DOMAIN_EVENTS, async (event) => {
        received.push(event);
      });
      // The handler as local mode builds it: a Stepwise of its own, publishing to this bus.
      const config = parseConfig({ TABLE_NAME: tableName, DYNAMODB_ENDPOINT: endpoint });
      const handler: (e: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> = createHandler(createStepwise(config, localPlatform(config, { logger: createJsonLogger(config.LOG_LEVEL), timeScale: 1, bus })));
      const seen: DynamoDBRecord[] = [];
      await start(tableName, async (event) => {
        seen.push(...event.Records);
        return handler(event);
      });

      const accountId = newId('account');
      const written = task(accountId, 'Ship the release');
      await new DynamoTaskRepository(db, tableName).create(written);

      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000, interval: 20 });
      const record = seen.find((r) => r.dynamodb?.NewImage?.entity?.S === 'task')!;
      expect(received[0]).toMatchObject({ source: 'stepwise', 'detail-type': 'task.created' });
      expect(received[0]!.detail).toEqual({
        id: eventId(record.eventID!, 'task.created', written.createdAt),
        event: 'task.created',
        timestamp: written.createdAt,
        account_id: accountId,
        data: {
          task_id: written.id,
          id: written.id,
          name: 'Ship the release',
          description: null,
          status: 'pending',
          priority: 'medium',
          due_date: null,
          tags: [],
          created_by: null,
          created_at: written.createdAt,
          updated_at: written.updatedAt,
          version: 1,
        },
      });
    });
  });
});
