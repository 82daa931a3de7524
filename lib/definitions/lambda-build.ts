import type { BuildOptions } from 'esbuild';

/**
 * How every Stepwise Lambda is bundled (lib/constructs/stepwise-function.ts), and how the bench
 * bundles it to measure cold start (scripts/bench/bundles.ts): one copy, so the figure in
 * docs/benchmarks.md is the deployed artifact's.
 *
 * - The AWS SDK is bundled, not taken from the runtime: AWS's guidance for Node.js functions
 *   ("Optimizing Node.js dependencies in AWS Lambda") is that a bundled, minified SDK initialises
 *   faster than the runtime's copy, and it pins the SDK version we test against.
 * - Code splitting: an `import()` stays a real dynamic import, so the adapters the AWS platform
 *   loads on first use (functions/root/aws.ts), and their SDK clients, are separate chunks that a
 *   function parses only when a request needs them. Without splitting esbuild inlines them, and
 *   V8 compiles every client at cold start (docs/architecture.md#cold-start).
 * - Source maps without embedded sources: readable stack traces at a third of the size.
 */
export const LAMBDA_BUILD = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  sourcesContent: false,
  // esbuild emits ESM, but some CommonJS dependencies still call require(); every chunk gets one.
  banner: { js: "import { createRequire as __stepwiseCreateRequire } from 'module'; const require = __stepwiseCreateRequire(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The file and export Lambda invokes: `index.mjs`, from `entryNames` above. */
export const LAMBDA_HANDLER = 'index.handler';
