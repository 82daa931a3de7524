/** `node --import tsx scripts/bench/compiler-run.ts`: the compiler benchmark on its own, Markdown to stdout. */
import { benchCompiler } from './compiler.ts';

const started = performance.now();
console.info(await benchCompiler());
console.error(`compiler benchmark took ${((performance.now() - started) / 1000).toFixed(1)} s`);
