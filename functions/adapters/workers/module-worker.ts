import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface ModuleWorkerOptions {
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** Defaults to this thread's environment (a copy, as Worker does). */
  env?: NodeJS.ProcessEnv;
}

/**
 * A worker thread running the module at `moduleUrl` (usually the caller's own `import.meta.url`, the
 * module then checks `workerData` to act as the worker).
 *
 * Bundled (Lambda) that URL is the bundle itself, which Node loads as is. From source (local mode and
 * the tests run TypeScript through tsx) a worker does not inherit the parent's module hooks, so a tiny
 * bootstrap loads tsx's API first and imports the module through it.
 */
export function spawnModuleWorker(moduleUrl: string, options: ModuleWorkerOptions = {}): Worker {
  const shared = {
    workerData: options.workerData,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    ...(options.env ? { env: options.env } : {}),
  };
  const url = new URL(moduleUrl);
  if (!/\.[mc]?ts$/.test(url.pathname)) return new Worker(url, shared);
  // A module tsx loaded carries tsx's namespace for that thread in its URL; the new thread has its own.
  url.search = '';
  url.hash = '';
  const target = JSON.stringify(url.href);
  const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then(({ tsImport }) => tsImport(${target}, ${target}))`;
  return new Worker(bootstrap, { ...shared, eval: true });
}

/** tsx's ESM API entry, read from its exports map (resolving it through require would pick the CommonJS build). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = exports['./esm/api']?.import?.default;
  if (!entry) throw new Error('tsx has no ./esm/api export; reinstall the dependencies (npm ci)');
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
