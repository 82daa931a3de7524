import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ErrorLogger } from '../../core/logger.ts';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as SdkAttributeValue,
  DynamoDBStreamsClient,
  type _Record as SdkRecord,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { CHANGE_STREAM_BATCH_SIZE, CHANGE_STREAM_RETRY_ATTEMPTS } from '../../../lib/definitions/change-stream.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface LocalTableStreamOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  /** The event source mapping's filter: records it rejects are passed over, as Lambda drops them. */
  filter?: (record: DynamoDBRecord) => boolean;
  batchSize?: number;
  /** Wait between polls when no shard had records. */
  idlePollMs?: number;
  /** How often to look for new shards (DynamoDB closes shards and opens children). */
  shardRefreshMs?: number;
  /** First retry delay of a failed batch; doubles up to 5 s. */
  retryDelayMs?: number;
  /** Retries of one failed batch before its first failing record is given up on (logged). */
  retryAttempts?: number;
  logger?: ErrorLogger;
  /** Destroy both clients on stop (when the poller was given clients of its own). */
  ownsClients?: boolean;
  /**
   * Where each shard's position is kept between starts (a JSON file in the data dir), as an event
   * source mapping keeps its own: a restart goes on after the last record delivered, so what was
   * written while the server was down, or just before it died, is still delivered (and counted).
   */
  positionsFile?: string;
}

type ShardPosition = { type: ShardIteratorType; sequenceNumber?: string };
/** The positions file: the stream it belongs to, and each shard's position or `finished`. */
interface SavedPositions {
  streamArn: string;
  shards: Record<string, ShardPosition | 'finished'>;
}

interface ShardReader {
  readonly shardId: string;
  iterator: string | undefined;
  /** Where to come back to when the iterator must be acquired again (a retry, an expiry). */
  position: ShardPosition;
  retries: number;
  retryAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;

/**
 * Local mode's Lambda event source mapping over DynamoDB Local's stream: reads every shard (and
 * the shards that follow it), builds each batch in Lambda's DynamoDBStreamEvent shape and calls the
 * same handler AWS invokes. Delivery is at least once and in order per shard: a failed batch is
 * read again from the record the handler reported (or from its start when the handler threw),
 * with backoff. With a positions file, a start goes on from where the last one left off (shards
 * that appeared meanwhile from their start); without one, or on a data dir's first start, shards
 * open at start are read from LATEST.
 */
export class LocalTableStream {
  private readonly readers = new Map<string, ShardReader>();
  /** Shards read to their end (closed); DescribeStream lists them for another 24 hours. */
  private readonly finished = new Set<string>();
  private streamArn: string | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private draining = false;
  private drainQuietMs = 0;
  /** When a round last delivered records (or the drain began). */
  private lastDelivery = 0;
  private lastRefresh = 0;
  private savedJson = '';
  private positionsFd: number | undefined;
  private positionsLength = 0;

  constructor(private readonly options: LocalTableStreamOptions) {}

  async start(): Promise<void> {
    const { Table } = await this.options.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    if (!Table?.LatestStreamArn || !Table.StreamSpecification?.StreamEnabled) throw new Error(`Table ${this.options.tableName} has no stream (ensureTable enables it)`);
    this.streamArn = Table.LatestStreamArn;
    await this.refreshShards(true, this.loadPositions());
    // LATEST means "from when the iterator is taken": take them now, so nothing written after start() is missed.
    for (const reader of this.readers.values()) reader.iterator = await this.iterator(reader);
    this.savePositions();
    this.loop = this.run();
  }

  /**
   * Stops polling. With `drain`, first delivers what the stream holds now: until rounds have found
   * no records for `drainQuietMs` (a write shows up in the stream a little after it commits, so
   * one empty round proves nothing), or `drainTimeoutMs` passes. A handler call in flight always
   * finishes.
   */
  async stop(options: { drain?: boolean; drainTimeoutMs?: number; drainQuietMs?: number } = {}): Promise<void> {
    if (options.drain) {
      this.drainQuietMs = options.drainQuietMs ?? 500;
      this.lastDelivery = Date.now();
      // A shard opened since the last refresh may hold the last writes.
      this.lastRefresh = 0;
      this.draining = true;
      const timer = setTimeout(() => (this.stopping = true), options.drainTimeoutMs ?? 5_000);
      await this.loop;
      clearTimeout(timer);
    }
    this.stopping = true;
    await this.loop;
    this.savePositions();
    if (this.positionsFd !== undefined) closeSync(this.positionsFd);
    this.positionsFd = undefined;
    if (this.options.ownsClients) {
      this.options.dynamo.destroy();
      this.options.streams.destroy();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let delivered = 0;
      let waiting = false;
      try {
        if (Date.now() - this.lastRefresh >= (this.options.shardRefreshMs ?? 1_000)) await this.refreshShards(false);
        // A reader that reaches its shard's end removes itself; Map iteration allows that.
        for (const reader of this.readers.values()) {
          if (this.stopping) break;
          if (reader.retryAt > Date.now()) {
            waiting = true;
            continue;
          }
          delivered += await this.poll(reader);
          if (reader.retries > 0) waiting = true;
        }
        this.savePositions();
      } catch (error) {
        this.options.logger?.error('local table stream: polling failed', { error: (error as Error).message });
        waiting = true;
      }
      if (delivered > 0) this.lastDelivery = Date.now();
      else if (this.draining && !waiting && Date.now() - this.lastDelivery >= this.drainQuietMs) return;
      if (delivered === 0) await sleep(this.options.idlePollMs ?? 100);
    }
  }

