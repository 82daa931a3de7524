/**
 * Enforces the dependency rules the design depends on (DESIGN §2):
 * - functions/core and statemachines import no AWS SDK, no adapters, and read no process.env;
 * - only functions/adapters (and bin/ wiring) import the AWS SDK;
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

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const violations: string[] = [];

function check(dir: string, rule: (file: string, spec: string, source: string) => string | undefined) {
  for (const file of files(dir)) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const m of source.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? '';
      const problem = rule(file, spec, source);
      if (problem) violations.push(`${file}: ${problem} ('${spec}')`);
    }
    const envProblem = rule(file, '', source);
    if (envProblem) violations.push(`${file}: ${envProblem}`);
  }
}

const isSdk = (spec: string) => spec.startsWith('@aws-sdk/') || spec === 'aws-sdk';

for (const pure of ['functions/core', 'statemachines']) {
  check(pure, (_file, spec, source) => {
    if (spec === '') return /process\.env/.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')) ? 'reads process.env' : undefined;
    if (isSdk(spec)) return 'imports the AWS SDK';
    if (/\/adapters\//.test(spec) || /\/http\//.test(spec)) return 'imports an outer layer';
    if (/\/lib\//.test(spec) && !/\/lib\/definitions\//.test(spec)) return 'imports CDK code';
    return undefined;
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
