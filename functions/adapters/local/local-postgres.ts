import { mkdirSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from '../../core/logger.ts';

/** The documented loopback port of local mode's Postgres (STEPWISE_POSTGRES_PORT changes it). */
export const DEFAULT_LOCAL_POSTGRES_PORT = 5433;

export interface LocalPostgres {
  /** Where clients connect: `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Whether PGlite has been started (by a first connection). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/**
 * Local mode's Postgres: PGlite (Postgres compiled to WebAssembly) with its data under the data
 * dir, served over the wire protocol (pglite-socket), so `pg`, `psql` and every other client talk to
 * it. Starting PGlite costs seconds and hundreds of megabytes, so only the port is opened at server
 * start; the database boots on the first connection, which waits for it, and each connection is
 * piped to the socket server on a Unix socket inside the data dir (no second TCP port).
 *
 * If the port is taken (another local server), an ephemeral one is used and named in the log.
 */
export async function startLocalPostgres(options: { dataDir: string; port: number; logger: Pick<Logger, 'info' | 'warn' | 'error'> }): Promise<LocalPostgres> {
  const dir = join(options.dataDir, 'postgres');
  let booted: Promise<{ db: PGlite; server: PGLiteSocketServer; path: string }> | undefined;
  const boot = () =>
    (booted ??= (async () => {
      const started = performance.now();
      mkdirSync(dir, { recursive: true });
      const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
      const db = await PGlite.create(join(dir, 'data'));
      const path = join(dir, '.s.PGSQL.stepwise');
      const server = new PGLiteSocketServer({ db, path, maxConnections: 100 });
      await server.start();
      options.logger.info('local Postgres started', { ms: Math.round(performance.now() - started), data_dir: dir });
      return { db, server, path };
    })());

  const sockets = new Set<Socket>();
  const listener: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    boot().then(
      ({ path }) => {
        const upstream = connect(path);
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      },
      (error: unknown) => {
        options.logger.error('local Postgres could not start', { error: String(error) });
        booted = undefined;
        client.destroy();
      },
    );
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
    await listen(0);
    options.logger.warn('the local Postgres port is taken; using another', { wanted: options.port, port: (listener.address() as AddressInfo).port });
  }
  const { port } = listener.address() as AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    get started() {
      return booted !== undefined;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      if (!booted) return;
      const { db, server } = await booted.catch(() => ({ db: undefined, server: undefined }));
      await server?.stop().catch(() => undefined);
      await db?.close().catch(() => undefined);
    },
  };
}
