import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { signIn } from './api-client.ts';
import { startServer } from './local-server.ts';
import { fmt, runLoad, type LoadResult } from './stats.ts';

const CONCURRENCY = 16;
const SECONDS = 8;

/**
 * The tasks API against raw DynamoDB Local, in one run on one DynamoDB Local. Two references:
 * raw GetItem/PutItem (the yardstick) and the exact DynamoDB calls the API makes per
 * request, issued raw (so the gap to it is the API's own overhead: HTTP, auth, validation).
 */
export async function benchApi(dynamoEndpoint: string): Promise<string> {
  const server = await startServer(dynamoEndpoint);
  try {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const { token, accountId, call } = await signIn(server.url, 'bench');
    for (let i = 0; i < 50; i++) await call('POST', '/api/v1/tasks', { name: `seed ${i}`, priority: 'high' });

    const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
    const table = 'stepwise-local';
    const results: LoadResult[] = [];
    const ok = async (res: Promise<Response>) => {
      const r = await res;
      await r.arrayBuffer();
      if (!r.ok) throw new Error(String(r.status));
    };
    const load = async (name: string, op: (i: number) => Promise<unknown>) => {
      results.push(await runLoad(name, async (i) => void (await op(i)), { concurrency: CONCURRENCY, seconds: SECONDS }));
    };

    await load('raw GetItem', () => db.send(new GetCommand({ TableName: table, Key: { pk: `ACCT#${accountId}`, sk: 'COUNTERS' } })));
    await load('raw Query(20) + GetItem (the list endpoint’s calls)', () =>
      Promise.all([
        db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `ACCT#${accountId}`, ':s': 'TASK#' }, ScanIndexForward: false, Limit: 21 })),
        db.send(new GetCommand({ TableName: table, Key: { pk: `ACCT#${accountId}`, sk: 'COUNTERS' } })),
      ]),
    );
    await load('API GET /api/v1/tasks', () => ok(fetch(`${server.url}/api/v1/tasks`, { headers: { Authorization: `Bearer ${token}` } })));
    await load('raw PutItem', (i) => db.send(new PutCommand({ TableName: table, Item: { pk: `BENCH#${accountId}`, sk: `ITEM#${i}`, name: 'x' } })));
    await load('raw TransactWrite(Put + counter Update) (the create endpoint’s call)', (i) =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: `BENCH#${accountId}`, sk: `TX#${i}`, name: 'x' } } },
            { Update: { TableName: table, Key: { pk: `BENCH#${accountId}`, sk: 'COUNTERS' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
    await load('API POST /api/v1/tasks', (i) => ok(post('/api/v1/tasks', { name: `bench ${i}`, priority: 'low', tags: ['bench'] }, token)));
    (db as DynamoDBDocumentClient).destroy();

    const by = (name: string) => results.find((r) => r.name.startsWith(name))!;
    const ratio = (a: string, b: string) => `${fmt((by(a).throughput / by(b).throughput) * 100, 0)}%`;
    const rows = results.map((r) => `| ${r.name} | ${fmt(r.throughput, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`);
    return [
      '## Tasks API vs raw DynamoDB Local',
      '',
      `Closed loop, ${CONCURRENCY} concurrent clients, ${SECONDS} s per row, one DynamoDB Local (in-memory) shared by all rows; the API runs as \`bin/local.ts\` in its own process with an authenticated principal (ES256 JWT, session check) and the rate limiter on (limits raised so nothing is refused), so each API request makes, besides the rows' reference calls, a session GetItem and a rate-limit UpdateItem.`,
      '',
      '| workload | req/s | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|',
      ...rows,
      '',
      `- GET /api/v1/tasks reaches **${ratio('API GET', 'raw GetItem')}** of raw GetItem throughput, and **${ratio('API GET', 'raw Query')}** of its own DynamoDB calls issued raw.`,
      `- POST /api/v1/tasks reaches **${ratio('API POST', 'raw PutItem')}** of raw PutItem throughput, and **${ratio('API POST', 'raw TransactWrite')}** of its own DynamoDB call issued raw.`,
      '- Target: ≥ 70% of raw DynamoDB Local. Not met, and by design: per request the API makes four DynamoDB calls where the reference makes one — the list endpoint’s 21-item Query and counters read (for exact totals), the session read (so logout and revocation act at once) and the rate-limit counter write; a create is a two-item transaction (exact totals) plus the same two. On this 2-core machine DynamoDB Local (Java) is the bottleneck, so throughput falls roughly with the number of calls. The second reference row (the endpoint’s own data calls issued raw) shows what is left to the API itself: HTTP, middy, JWT verification, zod and JSON, which stay in the low milliseconds (see the credentials table).',
      '',
    ].join('\n');
  } finally {
    await server.stop();
  }
}
