import { Readable } from 'node:stream';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeEach, describe, expect, it } from 'vitest';
import { PART_BYTES, S3Records } from '../../../../functions/adapters/etl/s3-records.ts';
import { DataFailure, type SourceItem } from '../../../../functions/core/etl/ports.ts';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());
const subject = () => new S3Records({ region: 'eu-west-1' });
const body = (bytes: Uint8Array) => Object.assign(Readable.from([Buffer.from(bytes)]), { transformToByteArray: async () => bytes });

async function all(batches: AsyncIterable<SourceItem[]>): Promise<SourceItem[][]> {
  const out: SourceItem[][] = [];
  for await (const b of batches) out.push(b);
  return out;
}

describe('S3Records (AWS S3: the stage’s data bucket)', () => {
  it('streams a CSV object with one GetObject, in batches, a malformed line as that row’s error', async () => {
    const csv = 'id,name\n1,a\n2,b\n3,c,extra\n4,d\n';
    s3.on(GetObjectCommand).resolves({ Body: body(new TextEncoder().encode(csv)) as never });
    const reader = await subject().read('stepwise-dev-data-123', 'etl/acct_1/in.csv', { format: 'csv', batchSize: 2 });
    const batches = await all(reader.batches);
    expect(batches).toEqual([
      [
        { row: 2, record: { id: '1', name: 'a' } },
        { row: 3, record: { id: '2', name: 'b' } },
      ],
      [
        { row: 4, error: expect.stringContaining('Invalid Record Length') },
        { row: 5, record: { id: '4', name: 'd' } },
      ],
    ]);
    expect(reader.bytesRead()).toBe(csv.length);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/in.csv' }]);
  });

  it('reads parquet with HeadObject and ranged GetObjects, one row group at a time', async () => {
    const file = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2, 3], type: 'INT32' }, { name: 'city', data: ['Oslo', 'Lima', 'Pune'], type: 'STRING' }], rowGroupSize: 2 }));
    s3.on(HeadObjectCommand).resolves({ ContentLength: file.byteLength });
    s3.on(GetObjectCommand).callsFake((input: { Range: string }) => {
      const [, start, end] = /bytes=(\d+)-(\d+)/.exec(input.Range)!;
      return { Body: body(file.slice(Number(start), Number(end) + 1)) };
    });
    const reader = await subject().read('stepwise-dev-data-123', 'etl/acct_1/cities.parquet', { format: 'parquet', batchSize: 10 });
    const items = (await all(reader.batches)).flat();
    expect(items).toEqual([
      { row: 1, record: { id: 1, city: 'Oslo' } },
      { row: 2, record: { id: 2, city: 'Lima' } },
      { row: 3, record: { id: 3, city: 'Pune' } },
    ]);
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/cities.parquet' }]);
    expect(s3.commandCalls(GetObjectCommand).every((c) => /^bytes=\d+-\d+$/.test(String(c.args[0].input.Range)))).toBe(true);
    expect(reader.bytesRead()).toBeGreaterThan(0);
  });

  it('a missing object is a not_found DataFailure naming it', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
    const error = await subject().read('b-data', 'etl/acct_1/none.csv', { format: 'csv', batchSize: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFailure);
    expect(error).toMatchObject({ kind: 'not_found', message: 's3://b-data/etl/acct_1/none.csv does not exist' });
  });

  it('a 403 on GetObject or HeadObject (a missing key without s3:ListBucket) says not found or not readable, not just access denied', async () => {
    const forbidden = () => Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    s3.on(GetObjectCommand).rejects(forbidden());
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('UnknownError'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    const csv = await subject().read('b-data', 'etl/acct_1/none.csv', { format: 'csv', batchSize: 10 }).catch((e: unknown) => e);
    expect(csv).toMatchObject({ kind: 'blocked', message: 's3://b-data/etl/acct_1/none.csv: not found or not readable (no object at s3://b-data/etl/acct_1/none.csv or no access)' });
    const parquet = await subject().read('b-data', 'etl/acct_1/none.parquet', { format: 'parquet', batchSize: 10 }).catch((e: unknown) => e);
    expect(parquet).toMatchObject({ kind: 'blocked', message: 's3://b-data/etl/acct_1/none.parquet: not found or not readable (no object at s3://b-data/etl/acct_1/none.parquet or no access)' });
  });

  it('writes a small object with one PutObject (csv header from the first record)', async () => {
    s3.on(PutObjectCommand).resolves({});
    const writer = await subject().write('stepwise-dev-data-123', 'etl/acct_1/out.csv', { format: 'csv' });
    expect(await writer.write([{ id: 1, name: 'a, b' }, { id: 2, name: 'say "hi"' }, { id: 3, other: true }])).toEqual([{ index: 2, error: 'column "other" is not in the CSV header (id, name)' }]);
    const { bytesWritten } = await writer.close();
    const text = 'id,name\n1,"a, b"\n2,"say ""hi"""\n';
    expect(bytesWritten).toBe(text.length);
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect({ ...input, Body: String(input.Body) }).toEqual({ Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/out.csv', Body: text, ContentType: 'text/csv' });
  });

  it('writes a large object as a multipart upload, holding at most one part; abort removes a partial upload', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const writer = await subject().write('stepwise-dev-data-123', 'etl/acct_1/big.ndjson', { format: 'ndjson' });
    const record = { text: 'x'.repeat(1_000) };
    const batch = Array.from({ length: 1_000 }, () => record);
    for (let i = 0; i < 10; i++) await writer.write(batch);
    const { bytesWritten } = await writer.close();
    expect(bytesWritten).toBe(10_000 * (JSON.stringify(record).length + 1));
    expect(s3.commandCalls(CreateMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/big.ndjson', ContentType: 'application/x-ndjson' }]);
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(parts.every((p) => p.UploadId === 'up-1' && p.Key === 'etl/acct_1/big.ndjson')).toBe(true);
    expect((parts[0]!.Body as Buffer).byteLength).toBeGreaterThanOrEqual(PART_BYTES);
    expect(s3.commandCalls(CompleteMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/big.ndjson', UploadId: 'up-1', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"etag-1"' }, { PartNumber: 2, ETag: '"etag-2"' }] } },
    ]);

    s3.on(AbortMultipartUploadCommand).resolves({});
    const abandoned = await subject().write('stepwise-dev-data-123', 'etl/acct_1/partial.ndjson', { format: 'ndjson' });
    for (let i = 0; i < 9; i++) await abandoned.write(batch);
    await abandoned.abort();
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'stepwise-dev-data-123', Key: 'etl/acct_1/partial.ndjson', UploadId: 'up-1' }]);
  });
});
