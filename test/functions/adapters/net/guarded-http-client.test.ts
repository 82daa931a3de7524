import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GuardedHttpClient, type ResolveHost } from '../../../../functions/adapters/net/guarded-http-client.ts';
import { HttpFailure, type HttpRequest } from '../../../../functions/core/runner/ports.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  base: string;
  port: number;
  seen: Seen[];
  connections: number;
}

const servers: Server[] = [];
const clients: GuardedHttpClient[] = [];

afterEach(async () => {
  for (const open of clients.splice(0)) open.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, server: TestServer) => void): Promise<TestServer> {
  const state: TestServer = { base: '', port: 0, seen: [], connections: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      state.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, state);
    });
  });
  server.on('connection', () => state.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.base = `http://127.0.0.1:${state.port}`;
  return state;
}

function client(options: { allowLoopback?: boolean; lookup?: ResolveHost; maxRedirects?: number; reserved?: number[] } = {}): GuardedHttpClient {
  const c = new GuardedHttpClient({
    policy: { allowLoopback: options.allowLoopback ?? true, ...(options.reserved ? { reservedLoopbackPorts: new Set(options.reserved) } : {}) },
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.maxRedirects === undefined ? {} : { maxRedirects: options.maxRedirects }),
  });
  clients.push(c);
  return c;
}

const get = (url: string, overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url,
  headers: {},
  timeoutMs: 5_000,
  maxResponseBytes: 1_048_576,
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<HttpFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpFailure);
  return error as HttpFailure;
}

const ok = (body: string | Buffer = 'hello', headers: Record<string, string | string[]> = { 'content-type': 'text/plain' }) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, headers);
  res.end(body);
};

