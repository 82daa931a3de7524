import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lazy } from '../lazy.ts';

export interface LocalObjectStore {
  /** `http://127.0.0.1:<port>`: the endpoint for the AWS CLI (`--endpoint-url`) and SDKs (path-style). */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface LocalObjectStoreOptions {
  /** 0 picks a free port. */
  port: number;
  /** Buckets and objects live here, as files (s3rver's layout). */
  directory: string;
  /** Created when missing, before the first request is answered. */
  buckets: readonly string[];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Local mode's S3-compatible store (docs/api.md, "Local object store"): s3rver behind a server on
 * 127.0.0.1 only. The port is bound at once, so it is known and reserved before workflows run, but
 * s3rver (Koa, winston: most of a second to load) loads on the first request, so a server that never
 * touches S3 (most test servers) never pays for it.
 */
export async function startLocalObjectStore(options: LocalObjectStoreOptions): Promise<LocalObjectStore> {
  mkdirSync(options.directory, { recursive: true });
  const handler = lazy(async (): Promise<Handler> => {
    const { default: S3rver } = await import('@20minutes/s3rver');
    const s3 = new S3rver({ directory: options.directory, silent: true, vhostBuckets: false, allowMismatchedSignatures: true, configureBuckets: options.buckets.map((name) => ({ name })) });
    await s3.configureBuckets();
    return s3.callback();
  });
  const server: Server = createServer((req, res) => {
    handler().then(
      (handle) => handle(req, res),
      (error: unknown) => {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/xml');
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>the local object store could not start: ${String((error as Error).message).replace(/[<&>]/g, '')}</Message></Error>`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
