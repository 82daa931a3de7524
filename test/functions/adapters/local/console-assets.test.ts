import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../../../functions/adapters/local/api-gateway-server.ts';
import { consoleAssets } from '../../../../functions/adapters/local/console-assets.ts';
import type { HttpHandler } from '../../../../functions/http/pipeline.ts';
import { consoleContentSecurityPolicy, isConsolePath } from '../../../../lib/definitions/console.ts';
import { RESOURCES, ROUTES, type Resource } from '../../../../lib/definitions/routes.ts';

/** Every API route reaches its handler with the console mounted at `/`; the console answers only for its own files. */
const reached: Array<{ method: string; path: string }> = [];
const echo: HttpHandler = async (event) => {
  reached.push({ method: event.httpMethod, path: event.path });
  return { statusCode: 299, headers: { 'Content-Type': 'application/json' }, body: '{"handler":true}' };
};

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'stepwise-console-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'config.json'), '{"api_url":"","live_url":""}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'export {};');
  // Files the console never names: not served even though they are in the folder.
  writeFileSync(join(dist, '.build-stamp'), 'hash');
  writeFileSync(join(dist, 'api'), 'not an API');
  const handlers = Object.fromEntries(RESOURCES.map((r) => [r, echo])) as Record<Resource, HttpHandler>;
  // Every route passes the local authorizer: this test is about which code answers, not who may ask.
  server = createLocalApi({
    handlers,
    console: consoleAssets(dist),
    authorizer: async () => ({ principalId: 'usr_1', policyDocument: { Version: '2012-10-17', Statement: [] }, context: { accountId: 'acct_1', role: 'admin', scopes: '' } }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});
beforeEach(() => {
  reached.length = 0;
});

/** A raw request, so paths reach the server exactly as written (fetch would normalise `..`). */
function raw(method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const req = request(`${base}${path}`, { method, headers: withBody ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(withBody ? '{}' : undefined);
  });
}

describe('local console at / (functions/adapters/local/console-assets.ts)', () => {
  it('claims no API route: every route of lib/definitions/routes.ts still reaches its handler', async () => {
    for (const route of ROUTES) {
      const path = route.path.replace(/\{\w+\}/g, 'id_1');
      const res = await raw(route.method, path);
      expect(res.status, `${route.method} ${route.path}: ${res.body}`).toBe(299);
      expect(res.headers['content-type'], `${route.method} ${route.path}`).toBe('application/json');
      expect(reached.at(-1), `${route.method} ${route.path}`).toEqual({ method: route.method, path });
    }
    expect(reached).toHaveLength(ROUTES.length);
  });

  it('no console path is an API route', () => {
    // The predicate the site and the e2e validating proxy share, on every route with sample ids and with a file-like id.
    for (const route of ROUTES) {
      for (const id of ['id_1', 'index.html', 'app.js']) expect(isConsolePath(route.path.replace(/\{\w+\}/g, id)), `${route.method} ${route.path}`).toBe(false);
    }
    const consolePaths = ['/', '/index.html', '/config.json', '/favicon.svg', '/assets/index-abc123.js'];
    for (const route of ROUTES) {
      const pattern = new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}/?$`);
      for (const path of consolePaths) expect(pattern.test(path), `${route.method} ${route.path} vs ${path}`).toBe(false);
    }
  });

  it('serves its own files with the console CSP, and nothing else from its folder', async () => {
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(consoleContentSecurityPolicy());
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<title>console</title>');
    const asset = await raw('GET', '/assets/index-abc123.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await raw('HEAD', '/config.json')).status).toBe(200);
    expect(reached).toEqual([]);

    // Everything else falls through to the API's own 404 (JSON, the one error shape), never a file.
    for (const path of ['/.build-stamp', '/api', '/assets/..%2f.build-stamp', '/assets/missing.js', '/assets/', '/index.html/x', '/%2e%2e/package.json']) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body), path).toMatchObject({ error: { code: 'not_found' } });
    }
    // Only GET and HEAD: a POST to / is the API's.
    const post = await raw('POST', '/');
    expect(post.status).toBe(404);
    expect(JSON.parse(post.body).error.code).toBe('not_found');
  });

  it('says how to build the console when it is not built, in the API error shape', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'stepwise-console-empty-'));
    try {
      const site = consoleAssets(empty);
      let handled = false;
      const answered = await new Promise<{ status: number; body: string }>((resolve) => {
        const res = {
          status: 0,
          writeHead(status: number) {
            this.status = status;
            return this;
          },
          end(body: string) {
            resolve({ status: this.status, body });
          },
        };
        handled = site.serve({ method: 'GET' } as never, res as never, '/');
      });
      expect(handled).toBe(true);
      expect(answered.status).toBe(404);
      expect(JSON.parse(answered.body)).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('npm run build:console'), request_id: expect.stringMatching(/^req/) } });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