describe('GuardedHttpClient: address policy', () => {
  it('reaches a loopback server when the policy allows loopback', async () => {
    const server = await serve(ok('hello', { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }));
    const res = await client().request(get(`${server.base}/path?q=1`, { headers: { 'X-Test': 'yes' } }));
    expect(res).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'text/plain', 'set-cookie': 'a=1, b=2' }),
      body: 'hello',
      truncated: false,
      url: `${server.base}/path?q=1`,
    });
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/path?q=1', headers: expect.objectContaining({ 'x-test': 'yes' }) });
  });

  it('keeps a binary body as its bytes when asked, and decodes nothing', async () => {
    const bytes = Buffer.from([0x50, 0x41, 0x52, 0x31, 0xff, 0xfe, 0x00, 0xc3]);
    const server = await serve(ok(bytes, { 'content-type': 'application/octet-stream' }));
    const res = await client().request(get(`${server.base}/file.parquet`, { binary: true }));
    expect(res).toMatchObject({ status: 200, body: '', truncated: false });
    expect(Buffer.from(res.bytes!).equals(bytes)).toBe(true);
    const text = await client().request(get(`${server.base}/file.parquet`));
    expect(text.bytes).toBeUndefined();
  });

  it('sends a body with its length', async () => {
    const server = await serve(ok());
    await client().request(get(`${server.base}/`, { method: 'post', body: '{"a":"ü"}', headers: { 'content-type': 'application/json', 'Content-Length': '1' } }));
    expect(server.seen[0]).toMatchObject({ method: 'POST', body: '{"a":"ü"}', headers: expect.objectContaining({ 'content-length': '10', 'content-type': 'application/json' }) });
  });

  it('refuses a loopback IP literal when loopback is not allowed, without connecting', async () => {
    const server = await serve(ok());
    const error = await failure(client({ allowLoopback: false }).request(get(`${server.base}/`)));
    expect(error.kind).toBe('blocked_address');
    expect(error.message).toContain('127.0.0.1');
    expect(server.connections).toBe(0);
  });

  it('refuses localhost (resolved through DNS) when loopback is not allowed', async () => {
    const server = await serve(ok());
    const error = await failure(client({ allowLoopback: false }).request(get(`http://localhost:${server.port}/`)));
    expect(error).toMatchObject({ kind: 'blocked_address', message: expect.stringContaining('localhost') });
    expect(server.connections).toBe(0);
  });

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://[fe80::1]/', 'http://10.0.0.1/', 'http://0x7f.1/', 'http://2852039166/'])(
    'refuses %s even when loopback is allowed',
    async (url) => {
      const started = Date.now();
      const error = await failure(client({ allowLoopback: !url.includes('0x7f') }).request(get(url)));
      expect(error.kind).toBe('blocked_address');
      // Judged before connecting: no connect timeout to wait for.
      expect(Date.now() - started).toBeLessThan(1_000);
    },
  );

  it.each([
    [['169.254.169.254'], 'a link-local or cloud metadata address'],
    [['10.0.0.1'], 'a private or reserved address'],
    [['127.0.0.1', '10.0.0.1'], 'a private or reserved address'],
    [['::ffff:a9fe:a9fe'], 'a link-local or cloud metadata address'],
  ])('refuses a host name that resolves to %j, without connecting', async (addresses, reason) => {
    const server = await serve(ok());
    const looked: string[] = [];
    const lookup: ResolveHost = async (host) => {
      looked.push(host);
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const error = await failure(client({ lookup }).request(get(`http://internal.test:${server.port}/`)));
    expect(error).toMatchObject({ kind: 'blocked_address', message: expect.stringContaining(`internal.test`) });
    expect(error.message).toContain(reason);
    expect(looked).toEqual(['internal.test']);
    expect(server.connections).toBe(0);
  });

  it('connects to the address the lookup judged, keeping the host name in the Host header', async () => {
    const server = await serve(ok('via name'));
    const res = await client({ lookup: async () => [{ address: '127.0.0.1', family: 4 }] }).request(get(`http://api.test:${server.port}/x`));
    expect(res.body).toBe('via name');
    expect(server.seen[0]?.headers.host).toBe(`api.test:${server.port}`);
  });

  it('a lookup failure is a network error', async () => {
    const lookup: ResolveHost = async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' }));
    const error = await failure(client({ lookup }).request(get('http://nowhere.test/')));
    expect(error).toMatchObject({ kind: 'network', message: expect.stringContaining('ENOTFOUND') });
  });

  it('a refused connection is a network error', async () => {
    const server = await serve(ok());
    const port = server.port;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const error = await failure(client().request(get(`http://127.0.0.1:${port}/`)));
    expect(error).toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') });
  });

  it.each(['ftp://127.0.0.1/file', 'file:///etc/passwd', 'http://user:pw@127.0.0.1/', 'not a url'])('refuses %s as an invalid URL', async (url) => {
    const error = await failure(client().request(get(url)));
    expect(error.kind).toBe('invalid_url');
  });
});

