import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What runs in the benchmarks call: a loopback JSON service that answers at once, so the figures
 * are Stepwise's, not the remote's; `?delay=<ms>` (at most a minute) answers that much later, for
 * workloads whose calls take time.
 */
export interface LoopbackTarget {
  readonly url: string;
  /** Requests received so far. */
  readonly received: () => number;
  close(): Promise<void>;
}

export async function startLoopbackTarget(): Promise<LoopbackTarget> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received += 1;
    req.resume();
    const value = received;
    const delay = Math.min(60_000, Math.max(0, Number(new URL(req.url ?? '/', 'http://target').searchParams.get('delay')) || 0));
    req.on('end', () => {
      const answer = () => {
        const body = JSON.stringify({ value, path: req.url, ok: true });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (delay) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
