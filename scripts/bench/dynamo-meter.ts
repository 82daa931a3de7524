import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** DynamoDB operations that bill read request units (on-demand); the others that take ReturnConsumedCapacity bill writes. */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface MeterCounts {
  /** Calls per DynamoDB operation (`GetRecords` etc. are the stream's). */
  readonly calls: Readonly<Record<string, number>>;
  /** Calls per operation and the kind of item it names (`UpdateItem RUNTASK`, `Query gsi1 WEBHOOK`…): who the table's work is for. */
  readonly targets: Readonly<Record<string, number>>;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** GetRecords calls that returned records: one event-source-mapping invocation each. */
  readonly streamBatches: number;
  readonly streamRecords: number;
}

export interface DynamoMeter {
  readonly endpoint: string;
  counts(): MeterCounts;
  close(): Promise<void>;
}

/**
 * A metering proxy in front of DynamoDB Local: every table call asks for `ReturnConsumedCapacity`
 * (DynamoDB Local computes capacity as DynamoDB does and does not check signatures, so adding the
 * field to a signed body is safe here), and the units it reports are summed per kind. Responses
 * pass through byte for byte, so the SDK's CRC32 check still holds. Stream reads are counted apart:
 * a Lambda event source mapping's GetRecords are not billed.
 */
export async function startDynamoMeter(upstream: string): Promise<DynamoMeter> {
  const target = new URL(upstream);
  const calls: Record<string, number> = {};
  const targets: Record<string, number> = {};
  let readUnits = 0;
  let writeUnits = 0;
  let streamBatches = 0;
  let streamRecords = 0;

  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const [service, operation = 'unknown'] = String(req.headers['x-amz-target'] ?? '').split('.');
    calls[operation] = (calls[operation] ?? 0) + 1;
    const metered = READS.has(operation) || WRITES.has(operation);
    let forwarded = body;
    if (metered) {
      const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      json.ReturnConsumedCapacity ??= 'TOTAL';
      forwarded = Buffer.from(JSON.stringify(json));
      const about = `${operation} ${targetOf(operation, json)}`;
      targets[about] = (targets[about] ?? 0) + 1;
    }
    const headers = { ...req.headers, host: target.host, 'content-length': String(forwarded.length) };
    const upstreamReq = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, async (upstreamRes) => {
      const answer = await readAll(upstreamRes);
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      res.end(answer);
      if (upstreamRes.statusCode !== 200) return;
      const parsed = JSON.parse(answer.toString('utf8') || '{}') as { ConsumedCapacity?: Capacity | Capacity[]; Records?: unknown[] };
      if (metered) {
        const units = [parsed.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (READS.has(operation)) readUnits += units;
        else writeUnits += units;
      } else if (service?.startsWith('DynamoDBStreams') && operation === 'GetRecords' && parsed.Records?.length) {
        streamBatches += 1;
        streamRecords += parsed.Records.length;
      }
    });
    upstreamReq.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    upstreamReq.end(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ calls: { ...calls }, targets: { ...targets }, readUnits, writeUnits, streamBatches, streamRecords }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Wire = Record<string, unknown>;
/** The key's kind: the sort key's (or, for global items, the partition key's) leading word, `COUNTERS`, `RUNTASK`, `EXECLOG`…. */
const kindOf = (key: Wire | undefined): string => {
  const sk = (key?.sk as { S?: string } | undefined)?.S;
  const pk = (key?.pk as { S?: string } | undefined)?.S;
  const word = (value: string | undefined) => value?.match(/^[A-Z_]+/)?.[0];
  return word(sk) ?? word(pk) ?? '?';
};

/** What a call is about, from its request: the item kind, or for a Query its index and the kind its key condition names. */
function targetOf(operation: string, json: Wire): string {
  if (operation === 'Query') {
    const values = Object.values((json.ExpressionAttributeValues as Record<string, { S?: string }> | undefined) ?? {}).map((v) => v.S ?? '');
    const named = values.map((v) => v.match(/#([A-Z_]+)/)?.[1] ?? v.match(/^([A-Z_]{3,})#/)?.[1]).find((w) => w && w !== 'ACCT');
    return `${String(json.IndexName ?? 'table')} ${named ?? '?'}`;
  }
  if (operation === 'BatchWriteItem') {
    const first = Object.values((json.RequestItems as Record<string, Wire[]> | undefined) ?? {})[0]?.[0];
    const item = ((first?.PutRequest as Wire | undefined)?.Item ?? (first?.DeleteRequest as Wire | undefined)?.Key) as Wire | undefined;
    return kindOf(item);
  }
  if (operation === 'TransactWriteItems') {
    const items = (json.TransactItems as Wire[] | undefined) ?? [];
    return items.map((i) => kindOf(((Object.values(i)[0] as Wire | undefined)?.Key ?? (Object.values(i)[0] as Wire | undefined)?.Item) as Wire | undefined)).join('+');
  }
  return kindOf((json.Key ?? json.Item) as Wire | undefined);
}

interface Capacity {
  CapacityUnits?: number;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The difference between two readings (what happened in between). */
export function meterDelta(after: MeterCounts, before: MeterCounts): MeterCounts {
  return {
    calls: increase(after.calls, before.calls),
    targets: increase(after.targets, before.targets),
    readUnits: after.readUnits - before.readUnits,
    writeUnits: after.writeUnits - before.writeUnits,
    streamBatches: after.streamBatches - before.streamBatches,
    streamRecords: after.streamRecords - before.streamRecords,
  };
}

/** The counts that grew from `before` to `after`, by how much. */
function increase(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).flatMap(([k, n]) => (n - (before[k] ?? 0) > 0 ? [[k, n - (before[k] ?? 0)]] : [])));
}
