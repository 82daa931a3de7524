import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

/**
 * The seed conformance suite's tools. Every request, body and snippet is cut out of the seed
 * documents themselves (../shared/seeds/, as CI lays it beside the repository), so what runs is
 * what the seed says, byte for byte; only the substitutions the suite names (base URL,
 * credentials, ids) are applied before it runs.
 */

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SEEDS_DIR = process.env.STEPWISE_SEEDS_DIR ?? join(REPO, '..', 'shared', 'seeds');

export const SEED_FILES = {
  astraflow: '000_59bb56568cdfc842.txt',
  behflow: '001_7f670e03211ac63e.txt',
  flowrunner: '002_2d0b37f5b99bf1a6.txt',
  flowctl: '003_5ae12e1ef4764100.txt',
  cloudflow: '004_951fa74c117df703.txt',
} as const;

export function seedText(seed: keyof typeof SEED_FILES): string {
  const path = join(SEEDS_DIR, SEED_FILES[seed]);
  if (!existsSync(path)) throw new Error(`seed document ${path} is missing (set STEPWISE_SEEDS_DIR to the shared/seeds folder)`);
  return readFileSync(path, 'utf8');
}

/** The exact text of the seed from `start` through the first `end` after it (both included). */
export function snippet(text: string, start: string, end: string, from = 0): string {
  const i = text.indexOf(start, from);
  if (i < 0) throw new Error(`the seed has no ${JSON.stringify(start)}`);
  const j = text.indexOf(end, i + start.length);
  if (j < 0) throw new Error(`the seed has no ${JSON.stringify(end)} after ${JSON.stringify(start)}`);
  return text.slice(i, j + end.length);
}

/**
 * A JSON example of the seed: the first `{…}` block that starts a line after `marker` (or right at
 * the marker's own trailing `{`), parsed. The seeds' `[...]` and `{...}` placeholders read as empty.
 */
export function jsonAfter(text: string, marker: string, occurrence = 1): unknown {
  let at = -1;
  for (let n = 0; n < occurrence; n++) {
    at = text.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`the seed has no ${JSON.stringify(marker)} #${n + 1}`);
  }
  let open: number;
  if (marker.endsWith('{')) open = at + marker.length - 1;
  else {
    const match = /(^|\n)[ \t]*\{/.exec(text.slice(at + marker.length));
    if (!match) throw new Error(`no JSON block after ${JSON.stringify(marker)}`);
    open = at + marker.length + match.index + match[0].length - 1;
  }
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    if (text[k] === '}' && --depth === 0) return JSON.parse(text.slice(open, k + 1).replaceAll('[...]', '[]').replaceAll('{...}', '{}'));
  }
  throw new Error(`unbalanced JSON after ${JSON.stringify(marker)}`);
}

export function substitute(text: string, substitutions: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(substitutions)) out = out.replaceAll(from, to);
  return out;
}

export interface CurlResult {
  status: number;
  body: any;
  text: string;
}

/**
 * Runs a seed's curl command through bash, after the substitutions. The suite adds only
 * `-s -w '\n%{http_code}'` at the end, to read the status without changing the request.
 */
export async function curl(command: string, substitutions: Record<string, string> = {}): Promise<CurlResult> {
  const script = `${substitute(command, substitutions).trimEnd()} -s -w '\\n%{http_code}'`;
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  const cut = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, cut);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: Number(stdout.slice(cut + 1)), body, text };
}

const interpreters = new Map<string, Promise<string>>();

/**
 * A Python 3 that can import `modules`: the machines have `requests` in the default python3 and
 * PyJWT with cryptography in Debian's /usr/bin/python3 (.ci/run installs what is missing).
 */
export function pythonWith(modules: readonly string[]): Promise<string> {
  const key = modules.join(',');
  let found = interpreters.get(key);
  if (!found) {
    found = (async () => {
      for (const candidate of ['python3', '/usr/bin/python3']) {
        try {
          await run(candidate, ['-c', `import ${modules.join(', ')}`], { timeout: 30_000 });
          return candidate;
        } catch {
          // try the next one
        }
      }
      throw new Error(`no python3 here can import ${modules.join(', ')}: install them (Debian: python3-requests, python3-jwt, python3-cryptography)`);
    })();
    interpreters.set(key, found);
  }
  return found;
}

/** Runs Python source in a fresh folder (files it opens, such as private_key.pem, go there first). */
export async function python(code: string, options: { modules: readonly string[]; files?: Record<string, string> }): Promise<string> {
  const interpreter = await pythonWith(options.modules);
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-seed-py-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'snippet.py'), code);
  const { stdout } = await run(interpreter, ['snippet.py'], { cwd: dir, timeout: 60_000, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  return stdout;
}

/** Runs a JavaScript snippet as an ES module with Node (top-level await, global fetch). */
export async function javascript(code: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-seed-js-'));
  writeFileSync(join(dir, 'snippet.mjs'), code);
  const { stdout } = await run(process.execPath, ['snippet.mjs'], { cwd: dir, timeout: 60_000 });
  return stdout;
}

/**
 * Runs a seed SDK snippet whose import now names a Stepwise facade (`stepwise/compat/astraflow`,
 * `stepwise/compat/flowctl`): inside the repository, so the package's own exports resolve, with
 * tsx loading the TypeScript facades. `env` is what a user of the snippet would export
 * (STEPWISE_API_URL, STEPWISE_TOKEN).
 */
export async function javascriptWithFacade(code: string, env: Record<string, string>): Promise<string> {
  const dir = join(REPO, '.test-data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `seed-sdk-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.mjs`);
  writeFileSync(file, code);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: REPO, timeout: 60_000, env: { ...process.env, ...env } });
    return stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that answers 200 and records every request: the seeds' example.com endpoints, locally. */
export async function receiver(options: { delayMs?: number } = {}): Promise<{ url: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ key: 'value', received: true }));
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every rate-limit header the seeds document, on a response from a rate-limited route. */
export function expectRateLimitHeaders(headers: Headers, limit: number) {
  expect(Number(headers.get('x-ratelimit-limit'))).toBe(limit);
  expect(Number(headers.get('x-ratelimit-remaining'))).toBeLessThan(limit);
  expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
}