  /** Reads one batch of a shard and hands it to the handler; the number of records read. */
  private async poll(reader: ShardReader): Promise<number> {
    reader.iterator ??= await this.iterator(reader);
    if (!reader.iterator) return 0;
    let out;
    try {
      out = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: this.options.batchSize ?? CHANGE_STREAM_BATCH_SIZE }));
    } catch (error) {
      // An iterator lives 15 minutes (acquire it again where we were); a trimmed position restarts at the oldest record kept.
      if (errorName(error) === 'TrimmedDataAccessException') reader.position = { type: 'TRIM_HORIZON' };
      else if (errorName(error) !== 'ExpiredIteratorException') throw error;
      reader.iterator = undefined;
      return 0;
    }
    const records = (out.Records ?? []).map((r) => toLambdaRecord(r, this.streamArn!));
    const wanted = this.options.filter ? records.filter(this.options.filter) : records;
    const failedAt = wanted.length ? await this.deliver(wanted) : -1;
    if (failedAt >= 0) {
      this.retry(reader, wanted, failedAt);
      return records.length;
    }
    reader.retries = 0;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) reader.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
    reader.iterator = out.NextShardIterator;
    if (!out.NextShardIterator) {
      // The shard is closed and read to its end: its children (found on the next refresh) go on.
      this.readers.delete(reader.shardId);
      this.finished.add(reader.shardId);
      this.lastRefresh = 0;
    }
    return records.length;
  }

  /** Calls the handler; the index of the first record to deliver again, or -1. */
  private async deliver(records: DynamoDBRecord[]): Promise<number> {
    try {
      const response = await this.options.handler({ Records: records });
      const failures = response?.batchItemFailures ?? [];
      if (!failures.length) return -1;
      // As Lambda does: the earliest reported record; an identifier it cannot place fails the whole batch.
      const indexes = failures.map((f) => records.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
      return indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
    } catch (error) {
      this.options.logger?.error('local table stream: handler failed', { error: (error as Error).message, records: records.length });
      return 0;
    }
  }

  /** Comes back to the failed record after a backoff; after the last attempt it is skipped, as a dead letter would be. */
  private retry(reader: ShardReader, records: DynamoDBRecord[], failedAt: number): void {
    const failed = records[failedAt]!;
    reader.iterator = undefined;
    reader.retries += 1;
    if (reader.retries > (this.options.retryAttempts ?? CHANGE_STREAM_RETRY_ATTEMPTS)) {
      this.options.logger?.error('local table stream: giving up on a record after its retries', { event_id: failed.eventID, sequence_number: failed.dynamodb?.SequenceNumber });
      reader.retries = 0;
      reader.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: failed.dynamodb!.SequenceNumber! };
      return;
    }
    reader.position = { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: failed.dynamodb!.SequenceNumber! };
    reader.retryAt = Date.now() + Math.min(5_000, (this.options.retryDelayMs ?? 100) * 2 ** (reader.retries - 1));
  }

  private async iterator(reader: ShardReader): Promise<string | undefined> {
    const take = () =>
      this.options.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: reader.shardId, ShardIteratorType: reader.position.type, SequenceNumber: reader.position.sequenceNumber }),
      );
    try {
      return (await take()).ShardIterator;
    } catch (error) {
      // A kept position older than the stream's 24 hours: go on from the oldest record kept.
      if (errorName(error) !== 'TrimmedDataAccessException' || reader.position.type === 'TRIM_HORIZON') throw error;
      reader.position = { type: 'TRIM_HORIZON' };
      return (await take()).ShardIterator;
    }
  }

  /** The previous start's positions, if they belong to this stream (a table made anew has a new stream). */
  private loadPositions(): SavedPositions['shards'] | undefined {
    const file = this.options.positionsFile;
    if (!file) return undefined;
    let saved: SavedPositions;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as SavedPositions;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.options.logger?.error('local table stream: positions file unreadable, reading from LATEST', { file, error: (error as Error).message });
      return undefined;
    }
    const ours = typeof saved === 'object' && saved !== null && saved.streamArn === this.streamArn && typeof saved.shards === 'object' && saved.shards !== null;
    return ours ? saved.shards : undefined;
  }

  /**
   * Writes the positions when they moved: one positioned write into a file kept open, padded to the
   * longest content written so far. Opening, truncating or renaming a file at every round was most
   * of the poller's CPU (docs/benchmarks.md). A process that dies does so between two writes, never
   * inside one, so the file always holds one whole position set; if it does not parse, the next
   * start reads from LATEST, as without a file.
   */
  private savePositions(): void {
    const file = this.options.positionsFile;
    if (!file || !this.streamArn) return;
    const shards: SavedPositions['shards'] = Object.fromEntries([...[...this.finished].map((id) => [id, 'finished'] as const), ...[...this.readers].map(([id, r]) => [id, r.position] as const)]);
    const json = JSON.stringify({ streamArn: this.streamArn, shards } satisfies SavedPositions);
    if (json === this.savedJson) return;
    if (this.positionsFd === undefined) {
      mkdirSync(dirname(file), { recursive: true });
      this.positionsFd = openSync(file, 'w');
    }
    // JSON ignores trailing spaces, so a shorter set overwrites a longer one in place.
    const content = Buffer.from(json);
    this.positionsLength = Math.max(this.positionsLength, content.length);
    const padded = Buffer.alloc(this.positionsLength, ' ');
    content.copy(padded);
    writeSync(this.positionsFd, padded, 0, padded.length, 0);
    this.savedJson = json;
  }

  /**
   * Picks up shards not yet read. At start a shard the positions file knows goes on from its kept
   * position, and without a file every open shard is read from LATEST; a shard that appears later
   * holds only changes made since, so it is read from its start, once its parent has been read to
   * the end (order per item is kept across the split).
   */
  private async refreshShards(initial: boolean, saved?: SavedPositions['shards']): Promise<void> {
    this.lastRefresh = Date.now();
    const shards = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await this.options.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    // Shards gone from the stream (trimmed after 24 hours) need not be remembered as finished.
    const listed = new Set(shards.map((shard) => shard.ShardId!));
    for (const id of this.finished) if (!listed.has(id)) this.finished.delete(id);
    // Kept positions first, so a shard the last start did not know finds its parent already placed.
    for (const shard of shards) {
      const kept = saved?.[shard.ShardId!];
      if (kept === 'finished') this.finished.add(shard.ShardId!);
      else if (kept) this.readers.set(shard.ShardId!, { shardId: shard.ShardId!, iterator: undefined, position: kept, retries: 0, retryAt: 0 });
    }
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (this.readers.has(id) || this.finished.has(id)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      // With positions kept, a shard the last start did not know appeared since: read from its start, below.
      if (initial && !saved) {
        // Closed before we started: nothing in it is new.
        if (closed) this.finished.add(id);
        else this.readers.set(id, { shardId: id, iterator: undefined, position: { type: 'LATEST' }, retries: 0, retryAt: 0 });
        continue;
      }
      if (shard.ParentShardId && this.readers.has(shard.ParentShardId)) continue;
      this.readers.set(id, { shardId: id, iterator: undefined, position: { type: 'TRIM_HORIZON' }, retries: 0, retryAt: 0 });
    }
  }
}

