import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Client } from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

/**
 * etl and fetch_data against the real local parts: a CSV in the local object store (uploaded with the AWS
 * SDK, path-style) loads into a table of the local Postgres (PGlite), back out to the store through a JSONata
 * transformation, fetch_data reads that object from an s3 data source, etl loads it into a DynamoDB Local
 * table of the user's and fetch_data Queries it. One workflow run covers them all.
 */
const endpoint = inject('objectStoreEndpoint');
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'any-secret' } });
const BUCKET = `etl-data-${Date.now().toString(36)}`;
const TABLE = `staging_${Date.now().toString(36)}`;
const USER_TABLE = `customers-${Date.now().toString(36)}`;
const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** 20 customers, a malformed line (one field too many) after the 7th, and a duplicate header-cased date. */
function customersCsv(): string {
  const lines = ['Customer Id,Full Name,signupDate,Plan'];
  for (let i = 1; i <= 20; i++) {
    lines.push(`${i},  Customer ${i}  ,03/${String((i % 28) + 1).padStart(2, '0')}/2024,${i % 2 === 0 ? 'pro' : 'free'}`);
    if (i === 7) lines.push('99,Broken,01/01/2024,free,unexpected');
  }
  return `${lines.join('\n')}\n`;
}

describe('etl and fetch_data (local object store and Postgres)', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  let localUrl: string;
  beforeAll(async () => {
    user = await newAccount('etl');
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'in/data.csv', Body: customersCsv(), ContentType: 'text/csv' }));
    localUrl = ((await user.client.get('/api/v1/data-sources/local')).body as { url: string }).url;
    await dynamo.send(new CreateTableCommand({ TableName: USER_TABLE, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    for (const body of [
      { name: 'exports', type: 's3', bucket: BUCKET, prefix: 'out/' },
      { name: 'customers', type: 'dynamodb', table: USER_TABLE },
    ]) {
      const source = await user.client.post('/api/v1/data-sources', body);
      if (source.status !== 201) throw new Error(`the ${body.type} data source was not created: ${JSON.stringify(source.body)}`);
    }
  });

  it('FlowCtl’s etl loads the CSV into a new Postgres table (one malformed row counted), writes it back transformed, fetch_data reads it, and the pipeline’s executions show the counts', async () => {
    const wf = await user.client.post('/api/v1/workflows', {
      name: 'Data that moves',
      tasks: [
        { name: 'extract_data', type: 'etl', max_retries: 0, payload: { source_url: `s3://${BUCKET}/in/data.csv`, target_url: `postgres://local/${TABLE}`, format: 'csv', transformation: 'normalize' }, priority: 1 },
        {
          name: 'export_data',
          type: 'etl',
          max_retries: 0,
          dependencies: ['extract_data'],
          payload: { source_url: `postgres://local/${TABLE}`, target_url: `s3://${BUCKET}/out/customers.ndjson`, transformation: '{"id": $number(customer_id), "name": $uppercase(full_name), "plan": plan, "signup": signup_date}' },
        },
        { name: 'read_back', type: 'fetch_data', max_retries: 0, dependencies: ['export_data'], payload: { source: 'exports', query: 'customers.ndjson', filters: { plan: 'pro' } } },
        { name: 'to_dynamo', type: 'etl', max_retries: 0, dependencies: ['export_data'], payload: { source_url: `s3://${BUCKET}/out/customers.ndjson`, target_url: `dynamodb://${USER_TABLE}`, transformation: '{"id": $string(id), "name": name, "plan": plan}' } },
        { name: 'one_customer', type: 'fetch_data', max_retries: 0, dependencies: ['to_dynamo'], payload: { source: 'customers', filters: { id: '2', plan: 'pro' } } },
      ],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    expect(started.status).toBe(202);
    const done = await waitForExecution(user.client, started.body.execution_id, undefined, 120_000);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    const task = (name: string) => done.tasks.find((t: { node_id: string }) => t.node_id === name);

    const extract = task('extract_data');
    expect(extract.result).toMatchObject({ records_processed: 20, records_failed: 1, format: 'csv', bytes_read: Buffer.byteLength(customersCsv()), bytes_written: expect.any(Number) });
    expect(extract.result.errors).toEqual([{ row: 9, error: expect.stringContaining('Invalid Record Length') }]);

    const db = new Client({ connectionString: localUrl, connectionTimeoutMillis: 120_000 });
    await db.connect();
    try {
      const rows = (await db.query(`SELECT * FROM ${TABLE} ORDER BY customer_id::int`)).rows;
      expect(rows).toHaveLength(20);
      expect(rows[0]).toEqual({ customer_id: '1', full_name: 'Customer 1', signup_date: '2024-03-02', plan: 'free' });
      expect(rows.map((r) => r.customer_id)).not.toContain('99');
    } finally {
      await db.end();
    }

    expect(task('export_data').result).toMatchObject({ records_processed: 20, records_failed: 0 });
    const exported = (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'out/customers.ndjson' }))).Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toHaveLength(20);
    expect(exported.find((r) => r.id === 2)).toEqual({ id: 2, name: 'CUSTOMER 2', plan: 'pro', signup: '2024-03-03' });

    const read = task('read_back').result;
    expect(read.count).toBe(10);
    expect(read.records.every((r: { plan: string }) => r.plan === 'pro')).toBe(true);

    expect(task('to_dynamo').result).toMatchObject({ records_processed: 20, records_failed: 0 });
    const stored = await dynamo.send(new ScanCommand({ TableName: USER_TABLE }));
    expect(stored.Count).toBe(20);
    expect(task('one_customer').result).toEqual({ records: [{ id: '2', name: 'CUSTOMER 2', plan: 'pro' }], count: 1 });
    const logs = (await user.client.get(`/api/v1/executions/${done.id}/logs`)).body.logs as { message: string; node_id: string; data?: Record<string, unknown> }[];
    expect(logs.find((l) => l.message === 'DynamoDB read')).toMatchObject({ node_id: 'one_customer', data: { source: 'customers', operation: 'Query', count: 1 } });

    const pipeline = await user.client.get(`/api/v1/pipelines/${wf.body.id}/executions`);
    expect(pipeline.status).toBe(200);
    // 20 loaded + 20 exported + 10 fetched + 20 into DynamoDB + 1 fetched; the malformed row is the one failure.
    expect(pipeline.body.data[0]).toMatchObject({ pipeline_id: wf.body.id, status: 'completed', records_processed: 71, records_failed: 1 });
    // The workflow's throughput (records per hour over the period) counts the same records.
    const analytics = await eventually(
      () => user.client.get(`/api/v1/analytics/workflows/${wf.body.id}?period=1h`),
      (r) => r.body?.metrics?.execution_count === 1,
    );
    const hours = (Date.parse(analytics.body.end_date) - Date.parse(analytics.body.start_date)) / 3_600_000;
    expect(analytics.body.metrics.throughput).toBe(Math.round((71 / hours) * 100) / 100);
  });

  it('refuses at save what could only fail at run time: a 400 naming each field', async () => {
    const bad = await user.client.post('/api/v1/workflows', {
      name: 'Bad etl',
      tasks: [{ name: 'load', type: 'etl', payload: { source_url: `s3://${BUCKET}/in/data.csv.gz`, target_url: `s3://${BUCKET}/out/data.parquet`, format: 'xml', transformation: '{"id": id' } }],
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    const issues = bad.body.error.details.issues as { node: string; field: string; code: string; message: string }[];
    expect(issues.map((i) => [i.node, i.field, i.code])).toEqual([
      ['load', 'tasks[0].payload.format', 'invalid_params'],
      ['load', 'tasks[0].payload.source_url', 'invalid_params'],
      ['load', 'tasks[0].payload.target_url', 'invalid_params'],
      ['load', 'tasks[0].payload.transformation', 'invalid_expression'],
    ]);
    expect(issues[1]!.message).toContain('compressed files (.gz) are not supported');
    expect(issues[2]!.message).toContain('etl writes csv, json, ndjson, not parquet');
  });

  it('fails a run naming what is wrong: a missing object, Stepwise’s own table, a data source that does not exist', async () => {
    const failure = async (payload: Record<string, unknown>) => {
      const wf = await user.client.post('/api/v1/workflows', { name: 'Bad location', tasks: [{ name: 'load', type: 'etl', max_retries: 0, payload }] });
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      const started = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
      const done = await waitForExecution(user.client, started.body.execution_id, undefined, 60_000);
      expect(done.status).toBe('failed');
      return String(done.error);
    };
    const [missing, own, unnamed] = await Promise.all([
      failure({ source_url: `s3://${BUCKET}/in/nothing.csv`, target_url: `postgres://local/${TABLE}_x` }),
      failure({ source_url: `s3://${BUCKET}/in/data.csv`, target_url: 'dynamodb://stepwise-local' }),
      failure({ source_url: `s3://${BUCKET}/in/data.csv`, target_url: 'postgres://db/staging' }),
    ]);
    expect(missing).toContain(`s3://${BUCKET}/in/nothing.csv does not exist`);
    expect(own).toContain("dynamodb://stepwise-local is Stepwise's own table, not a data table");
    expect(unnamed).toContain('data source "db" does not exist in this account');
  });
});
