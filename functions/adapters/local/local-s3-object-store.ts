import type { S3Client } from '@aws-sdk/client-s3';
import { ObjectTooLarge, type ObjectStore } from '../../core/runner/ports.ts';
import { lazy } from '../lazy.ts';
import { LOCAL_OBJECT_STORE_CREDENTIALS } from './local-object-store-credentials.ts';

export interface S3Settings {
  region: string;
  /** The local object store's URL (path-style, s3rver's account: docs/api.md, "Local object store"). */
  endpoint: string;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);

/**
 * ObjectStore over the local S3-compatible store, with the real S3 client (path-style). Local mode only: on
 * AWS ml_training runs in SageMaker, which reads the dataset and writes the model itself (statemachines/README.md).
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: () => Promise<S3Client>;
  private readonly sdk = lazy(() => import('@aws-sdk/client-s3'));

  constructor(settings: S3Settings) {
    this.client = lazy(async () => {
      const { S3Client: Client } = await this.sdk();
      return new Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: true,
        credentials: LOCAL_OBJECT_STORE_CREDENTIALS,
      });
    });
  }

  async get(bucket: string, key: string, options: { maxBytes: number; signal?: AbortSignal | undefined }): Promise<Uint8Array | undefined> {
    const [client, { GetObjectCommand }] = await Promise.all([this.client(), this.sdk()]);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal });
      if (res.ContentLength !== undefined && res.ContentLength > options.maxBytes) {
        res.Body?.transformToWebStream().cancel().catch(() => undefined);
        throw new ObjectTooLarge(options.maxBytes);
      }
      return await res.Body!.transformToByteArray();
    } catch (error) {
      if (NOT_FOUND.has((error as { name?: string }).name ?? '')) return undefined;
      throw error;
    }
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    const [client, { PutObjectCommand }] = await Promise.all([this.client(), this.sdk()]);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }
}
