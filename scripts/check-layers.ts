/**
 * Enforces the dependency rules of docs/architecture.md#the-rules-this-check-enforces:
 * - functions/core and statemachines import no AWS SDK, no adapters, no http, no root, and read no process.env;
 *   core reads scopes and roles from lib/definitions/scopes.ts, never the route table;
 * - only functions/adapters (and bin/ wiring) import the AWS SDK;
 * - adapters import neither the HTTP layer, nor resource folders, nor the composition root;
 * - resource folders (functions/<resource>) import no adapters; only their handler.ts (the Lambda
 *   entry) imports the composition root (functions/root);
 * - STEPWISE_MODE and process.env are read only by the root and the Lambda entries;
 * - code outside statemachines/ imports it through statemachines/index.ts, or through the leaf
 *   modules the index names as importable on their own (PUBLIC_STATEMACHINE_MODULES);
 * - lib/ never imports function code (it names entry files by path);
 * - functions may import lib/definitions (pure data) and nothing else from lib/;
 * - client/ and cli/ import no server code: they speak the API through its OpenAPI types.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out = out.concat(files(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const violations: string[] = [];

function check(dir: string, rule: (file: string, spec: string, source: string) => string | undefined) {
  for (const file of files(dir)) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const m of source.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      const problem = rule(file, spec, source);
      if (problem) violations.push(`${file}: ${problem} ('${spec}')`);
    }
    const envProblem = rule(file, '', source);
    if (envProblem) violations.push(`${file}: ${envProblem}`);
  }
}

const isSdk = (spec: string) => spec.startsWith('@aws-sdk/') || spec === 'aws-sdk';
const withoutComments = (source: string) => source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');

/** The layers of functions/ that are not resource folders. */
const LAYERS = new Set(['core', 'adapters', 'http', 'root', 'shared']);
/** `functions/<folder>/…` → folder. */
const folderOf = (file: string) => file.split('/')[1] ?? '';
const isResourceFile = (file: string) => file.startsWith('functions/') && !LAYERS.has(folderOf(file));
/** The folder of functions/ an import resolves to, from the importing file. */
function targetFolder(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const resolved = join(file, '..', spec);
  return resolved.startsWith('functions/') ? folderOf(resolved) : undefined;
}
function targetPath(file: string, spec: string): string | undefined {
  return spec.startsWith('.') ? join(file, '..', spec) : undefined;
}

/**
 * The statemachines modules Lambda code may import without the index: small pure contracts and
 * types, kept apart so the task runner and the HTTP layer do not bundle the compiler.
 */
const PUBLIC_STATEMACHINE_MODULES = new Set([
  'statemachines/index.ts',
  'statemachines/task-runner-contract.ts',
  'statemachines/ir.ts',
  'statemachines/issues.ts',
  'statemachines/node-types.ts',
  'statemachines/json-limits.ts',
  'statemachines/durations.ts',
  'statemachines/templates.ts',
  'statemachines/dialects/config.ts',
  // What the task runner shares with the compiler about generic/ci jobs (docs/api.md, "Jobs").
  'statemachines/jobs.ts',
  'statemachines/command-line.ts',
  // ml_training's algorithms, shared by the local trainer and the SageMaker compile.
  'statemachines/ml-training.ts',
  // etl's location and format rules, shared by validation and the etl executor.
  'statemachines/etl-locations.ts',
]);