/** The record as Lambda's event source mapping delivers it (JSON: times in epoch seconds, binary as base64). */
export function toLambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const image = (value: Record<string, SdkAttributeValue> | undefined) => (value ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toLambdaValue(v)])) : undefined);
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } } : {}),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor((d.ApproximateCreationDateTime?.getTime() ?? 0) / 1000),
      Keys: image(d.Keys),
      ...(d.NewImage ? { NewImage: image(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: image(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}

function toLambdaValue(value: SdkAttributeValue): AttributeValue {
  // The streams client (3.1141) decodes an empty map `{M: {}}` as `{}`; an attribute always has a type, and empty lists survive, so no keys means an empty map.
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, toLambdaValue(v)])) };
  return value as AttributeValue;
}

/** Local mode's event source mapping on DynamoDB Local at `endpoint`: its own clients, started. */
export async function startLocalTableStream(options: { endpoint: string } & Pick<LocalTableStreamOptions, 'tableName' | 'handler' | 'filter' | 'logger' | 'positionsFile'>): Promise<LocalTableStream> {
  const settings = { endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const stream = new LocalTableStream({
    dynamo: new DynamoDBClient(settings),
    streams: new DynamoDBStreamsClient(settings),
    tableName: options.tableName,
    handler: options.handler,
    filter: options.filter,
    ownsClients: true,
    logger: options.logger,
    positionsFile: options.positionsFile,
  });
  await stream.start();
  return stream;
}
