import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { networkInterfaces } from 'node:os';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';
import { classificationCsv } from '../support/ml-datasets.ts';

/**
 * The local object store (a real S3 API, used here with the real AWS SDK) and ml_training against the
 * real local server: a generated CSV uploaded, a workflow trains on it, GET /api/v1/models lists the model.
 */
const endpoint = inject('objectStoreEndpoint');
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'any-secret' } });
const BUCKET = `ml-data-${Date.now().toString(36)}`;

describe('the local object store', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  it('answers the AWS SDK: PutObject, GetObject, ListObjectsV2 (path-style, access key S3RVER, any secret)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes/a.txt', Body: 'hello store', ContentType: 'text/plain' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes/b.txt', Body: 'second' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'notes/a.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello store');
    expect(got.ContentType).toBe('text/plain');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'notes/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['notes/a.txt', 'notes/b.txt']);
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('is bound to 127.0.0.1 only: the machine’s other addresses refuse the connection', async () => {
    const { port } = new URL(endpoint);
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address);
    for (const address of [...others, '127.0.0.2']) {
      await expect(fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(3_000) })).rejects.toThrow('fetch failed');
    }
  });

  it('workflow HTTP cannot reach it: its port is one of Stepwise’s own (SSRF guard)', async () => {
    const user = await newAccount('s3guard');
    const wf = await user.client.post('/api/v1/workflows', { name: 'Reach the store', tasks: [{ name: 'peek', type: 'http.request', max_retries: 0, payload: { url: `${endpoint}/${BUCKET}/notes/a.txt`, method: 'GET' } }] });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    const done = await waitForExecution(user.client, run.body.execution_id, undefined, 30_000);
    expect(done.status).toBe('failed');
    expect(done.error).toContain(`refusing to connect to port ${new URL(endpoint).port}`);
    expect(JSON.stringify(done)).not.toContain('hello store');
  });
});

describe('ml_training runs locally', () => {
  let owner: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    owner = await newAccount('ml');
    await s3.send(new CreateBucketCommand({ Bucket: `${BUCKET}-train` }));
    await s3.send(new PutObjectCommand({ Bucket: `${BUCKET}-train`, Key: 'fraud/training.csv', Body: classificationCsv(400), ContentType: 'text/csv' }));
  });

  const run = async (user: typeof owner, task: Record<string, unknown>) => {
    const wf = await user.client.post('/api/v1/workflows', { name: 'Train', tasks: [{ name: 'train', type: 'ml_training', max_retries: 0, ...task }] });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const started = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
    expect(started.status).toBe(202);
    return waitForExecution(user.client, started.body.execution_id, undefined, 90_000);
  };

  it('FlowCtl’s payload trains on the uploaded CSV, stores the model in the local store, and GET /api/v1/models lists it for this account only', async () => {
    const done = await run(owner, { payload: { model_name: 'fraud_detector', dataset_url: `s3://${BUCKET}-train/fraud/training.csv`, algorithm: 'xgboost', hyperparameters: { max_depth: 6, learning_rate: 0.1, num_round: 20 } } });
    expect(done.status, JSON.stringify(done)).toBe('completed');
    const output = done.result as Record<string, any>;
    expect(output).toMatchObject({ model_name: 'fraud_detector', algorithm: 'xgboost', task: 'classification', rows: 400, rows_train: 320, rows_validation: 80, ignored_hyperparameters: ['learning_rate'] });
    expect(output.metrics.validation.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(output.metrics.train.accuracy).toBeGreaterThanOrEqual(0.85);
    const artifact = /^s3:\/\/([^/]+)\/(.+)$/.exec(output.artifact_url)!;
    expect(artifact[2]).toBe(`${owner.accountId}/fraud_detector/${done.id}/model.json`);
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: artifact[1], Key: artifact[2] }))).Body!.transformToString());
    expect(stored).toMatchObject({ format: 'stepwise-model/1', algorithm: 'xgboost', task: 'classification', classes: [0, 1] });

    const models = await owner.client.get('/api/v1/models');
    expect(models.status).toBe(200);
    expect(models.body.models).toEqual([
      expect.objectContaining({ model_name: 'fraud_detector', algorithm: 'xgboost', task: 'classification', artifact_url: output.artifact_url, rows: 400, metrics: output.metrics, execution_id: done.id }),
    ]);
    const other = await newAccount('mlother');
    const theirs = await other.client.get('/api/v1/models');
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual({ data: [], models: [], total: 0 });
  });

  it('a missing dataset and a CSV that is not numeric fail the node with a clear message', async () => {
    const missing = await run(owner, { payload: { model_name: 'm1', dataset_url: `s3://${BUCKET}-train/nope.csv` } });
    expect(missing).toMatchObject({ status: 'failed', failed_node: 'train' });
    expect(missing.error).toContain(`dataset_url: s3://${BUCKET}-train/nope.csv does not exist`);
    await s3.send(new PutObjectCommand({ Bucket: `${BUCKET}-train`, Key: 'bad.csv', Body: '1,2\n0,x\n' }));
    const bad = await run(owner, { payload: { model_name: 'm2', dataset_url: `s3://${BUCKET}-train/bad.csv` } });
    expect(bad.status).toBe('failed');
    expect(bad.error).toContain('dataset line 2, column 2: "x" is not a number');
    const models = await owner.client.get('/api/v1/models');
    expect(models.body.models.map((m: any) => m.model_name)).not.toContain('m1');
  });

  it('another account’s model artifacts are not a dataset: the model bucket is refused', async () => {
    const done = await run(owner, { payload: { model_name: 'm3', dataset_url: 's3://stepwise-models/anything/model.json' } });
    expect(done.status).toBe('failed');
    expect(done.error).toContain('the model bucket stepwise-models is not a dataset source');
  });

  it('an unsupported algorithm is a 400 on create and in a dry run, naming the field and listing the supported ones', async () => {
    const body = { name: 'Bad algorithm', tasks: [{ name: 'train', type: 'ml_training', payload: { model_name: 'x', dataset_url: 's3://b/k.csv', algorithm: 'kmeans' } }] };
    for (const path of ['/api/v1/workflows', '/api/v1/workflows/validate']) {
      const res = await owner.client.post(path, body);
      expect(res.status, path).toBe(400);
      expect(res.text).toContain('algorithm');
      expect(res.text).toContain('xgboost, linear-learner');
    }
  });
});
