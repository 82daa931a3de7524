import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoRateLimiter } from '../../../../functions/adapters/dynamodb/rate-limiter.ts';
import { freePort } from '../../../../functions/adapters/local/dynamodb-local.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { RateLimitStoreUnavailable } from '../../../../functions/core/rate-limit/ports.ts';

const TABLE = 'rate-limiter-int';

/** The adapter against the real DynamoDB Local: conditional counter, ALL_OLD on refusal, TTL, failures. */
describe('DynamoRateLimiter (DynamoDB Local)', () => {
  const endpoint = inject('dynamoEndpoint');
  const db = createDocumentClient({ region: 'us-east-1', endpoint });
  const counter = new DynamoRateLimiter(db, TABLE);
  let n = 0;
  const fresh = (limit: number) => {
    const windowStart = 1_767_225_600 + 60 * n++;
    return { key: `ip#192.0.2.${n}`, limit, windowStart, windowEnd: windowStart + 60 };
  };

  beforeAll(async () => {
    const raw = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(raw, TABLE);
    raw.destroy();
  });
  afterAll(() => db.destroy());

  it('counts to the limit, then refuses with the stored count and stops growing the item', async () => {
    const r = fresh(3);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await counter.increment(r));
    expect(results).toEqual([
      { count: 1, allowed: true },
      { count: 2, allowed: true },
      { count: 3, allowed: true },
      { count: 3, allowed: false },
      { count: 3, allowed: false },
      { count: 3, allowed: false },
    ]);
    const item = await db.send(new GetCommand({ TableName: TABLE, Key: { pk: `RATELIMIT#${r.key}`, sk: `W60#${r.windowStart}` } }));
    expect(item.Item).toEqual({ pk: `RATELIMIT#${r.key}`, sk: `W60#${r.windowStart}`, n: 3, ttl: r.windowEnd + 60 });
  });

  it('is exact under concurrency: of 25 simultaneous requests, exactly `limit` pass', async () => {
    const r = fresh(7);
    const results = await Promise.all(Array.from({ length: 25 }, () => counter.increment(r)));
    expect(results.filter((x) => x.allowed)).toHaveLength(7);
    expect(results.filter((x) => x.allowed).map((x) => x.count).toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(results.filter((x) => !x.allowed).every((x) => x.count === 7)).toBe(true);
  });

  it('keeps windows, window lengths and subjects apart', async () => {
    const r = fresh(1);
    expect(await counter.increment(r)).toEqual({ count: 1, allowed: true });
    expect(await counter.increment(r)).toMatchObject({ allowed: false });
    expect(await counter.increment({ ...r, windowStart: r.windowEnd, windowEnd: r.windowEnd + 60 })).toEqual({ count: 1, allowed: true });
    expect(await counter.increment({ ...r, windowEnd: r.windowStart + 2 })).toEqual({ count: 1, allowed: true });
    expect(await counter.increment({ ...r, key: `${r.key}x` })).toEqual({ count: 1, allowed: true });
  });

  it('rejects with RateLimitStoreUnavailable when nothing listens', async () => {
    const port = await freePort();
    const dead = createDocumentClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` });
    const error = await new DynamoRateLimiter(dead, TABLE, 2_000).increment(fresh(5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
    dead.destroy();
  });

  describe('with a store that accepts connections and never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port: number;
    beforeAll(async () => {
      server = createServer((s) => {
        sockets.add(s);
        s.on('error', () => undefined);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    });

    it('gives up after its timeout', async () => {
      const hung = createDocumentClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` });
      const started = performance.now();
      const error = await new DynamoRateLimiter(hung, TABLE, 300).increment(fresh(5)).catch((e: unknown) => e);
      const ms = performance.now() - started;
      expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(1_500);
      hung.destroy();
    });
  });
});
