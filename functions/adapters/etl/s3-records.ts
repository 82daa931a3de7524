import type { S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { DataFailure, type ReadOptions, type RecordReader, type RecordWriter, type WriteOptions } from '../../core/etl/ports.ts';
import { lazy } from '../lazy.ts';
import { LOCAL_OBJECT_STORE_CREDENTIALS } from '../local/local-object-store-credentials.ts';
import { parquetReader, RecordEncoder, streamReader } from './formats.ts';

export interface S3RecordSettings {
  region: string;
  /** Local mode: the local object store (path-style, its fixed account). Absent: AWS S3 with the function's role. */
  endpoint?: string | undefined;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);
/** Multipart parts (S3's least is 5 MiB): the writer holds at most one part of text. */
export const PART_BYTES = 8 * 1_048_576;
const CONTENT_TYPES = { csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson' } as const;

/** S3 objects as records: streamed GetObject for text formats, ranged GetObjects for parquet, multipart upload for writes. */
export class S3Records {
  private readonly sdk = lazy(() => import('@aws-sdk/client-s3'));
  private readonly client: () => Promise<S3Client>;

  constructor(settings: S3RecordSettings) {
    this.client = lazy(async () => {
      const { S3Client: Client } = await this.sdk();
      return new Client({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true, credentials: LOCAL_OBJECT_STORE_CREDENTIALS } : {}) });
    });
  }

  async read(bucket: string, key: string, options: ReadOptions): Promise<RecordReader> {
    const [client, sdk] = await Promise.all([this.client(), this.sdk()]);
    if (options.format === 'parquet') {
      const head = await failures(() => client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal }), bucket, key);
      let bytes = 0;
      const file: AsyncBuffer = {
        byteLength: head.ContentLength ?? 0,
        slice: async (start, end) => {
          const res = await failures(() => client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${(end ?? head.ContentLength ?? 0) - 1}` }), { abortSignal: options.signal }), bucket, key);
          const body = await res.Body!.transformToByteArray();
          bytes += body.byteLength;
          return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
        },
      };
      return parquetReader(file, options, () => bytes);
    }
    const res = await failures(() => client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal }), bucket, key);
    return streamReader(res.Body as AsyncIterable<Uint8Array>, options);
  }

  async write(bucket: string, key: string, options: WriteOptions): Promise<RecordWriter> {
    const [client, sdk] = await Promise.all([this.client(), this.sdk()]);
    const encoder = new RecordEncoder(options.format);
    const contentType = CONTENT_TYPES[options.format];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let written = 0;
    let uploadId: string | undefined;
    const parts: { PartNumber: number; ETag: string }[] = [];
    const flushPart = async () => {
      if (uploadId === undefined) {
        const created = await failures(() => client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }), { abortSignal: options.signal }), bucket, key);
        uploadId = created.UploadId!;
      }
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      const PartNumber = parts.length + 1;
      const res = await failures(() => client.send(new sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }), { abortSignal: options.signal }), bucket, key);
      parts.push({ PartNumber, ETag: res.ETag! });
    };
    const add = (text: string) => {
      if (text === '') return;
      const bytes = Buffer.from(text);
      pending.push(bytes);
      pendingBytes += bytes.byteLength;
      written += bytes.byteLength;
    };
    return {
      write: async (records) => {
        const { text, refused } = encoder.encode(records);
        add(text);
        if (pendingBytes >= PART_BYTES) await flushPart();
        return refused;
      },
      close: async () => {
        add(encoder.end());
        if (uploadId === undefined) {
          const body = Buffer.concat(pending);
          await failures(() => client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), { abortSignal: options.signal }), bucket, key);
        } else {
          if (pendingBytes > 0) await flushPart();
          await failures(() => client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } })), bucket, key);
        }
        return { bytesWritten: written };
      },
      abort: async () => {
        if (uploadId !== undefined) await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      },
    };
  }
}

async function failures<T>(call: () => Promise<T>, bucket: string, key: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'AbortError') throw new DataFailure('aborted', 'the run was cancelled');
    if (NOT_FOUND.has(e.name ?? '') || e.$metadata?.httpStatusCode === 404) throw new DataFailure('not_found', `s3://${bucket}/${key} does not exist`);
    // Without s3:ListBucket, S3 answers a missing key with 403, so a 403 cannot tell "absent" from "forbidden".
    if (e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403) throw new DataFailure('blocked', `s3://${bucket}/${key}: not found or not readable (no object at s3://${bucket}/${key} or no access)`);
    if ((e.$metadata?.httpStatusCode ?? 500) >= 500 || !e.$metadata) throw new DataFailure('unavailable', `s3://${bucket}/${key}: ${(error as Error).message}`);
    throw new DataFailure('invalid', `s3://${bucket}/${key}: ${(error as Error).message}`);
  }
}
