import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { newId } from '../../core/ids.ts';
import { CONSOLE_CACHE_CONTROL, CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy, isConsolePath } from '../../../lib/definitions/console.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ConsoleAssets {
  /** Answers GET/HEAD for `/`, the console's top-level files and `/assets/*`; false for any other path (the API's routes). */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

/**
 * The web console in local mode (docs/deploy.md#console): the built files from console/dist with
 * the same headers CloudFront adds on AWS (lib/definitions/console.ts). It claims only `/`,
 * `/index.html`, `/config.json`, `/favicon.svg` and `/assets/…`, none of which is an API route,
 * so every route of lib/definitions/routes.ts still reaches its handler.
 */
export function consoleAssets(dir: string): ConsoleAssets {
  const root = resolve(dir);
  const headers = { ...CONSOLE_SECURITY_HEADERS, 'Content-Security-Policy': consoleContentSecurityPolicy() };
  return {
    serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (!isConsolePath(pathname)) return false;
      const name = pathname === '/' ? 'index.html' : pathname.slice(1);
      const asset = name.startsWith('assets/');
      const file = resolve(join(root, name));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
        if (name === 'index.html') {
          // Built by `npm start`/`npm ci` (scripts/build-console.ts); say so instead of a bare 404.
          const requestId = newId('request');
          res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId, ...headers });
          res.end(JSON.stringify({ error: { code: 'not_found', message: 'The console is not built: run `npm run build:console` (npm start does it)', request_id: requestId } }));
          return true;
        }
        return false;
      }
      const body = readFileSync(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
        'Cache-Control': asset ? CONSOLE_CACHE_CONTROL.immutable : CONSOLE_CACHE_CONTROL.revalidate,
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
