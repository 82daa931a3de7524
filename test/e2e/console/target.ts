import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback service for the console tests: the workflows' HTTP target and a webhook receiver.
 * `/broken` answers 503 until `fix()`; every request is recorded.
 */
export class Target {
  readonly received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  private fixed = false;
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.received.push({ path, headers: req.headers, body });
      const ok = path !== '/broken' || this.fixed;
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ok ? { ok: true, path } : { error: 'down for maintenance' }));
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  fix(): void {
    this.fixed = true;
  }

  count(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
