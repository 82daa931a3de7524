import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../../lib/definitions/lambda-build.ts';
import { fmt, median } from './stats.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'node_modules', '.cache', 'stepwise-bench', 'logger');
const RUNS = 25;
const CALLS = 20_000;

/**
 * The same few lines of work with each candidate for the logger port's AWS implementation
 * (functions/core/logger.ts): build the logger the way the root would at cold start, then log one
 * structured line per call. Each is bundled with the CDK construct's settings and timed in fresh
 * processes, so the figures are what a Lambda pays: bytes in every bundle, init at cold start, and
 * the cost of one line.
 */
const CANDIDATES = {
  'house JSON logger (functions/adapters/logging/json-logger.ts)': `
    import { createJsonLogger } from ${JSON.stringify(join(ROOT, 'functions/adapters/logging/json-logger.ts'))};
    export const make = () => createJsonLogger('info');
  `,
  'Powertools Logger (@aws-lambda-powertools/logger)': `
    import { Logger } from '@aws-lambda-powertools/logger';
    export const make = () => {
      const logger = new Logger({ serviceName: 'stepwise', logLevel: 'INFO' });
      return { info: (message, fields) => logger.info(message, fields) };
    };
  `,
} as const;

async function measure(name: string, source: string) {
  mkdirSync(OUT, { recursive: true });
  const slug = name.split(' ')[0]!.toLowerCase();
  const entry = join(OUT, `${slug}-entry.ts`);
  // One file per logger (no chunks), so its size is the logger's whole cost.
  const outdir = join(OUT, slug);
  const outfile = join(outdir, 'index.mjs');
  writeFileSync(
    entry,
    `${source}
    const started = performance.now();
    const logger = make();
    logger.info('cold start', { function: 'bench' });
    const init = performance.now() - started;
    const t = performance.now();
    for (let i = 0; i < ${CALLS}; i++) logger.info('request done', { request_id: 'req_' + i, status: 200, ms: 1.5 });
    process.stderr.write(JSON.stringify({ init, perCallUs: ((performance.now() - t) * 1000) / ${CALLS} }) + '\\n');
    `,
  );
  await build({ ...LAMBDA_BUILD, splitting: false, entryPoints: [entry], outdir });
  const loads: number[] = [];
  const inits: number[] = [];
  const perCall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(outfile)}); process.stderr.write(JSON.stringify({ load: performance.now() - t }) + '\\n');`], {
      encoding: 'utf8',
      // stdout (the log lines) goes nowhere; the timings come back on stderr.
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'bench' },
    });
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as { init?: number; perCallUs?: number; load?: number });
    const timing = lines.find((l) => l.init !== undefined)!;
    const total = lines.find((l) => l.load !== undefined)!;
    inits.push(timing.init!);
    perCall.push(timing.perCallUs!);
    // The import includes the CALLS loop; what a cold start pays is the load without it.
    loads.push(total.load! - (timing.perCallUs! * CALLS) / 1000);
  }
  const bytes = statSync(outfile).size;
  return { bytes, gz: gzipSync(readFileSync(outfile)).length, load: median(loads), init: median(inits), perCallUs: median(perCall) };
}

export async function benchLogger(): Promise<string> {
  const rows: string[] = [];
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const [name, source] of Object.entries(CANDIDATES)) {
    const r = await measure(name, source);
    results[name] = r;
    rows.push(`| ${name} | ${fmt(r.bytes / 1024, 1)} | ${fmt(r.gz / 1024, 1)} | ${fmt(r.load, 1)} | ${fmt(r.init, 2)} | ${fmt(r.perCallUs, 2)} |`);
  }
  const [house, powertools] = Object.values(results) as [Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>];
  return [
    '## Logger: Powertools or the house logger',
    '',
    `The logger port (functions/core/logger.ts) with each candidate, bundled like a Lambda (ESM, minified, node22) and run in ${RUNS} fresh \`node\` processes: module load (its own code only, without the timed loop), building the logger and its first line (init), and one structured line (${CALLS} lines, stdout discarded). Medians.`,
    '',
    '| logger | minified KB | gzip KB | module load ms | init + first line ms | per line µs |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Decision: the house logger stays the AWS implementation. Powertools adds ${fmt((powertools.bytes - house.bytes) / 1024, 1)} KB to every one of the 23 bundles and ${fmt(powertools.load + powertools.init - house.load - house.init, 1)} ms to every cold start here, for what Stepwise does not use: its lines already carry their ids as fields (request_id, account_id, executionArn), Lambda's own START/REPORT lines carry the invocation's, and nothing samples debug logs. Powertools' log sampling and context injection are the reasons to revisit. The port is Powertools' \`GenericLogger\` shape, so switching later is one line in functions/root/aws.ts.`,
    '',
  ].join('\n');
}
