/**
 * `npm run build:console`: builds the web console (console/) into console/dist with Vite, unless
 * the build there already comes from exactly these sources. `npm ci` (prepare), `npm start`
 * (prestart) and `npm test` run it, so the console served at `/` is never older than its code;
 * the output is not committed (docs/deploy.md#console).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST_DIR } from '../lib/definitions/console.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const consoleDir = join(root, 'console');
export const consoleDist = join(root, CONSOLE_DIST_DIR);
const STAMP = '.build-stamp';

function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== 'dist' && !name.startsWith('dist.') && name !== 'node_modules')
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : [path];
    })
    .toSorted();
}

/** A digest of everything the build reads: the console's files and the locked dependency versions. */
export function consoleSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sources(consoleDir), join(root, 'package-lock.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** `fresh` when console/dist was built from the current sources. */
export function consoleBuildState(): { fresh: boolean; hash: string } {
  const hash = consoleSourceHash();
  const stamp = join(consoleDist, STAMP);
  return { hash, fresh: existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash };
}

/** Builds into a fresh folder and swaps it in, so a reader never sees half a build. */
export async function buildConsole(options: { force?: boolean; quiet?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  const { fresh, hash } = consoleBuildState();
  if (fresh && !options.force) return { built: false, ms: performance.now() - started };
  const { build } = await import('vite');
  const outDir = `${consoleDist}.tmp-${process.pid}`;
  await build({ configFile: join(consoleDir, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info', build: { outDir, emptyOutDir: true } });
  writeFileSync(join(outDir, STAMP), `${hash}\n`);
  const old = `${consoleDist}.old-${process.pid}`;
  if (existsSync(consoleDist)) renameSync(consoleDist, old);
  renameSync(outDir, consoleDist);
  rmSync(old, { recursive: true, force: true });
  return { built: true, ms: performance.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { built, ms } = await buildConsole({ force: process.argv.includes('--force') });
  console.info(built ? `console built into ${CONSOLE_DIST_DIR} in ${Math.round(ms)} ms` : `console in ${CONSOLE_DIST_DIR} is up to date`);
}
