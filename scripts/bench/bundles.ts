import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { LAMBDA_BUILD } from '../../lib/definitions/lambda-build.ts';
import { fmt, median } from './stats.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
// Its own folder: the section clears it first, and other sections keep theirs next to it.
const OUT = join(ROOT, 'node_modules', '.cache', 'stepwise-bench', 'bundles');
const RUNS = 15;
const OWN_CODE = 'Stepwise';

/**
 * Every setting a deployed function may get (lib/definitions/capabilities.ts), with values of the
 * shape CDK gives them: each function parses its configuration at import (cold start) and refuses
 * to load without what its capabilities require, so the bench gives all of them.
 */
const DEPLOYED_ENVIRONMENT: Record<string, string> = {
  STEPWISE_MODE: 'aws',
  STEPWISE_STAGE: 'bench',
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'bench',
  JWKS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:jwks',
  SIGNING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:signing',
  USAGE_PLAN_FREE_NAME: 'stepwise-bench-free',
  USAGE_PLAN_ENTERPRISE_NAME: 'stepwise-bench-enterprise',
  SECRETS_KMS_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/bench',
  TASK_RUNNER_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:stepwise-bench-task-runner',
  STATE_MACHINE_PREFIX: 'stepwise-bench',
  STATE_MACHINE_ARN_PREFIX: 'arn:aws:states:us-east-1:000000000000:stateMachine:stepwise-bench-',
  STATE_MACHINE_ROLE_ARN: 'arn:aws:iam::000000000000:role/stepwise-bench-machines',
  STATE_MACHINE_LOG_GROUP_ARN: 'arn:aws:logs:us-east-1:000000000000:log-group:stepwise-bench-machines',
  SCHEDULE_GROUP_NAME: 'stepwise-bench',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/stepwise-bench-scheduler',
  SCHEDULED_RUN_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:stepwise-bench-scheduled-run',
  PUBLIC_BASE_URL: 'https://api.example.com/prod',
  EVENT_BUS_NAME: 'stepwise-bench-events',
  WEBHOOK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/stepwise-bench-webhook-deliveries',
  LIVE_CALLBACK_URL: 'https://live.example.com/prod',
  DATA_BUCKET: 'stepwise-bench-data-000000000000',
  DATA_TABLE_PREFIX: 'stepwise-bench-data_',
};

/** Every Lambda entry: each functions/<name>/handler.ts (the API resources and the functions behind streams, queues and machines). */
function entries(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(ROOT, 'functions'))
      .filter((name) => existsSync(join(ROOT, 'functions', name, 'handler.ts')))
      .map((name) => [name, `functions/${name}/handler.ts`]),
  );
}

/**
 * Bundles each function exactly as lib/constructs/stepwise-function.ts does (LAMBDA_BUILD: ESM,
 * minified, the AWS SDK bundled, code splitting) and times its init in fresh processes, next to
 * the layout it replaced, measured in the same run: one file with the SDK bundled (no splitting),
 * and one file with the SDK left to the runtime (the construct until #14's cold-start fix).
 */
