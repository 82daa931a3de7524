import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { StoreDataStores } from '../../functions/adapters/etl/data-stores.ts';
import { JsonataWorkerPool } from '../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { startLocalObjectStore } from '../../functions/adapters/local/local-object-store.ts';
import { LOCAL_OBJECT_STORE_CREDENTIALS } from '../../functions/adapters/local/local-object-store-credentials.ts';
import { startLocalPostgres } from '../../functions/adapters/local/local-postgres.ts';
import { PgSqlClient } from '../../functions/adapters/sql/pg-sql-client.ts';
import type { DataSource } from '../../functions/core/data-sources/data-source.ts';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../functions/core/runner/executors.ts';
import type { TaskRunnerRequest } from '../../statemachines/task-runner-contract.ts';
import { fmt, percentile } from './stats.ts';

const ROWS = 100_000;
const SMALL = 20_000;
const BATCH = 500;
const FETCH_SAMPLES = 200;
const FETCH_WARMUP = 20;
const BUCKET = 'bench-etl';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function csv(rows: number): string {
  const lines = ['id,name,email,amount,created_at'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},Customer ${i},c${i}@example.com,${(i % 1000) / 10},2024-0${(i % 9) + 1}-1${i % 10}`);
  return `${lines.join('\n')}\n`;
}

// The live heap (after a full collection), not heapUsed with whatever garbage the collector has not reached yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The live heap's highest point while `work` runs (collected and sampled every 250 ms, and at the end), above where it started. */
async function heapPeak<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number; ms: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 250);
  const started = performance.now();
  try {
    const value = await work();
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, peakMiB: (peak - base) / 1_048_576, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

const stats = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/**
 * etl (docs/api.md#etl): 100,000 CSV rows from the local object store into the local Postgres (PGlite over
 * the wire protocol) through the executor and its real adapters, next to the same rows inserted raw with
 * the same pg client in batches of the same size, in the same run; the heap's peak for both, and for a
 * 20,000-row etl (flat memory: the peak does not grow with the rows). Then fetch_data's latency against a
 * local Postgres source next to the same query raw.
 */
export async function benchEtl(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'stepwise-bench-etl-'));
  const store = await startLocalObjectStore({ port: 0, directory: join(root, 's3'), buckets: [BUCKET] });
  const postgres = await startLocalPostgres({ dataDir: root, port: 0, logger: silent });
  const expressions = new JsonataWorkerPool();
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: store.endpoint, forcePathStyle: true, credentials: LOCAL_OBJECT_STORE_CREDENTIALS });
    const big = csv(ROWS);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.csv', Body: big }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'small.csv', Body: csv(SMALL) }));
    const sql = new PgSqlClient({ allowLoopback: true, reservedLoopbackPorts: new Set<number>() }, `127.0.0.1:${postgres.port}`);
    const local: DataSource = { accountId: 'acct_bench', name: 'local', type: 'postgres', url: postgres.url, table: 'bench_raw', createdAt: '', updatedAt: '', builtIn: true };
    const deps: ExecutorDeps = {
      http: { request: () => Promise.reject(new Error('no http')) },
      lambda: { invoke: async () => ({}) },
      expressions,
      data: { source: async (_a, name) => (name === 'local' ? local : undefined), sql, lastSuccessfulRun: async () => undefined },
      etl: { stores: new StoreDataStores({ s3: { region: 'us-east-1', endpoint: store.endpoint }, sql, db: createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }) }), scope: { reservedTables: [] } },
    };
    const ctx: ExecutorContext = { accountId: 'acct_bench', input: { id: 4_242 }, step: async () => undefined, secret: async () => undefined, signal: new AbortController().signal, log: () => undefined, now: () => new Date() };
    const request = (node_type: TaskRunnerRequest['node_type'], params: Record<string, unknown>): TaskRunnerRequest => ({ node_id: 'n', node_type, action: 'execute', params, account_id: 'acct_bench', workflow_id: 'wf_bench', execution_id: 'arn:aws:states:local:000000000000:execution:bench:e', input: ctx.input, retry_count: 0 });
    const etl = async (key: string, table: string) => {
      const { result } = await runAction(request('etl', { source_url: `s3://${BUCKET}/${key}`, target_url: `postgres://local/${table}` }), ctx, deps);
      const output = (result as { output: { records_processed: number; records_failed: number } }).output;
      if (output.records_failed !== 0) throw new Error(`etl failed records: ${JSON.stringify(output)}`);
      return output.records_processed;
    };

    // The raw reference: the same rows, already in memory, inserted with the same pg client, 500 rows a statement.
    const rows = big.trim().split('\n').slice(1).map((line) => line.split(','));
    // PGlite boots on the first connection (seconds): not part of either figure.
    const boot = new Client({ connectionString: postgres.url, connectionTimeoutMillis: 120_000 });
    await boot.connect();
    await boot.query('SELECT 1');
    await boot.end();
    const raw = await heapPeak(async () => {
      const client = new Client({ connectionString: postgres.url, connectionTimeoutMillis: 120_000 });
      await client.connect();
      try {
        await client.query('CREATE TABLE bench_raw (id text, name text, email text, amount text, created_at text)');
        for (let i = 0; i < rows.length; i += BATCH) {
          const chunk = rows.slice(i, i + BATCH);
          const values = chunk.flat();
          await client.query(`INSERT INTO bench_raw (id, name, email, amount, created_at) VALUES ${chunk.map((_, r) => `(${[1, 2, 3, 4, 5].map((c) => `$${r * 5 + c}`).join(', ')})`).join(', ')}`, values);
        }
      } finally {
        await client.end();
      }
      return rows.length;
    });
    const small = await heapPeak(() => etl('small.csv', 'bench_etl_small'));
    const large = await heapPeak(() => etl('big.csv', 'bench_etl'));
    if (large.value !== ROWS || small.value !== SMALL) throw new Error(`etl loaded ${large.value} and ${small.value} rows`);

    // fetch_data: one parameterised SELECT through the executor (a connection per statement, as it runs) vs the same query raw.
    const fetchNode = request('fetch_data', { source: 'local', query: 'SELECT * FROM bench_raw WHERE id = :input.id' });
    const node: number[] = [];
    const fresh: number[] = [];
    const open: number[] = [];
    const kept = new Client({ connectionString: postgres.url });
    await kept.connect();
    try {
      for (let i = 0; i < FETCH_WARMUP + FETCH_SAMPLES; i++) {
        const t0 = performance.now();
        const { result } = await runAction(fetchNode, ctx, deps);
        const t1 = performance.now();
        const client = new Client({ connectionString: postgres.url });
        await client.connect();
        await client.query('SELECT * FROM bench_raw WHERE id = $1', ['4242']);
        await client.end();
        const t2 = performance.now();
        await kept.query('SELECT * FROM bench_raw WHERE id = $1', ['4242']);
        const t3 = performance.now();
        if ((result as { output: { count: number } }).output.count !== 1) throw new Error('fetch_data found no row');
        if (i < FETCH_WARMUP) continue;
        node.push(t1 - t0);
        fresh.push(t2 - t1);
        open.push(t3 - t2);
      }
    } finally {
      await kept.end();
    }
    const f = { node: stats(node), fresh: stats(fresh), open: stats(open) };
    const perSecond = (n: number, ms: number) => fmt(n / (ms / 1000), 0);
    return [
      '## etl and fetch_data: the local object store into the local Postgres',
      '',
      `etl of ${ROWS.toLocaleString('en')} CSV rows (${fmt(big.length / 1_048_576, 1)} MiB) from the local object store (s3rver) into a new table of the local Postgres (PGlite over the wire protocol), through the executor and its real adapters (csv-parse streaming, batches of ${BATCH}, one parameterised multi-row INSERT each), next to the same rows — already split in memory — inserted with the same pg client in statements of ${BATCH} rows, in the same run. Heap: the live heap's highest point above where it started (a full collection, then heapUsed, every 250 ms and at the end; the collections slow both runs alike). PGlite is booted before either is timed.`,
      '',
      '| | rows | seconds | rows/s | heap peak MiB |',
      '|---|---:|---:|---:|---:|',
      `| raw INSERTs (rows in memory) | ${rows.length.toLocaleString('en')} | ${fmt(raw.ms / 1000, 1)} | ${perSecond(rows.length, raw.ms)} | ${fmt(raw.peakMiB, 1)} |`,
      `| etl s3 → postgres | ${ROWS.toLocaleString('en')} | ${fmt(large.ms / 1000, 1)} | ${perSecond(ROWS, large.ms)} | ${fmt(large.peakMiB, 1)} |`,
      `| etl s3 → postgres, a fifth of the rows | ${SMALL.toLocaleString('en')} | ${fmt(small.ms / 1000, 1)} | ${perSecond(SMALL, small.ms)} | ${fmt(small.peakMiB, 1)} |`,
      '',
      `The raw reference's rows were in memory before it started, so its peak is only the statements'; etl's peak is the same order at ${SMALL.toLocaleString('en')} and ${ROWS.toLocaleString('en')} rows because it holds one batch (and one object chunk) at a time, not the file. The local object store (s3rver) and PGlite run in the same process, so their buffers are in both figures.`,
      '',
      `fetch_data from the \`local\` Postgres source (\`SELECT * FROM bench_raw WHERE id = :input.id\`, ${FETCH_SAMPLES} samples after ${FETCH_WARMUP} warm-up, alternated), next to the same query with the same client on a new connection (what fetch_data opens per statement) and on a connection kept open:`,
      '',
      '| | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| raw query, open connection | ${fmt(f.open.p50, 2)} | ${fmt(f.open.p99, 2)} |`,
      `| raw query, new connection | ${fmt(f.fresh.p50, 2)} | ${fmt(f.fresh.p99, 2)} |`,
      `| fetch_data node | ${fmt(f.node.p50, 2)} | ${fmt(f.node.p99, 2)} |`,
      '',
    ].join('\n');
  } finally {
    await expressions.close();
    await postgres.stop();
    await store.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