describe('GuardedHttpClient: reserved loopback ports (Stepwise\'s own, in local mode)', () => {
  it.each([
    ['an IP literal', (port: number) => `http://127.0.0.1:${port}/`],
    ['another loopback address', (port: number) => `http://127.0.0.2:${port}/`],
    ['an IPv4-mapped literal', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['localhost, resolved by name', (port: number) => `http://localhost:${port}/`],
  ])('refuses a reserved port through %s, without connecting', async (_what, url) => {
    const server = await serve(ok());
    const error = await failure(client({ reserved: [server.port] }).request(get(url(server.port), { method: 'POST', headers: { 'X-Amz-Target': 'DynamoDB_20120810.Scan' }, body: '{"TableName":"t"}' })));
    expect(error).toMatchObject({ kind: 'blocked_address', message: expect.stringContaining(`port ${server.port}`) });
    expect(error.message).toContain('a port of Stepwise itself');
    expect(server.connections).toBe(0);
  });

  it('refuses a redirect to a reserved port', async () => {
    const reserved = await serve(ok('secret items'));
    const open = await serve((_req, res) => {
      res.writeHead(302, { location: `${reserved.base}/` });
      res.end();
    });
    const error = await failure(client({ reserved: [reserved.port] }).request(get(`${open.base}/`)));
    expect(error).toMatchObject({ kind: 'blocked_address', message: expect.stringContaining(`port ${reserved.port}`) });
    expect(reserved.connections).toBe(0);
  });

  it('still reaches every other loopback port', async () => {
    const server = await serve(ok('allowed'));
    expect((await client({ reserved: [server.port + 1] }).request(get(`${server.base}/`))).body).toBe('allowed');
  });
});

describe('GuardedHttpClient: redirects', () => {
  it('follows a chain of redirects and reports the final URL', async () => {
    const server = await serve((req, res) => {
      const n = Number(/^\/r\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      if (n > 0) {
        res.writeHead(302, { location: `/r/${n - 1}` });
        res.end('moving');
      } else ok('arrived')(req, res);
    });
    const res = await client().request(get(`${server.base}/r/5`));
    expect(res).toMatchObject({ status: 200, body: 'arrived', url: `${server.base}/r/0` });
    expect(server.seen.map((s) => s.url)).toEqual(['/r/5', '/r/4', '/r/3', '/r/2', '/r/1', '/r/0']);
  });

  it('stops after 5 redirects', async () => {
    const server = await serve((req, res) => {
      res.writeHead(301, { location: `${req.url ?? ''}x` });
      res.end();
    });
    const error = await failure(client().request(get(`${server.base}/`)));
    expect(error.kind).toBe('too_many_redirects');
    expect(server.seen).toHaveLength(6);
  });

  it('judges every redirect target: a redirect to the metadata address is blocked', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
      res.end();
    });
    const error = await failure(client().request(get(`${server.base}/`)));
    expect(error.kind).toBe('blocked_address');
    expect(server.seen).toHaveLength(1);
  });

  it('judges redirect targets resolved by name too', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: 'http://metadata.test/' });
      res.end();
    });
    const lookup: ResolveHost = async () => [{ address: '169.254.169.254', family: 4 }];
    const error = await failure(client({ lookup }).request(get(`${server.base}/`)));
    expect(error.kind).toBe('blocked_address');
  });

  it('refuses a redirect to another scheme', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'ftp://example.com/' });
      res.end();
    });
    expect((await failure(client().request(get(`${server.base}/`)))).kind).toBe('invalid_url');
  });

  it.each([
    [303, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [301, 'POST', 'GET', ''],
    [307, 'POST', 'POST', '{"a":1}'],
    [308, 'PUT', 'PUT', '{"a":1}'],
    [303, 'PUT', 'GET', ''],
    [302, 'PUT', 'PUT', '{"a":1}'],
  ])('%i after %s continues as %s', async (status, method, nextMethod, nextBody) => {
    const server = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(status, { location: '/next' });
        res.end();
      } else ok()(req, res);
    });
    await client().request(get(`${server.base}/start`, { method, body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    expect(server.seen[1]).toMatchObject({ method: nextMethod, url: '/next', body: nextBody });
    expect(server.seen[1]?.headers['content-type']).toBe(nextBody === '' ? undefined : 'application/json');
  });

  it('keeps Authorization on same-origin redirects and drops it across origins', async () => {
    const other = await serve(ok('other'));
    const server = await serve((req, res) => {
      if (req.url === '/same') {
        res.writeHead(302, { location: '/cross' });
        res.end();
      } else if (req.url === '/cross') {
        res.writeHead(302, { location: `http://localhost:${other.port}/landed` });
        res.end();
      }
    });
    const res = await client().request(get(`${server.base}/same`, { headers: { Authorization: 'Bearer t0ken', Cookie: 'sid=1', 'X-Keep': 'k' } }));
    expect(res).toMatchObject({ body: 'other', url: `http://localhost:${other.port}/landed` });
    expect(server.seen[1]?.headers).toMatchObject({ authorization: 'Bearer t0ken', cookie: 'sid=1' });
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
    expect(other.seen[0]?.headers.cookie).toBeUndefined();
    expect(other.seen[0]?.headers['x-keep']).toBe('k');
  });

  it('issue 13 #7 (Medium): drops every header named as carrying a secret across origins, and keeps them on the same origin', async () => {
    const other = await serve(ok('other'));
    const server = await serve((req, res) => {
      if (req.url === '/same') {
        res.writeHead(302, { location: '/cross' });
        res.end();
      } else {
        res.writeHead(302, { location: `http://localhost:${other.port}/landed` });
        res.end();
      }
    });
    const headers = { 'X-Api-Key': 'k3y-value-123', 'X-Signed': 'sig k3y-value-123', 'X-Keep': 'k' };
    await client().request(get(`${server.base}/same`, { headers, secretHeaders: ['X-Api-Key', 'x-signed'] }));
    expect(server.seen[1]?.headers).toMatchObject({ 'x-api-key': 'k3y-value-123', 'x-signed': 'sig k3y-value-123' });
    expect(other.seen[0]?.headers['x-api-key']).toBeUndefined();
    expect(other.seen[0]?.headers['x-signed']).toBeUndefined();
    expect(other.seen[0]?.headers['x-keep']).toBe('k');
  });

  it('issue 13 #7 (Medium): refuses to resend a body that carries a secret to another origin (307)', async () => {
    const other = await serve(ok('other'));
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: `http://localhost:${other.port}/landed` });
      res.end();
    });
    const error = await client()
      .request(get(`${server.base}/start`, { method: 'POST', body: '{"token":"s3cret-value"}', secretBody: true }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpFailure);
    expect((error as HttpFailure).kind).toBe('blocked_redirect');
    expect(other.seen).toEqual([]);
  });

  it('returns a redirect without a Location as it is', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302);
      res.end('nowhere');
    });
    expect(await client().request(get(`${server.base}/`))).toMatchObject({ status: 302, body: 'nowhere' });
  });
});