for (const pure of ['functions/core', 'statemachines']) {
  check(pure, (_file, spec, source) => {
    if (spec === '') return /process\.env/.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')) ? 'reads process.env' : undefined;
    if (isSdk(spec)) return 'imports the AWS SDK';
    if (/\/adapters\//.test(spec) || /\/http\//.test(spec) || /\/root\//.test(spec)) return 'imports an outer layer';
    if (/\/lib\//.test(spec) && !/\/lib\/definitions\//.test(spec)) return 'imports CDK code';
    if (spec.endsWith('/lib/definitions/routes.ts')) return 'imports the route table (scopes and roles live in lib/definitions/scopes.ts)';
    return undefined;
  });
}

check('functions/adapters', (file, spec) => {
  const target = targetFolder(file, spec);
  if (target === 'http') return 'imports the HTTP layer (adapters sit below it)';
  if (target === 'root') return 'imports the composition root (the root builds adapters, not the reverse)';
  if (target && !LAYERS.has(target)) return 'imports a resource folder (adapters serve core ports, not resources)';
  return undefined;
});

check('functions', (file, spec) => {
  if (!isResourceFile(file)) return undefined;
  if (spec === '') return undefined;
  const target = targetFolder(file, spec);
  if (target === 'adapters') return 'imports an adapter (resource folders get services from the root)';
  if (target === 'root' && !file.endsWith('/handler.ts')) return 'imports the composition root outside its Lambda entry (handler.ts)';
  return undefined;
});

check('functions', (file, spec, source) => {
  if (spec !== '') return undefined;
  const code = withoutComments(source);
  const entry = folderOf(file) === 'root' || (isResourceFile(file) && file.endsWith('/handler.ts'));
  if (/STEPWISE_MODE/.test(code) && folderOf(file) !== 'root') return 'reads STEPWISE_MODE (only functions/root picks the platform)';
  if (/process\.env/.test(code) && !entry) return 'reads process.env (only the root and the Lambda entries do, at cold start)';
  return undefined;
});

// Tools and benches (scripts/) import internals on purpose, like the tests (statemachines/index.ts says why).
for (const dir of ['functions', 'bin', 'lib']) {
  check(dir, (file, spec) => {
    const target = targetPath(file, spec);
    if (!target?.startsWith('statemachines/') || PUBLIC_STATEMACHINE_MODULES.has(target)) return undefined;
    return 'imports statemachines internals (use statemachines/index.ts)';
  });
}

check('functions', (file, spec) => {
  if (spec === '') return undefined;
  if (isSdk(spec) && !file.startsWith('functions/adapters/')) return 'imports the AWS SDK outside functions/adapters';
  if (/(^|\/)lib\//.test(spec) && !/lib\/definitions\//.test(spec)) return 'imports lib/ (only lib/definitions is shared)';
  if (spec.startsWith('aws-cdk-lib') || spec === 'constructs') return 'imports CDK';
  return undefined;
});

// Bundling rule: zod's named `z` object keeps every zod locale alive in each Lambda bundle
// (~350 KB); the namespace import lets esbuild drop what is unused.
for (const dir of ['functions', 'statemachines']) {
  for (const file of files(dir)) {
    if (/import\s*\{\s*z\s*\}\s*from\s*['"]zod['"]/.test(readFileSync(join(root, file), 'utf8'))) {
      violations.push(`${file}: imports { z } from 'zod'; use import * as z from 'zod'`);
    }
  }
}

check('lib', (_file, spec) => {
  if (spec === '') return undefined;
  if (/(^|\/)functions\//.test(spec) || /(^|\/)statemachines\//.test(spec)) return 'imports function code (refer to entry paths instead)';
  return undefined;
});

// The typed client and the CLI are API consumers: they know the API through the OpenAPI document
// (client/schema.ts) only, so they work against any deployment, never against this code's internals.
for (const consumer of ['client', 'cli']) {
  check(consumer, (_file, spec) => {
    if (spec === '') return undefined;
    if (/(^|\/)(functions|lib|statemachines|scripts|bin)\//.test(spec)) return 'imports server code (use the API through client/)';
    return undefined;
  });
}

if (violations.length) {
  console.error(`Layering violations (${violations.length}):\n${violations.map((v) => `  - ${v}`).join('\n')}`);
  process.exit(1);
}
console.info(`Layering OK (${['functions', 'statemachines', 'lib', 'client', 'cli'].map((d) => `${files(d).length} files in ${d}`).join(', ')}; ${relative(root, root) || '.'})`);