export async function benchBundles(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rows: string[] = [];
  const failures: string[] = [];
  const carried: string[] = [];
  for (const [name, entry] of Object.entries(entries())) {
    // Size without the SDK: every chunk, the lazy ones included.
    const code = await output(`${name}-nosdk`, entry, { external: ['@aws-sdk/*'] });
    const deployed = await output(`${name}`, entry, {});
    const oneFile = await output(`${name}-onefile`, entry, { splitting: false });
    const runtimeSdk = await output(`${name}-runtime-sdk`, entry, { splitting: false, external: ['@aws-sdk/*'] });
    const [d, o, r] = interleaved([deployed.entry, oneFile.entry, runtimeSdk.entry]);
    if (code.bytes > 400 * 1024 || d! > 150) failures.push(name);
    if (code.bytes > 400 * 1024) carried.push(`- ${name}: ${carriedBy(code.sources)}`);
    rows.push(
      `| ${name} | ${fmt(code.bytes / 1024, 1)} | ${code.bytes <= 400 * 1024 ? 'yes' : '**no**'} | ${fmt(deployed.staticBytes / 1024, 1)} | ${fmt(d!, 1)} | ${d! <= 150 ? 'yes' : '**no**'} | ${fmt(o!, 1)} | ${fmt(r!, 1)} |`,
    );
  }
  return [
    '## Function bundles and cold start',
    '',
    `Each function built as the CDK construct builds it (lib/definitions/lambda-build.ts: ESM, minified, node22, the AWS SDK bundled, code splitting). Init is the median of ${RUNS} fresh \`node\` processes importing the entry with the deployed environment: module load plus the handler's cold-start work (config parsed against the function's capabilities, the root built) — the init Lambda does before the first request. The three layouts are measured interleaved, process by process, so load on the machine hits them alike. Targets (#20): ≤ 400 KB minified without the SDK, every chunk counted; init p50 ≤ 150 ms.`,
    '',
    '| function | KB without SDK | ≤ 400 KB | KB compiled at init (SDK included) | init p50 ms | ≤ 150 ms | one file, SDK bundled | one file, runtime SDK (before) |',
    '|---|---:|:-:|---:|---:|:-:|---:|---:|',
    ...rows,
    '',
    failures.length ? `Over a target: ${failures.join(', ')}.` : 'Every function meets both targets in this run.',
    '',
    ...(carried.length ? ['What a function over 400 KB carries (minified KB, every chunk; packages of 10 KB or more):', '', ...carried, ''] : []),
    'Why this layout: V8 compiles every module a function imports statically, and most of a Stepwise init was compiling AWS SDK clients a request may never use (the AWS platform names all of them, functions/root/aws.ts). With the SDK left to the runtime, esbuild hoists each lazily imported adapter\'s `import … from "@aws-sdk/client-…"` to the top of the file, so every function loaded every client at cold start; bundled in one file they are not run, but still compiled. Code splitting keeps each adapter and its client in a chunk that is read only on first use (docs/architecture.md#cold-start). `NODE_OPTIONS=--enable-source-maps` is no longer set: it made Node parse every source map at load (about a third of init here); the maps still ship with the code (docs/deploy.md#reading-a-stack-trace).',
    '',
    'What init runs is mostly zod building schemas, so what only documents is not built there: the OpenAPI document is generated at synth and shipped beside the system function (before: the system function carried zod-to-openapi and every resource\'s schemas, 566 KB), and the typed definition schemas per dialect and node type are built when the document is (before: about 50 strict objects per dialect at every workflows cold start). croner replaced cron-parser and Luxon (33 KB for 98 KB) in every function that reads a cron expression.',
    '',
    'Both stay over 400 KB because of what they do at request time, not what they leave unused. workflows parses three definition syntaxes (YAML for FlowRunner, JSONata for expressions, zod for the rest) and compiles; a smaller YAML parser would give up the alias-expansion bound that stops billion-laughs definitions (statemachines/dialects/flowrunner.ts). The task runner executes every node type, and its libraries alone are about the limit: Postgres (pg), Parquet (hyparquet) and CSV for etl and fetch_data, QuickJS for scripts, JSONata for expressions, zod for its configuration. Under 400 KB each would take one function per node family (etl and fetch_data in a data runner of their own, with the data bucket and tables in its role only). Nothing that only local mode runs ships in either (test/lib/definitions/lambda-build.test.ts): until #20 the task runner also carried s3rver, Koa and winston (740 KB, through a shared constant) and the local trainer\'s ml-* libraries (90 KB), and both carried the credential, session and OAuth code (now functions/root/identity.ts) that no caller reaches them with.',
    '',
  ].join('\n');
}

async function output(name: string, entry: string, over: Partial<BuildOptions>) {
  const outdir = join(OUT, name);
  const result = await build({ ...LAMBDA_BUILD, ...over, entryPoints: [join(ROOT, entry)], outdir, absWorkingDir: ROOT, metafile: true });
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'));
  const bytes = files.reduce((sum, f) => sum + statSync(join(ROOT, f)).size, 0);
  // What init compiles: the entry and the chunks it imports statically, transitively.
  const entryKey = files.find((f) => f.endsWith(`${name}/index.mjs`))!;
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of result.metafile.outputs[f]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entryKey);
  const staticBytes = [...seen].reduce((sum, f) => sum + statSync(join(ROOT, f)).size, 0);
  // Where the bytes come from: each package, and Stepwise's own code, across every chunk.
  const sources = new Map<string, number>();
  for (const f of files) {
    for (const [input, { bytesInOutput }] of Object.entries(result.metafile.outputs[f]!.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? OWN_CODE;
      sources.set(pkg, (sources.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return { entry: join(ROOT, entryKey), bytes, staticBytes, sources };
}

/** "Stepwise 230.1; libraries 410.2: zod 90.8, jsonata 80.6, …", largest first. */
function carriedBy(sources: ReadonlyMap<string, number>): string {
  const kb = (bytes: number) => fmt(bytes / 1024, 1);
  const own = sources.get(OWN_CODE) ?? 0;
  const libraries = [...sources].filter(([pkg]) => pkg !== OWN_CODE);
  const total = libraries.reduce((sum, [, bytes]) => sum + bytes, 0);
  const listed = libraries.filter(([, bytes]) => bytes >= 10 * 1024).toSorted((a, b) => b[1] - a[1]);
  return `Stepwise's own code ${kb(own)}; libraries ${kb(total)}: ${listed.map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`).join(', ')}`;
}

/** Init p50 of each entry, run in turn process by process. */
function interleaved(files: readonly string[]): number[] {
  const times = files.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) {
    files.forEach((file, k) => {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`], {
        encoding: 'utf8',
        env: { ...process.env, ...DEPLOYED_ENVIRONMENT, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      times[k]!.push(Number(out.trim().split('\n').at(-1)));
    });
  }
  return times.map(median);
}