describe('GuardedHttpClient: limits', () => {
  it('times out when no response comes', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(client().request(get(`${server.base}/`, { timeoutMs: 150 })));
    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('150 ms') });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.seen).toHaveLength(1);
  });

  it('the timeout covers reading the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    expect((await failure(client().request(get(`${server.base}/`, { timeoutMs: 150 })))).kind).toBe('timeout');
  });

  it('the timeout covers the whole redirect chain', async () => {
    const server = await serve((req, res) => {
      setTimeout(() => {
        res.writeHead(302, { location: `${req.url ?? ''}x` });
        res.end();
      }, 60);
    });
    expect((await failure(client({ maxRedirects: 20 }).request(get(`${server.base}/`, { timeoutMs: 200 })))).kind).toBe('timeout');
    expect(server.seen.length).toBeLessThan(6);
  });

  it('truncates the body at maxResponseBytes and drops the connection', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Far more than the limit, written in pieces, and never ended by the server.
      for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
    });
    const res = await client().request(get(`${server.base}/`, { maxResponseBytes: 1_000 }));
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(res.body).toBe('x'.repeat(1_000));
  });

  it('a body of exactly maxResponseBytes is not truncated', async () => {
    const server = await serve(ok('y'.repeat(500)));
    const res = await client().request(get(`${server.base}/`, { maxResponseBytes: 500 }));
    expect(res).toMatchObject({ truncated: false, body: 'y'.repeat(500) });
  });

  it('does not leave half a character at the cut', async () => {
    const server = await serve(ok('ab€€€'));
    const res = await client().request(get(`${server.base}/`, { maxResponseBytes: 4 }));
    expect(res).toMatchObject({ truncated: true, body: 'ab' });
  });

  it('aborts through the caller signal', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(client().request(get(`${server.base}/`, { signal: controller.signal })));
    expect(error.kind).toBe('aborted');
  });

  it('does not start when the signal is already aborted', async () => {
    const server = await serve(ok());
    const error = await failure(client().request(get(`${server.base}/`, { signal: AbortSignal.abort() })));
    expect(error.kind).toBe('aborted');
    expect(server.connections).toBe(0);
  });

  it('reuses the connection for consecutive requests to the same host', async () => {
    const server = await serve(ok());
    const c = client();
    await c.request(get(`${server.base}/1`));
    await c.request(get(`${server.base}/2`));
    expect(server.seen).toHaveLength(2);
    expect(server.connections).toBe(1);
  });
});
