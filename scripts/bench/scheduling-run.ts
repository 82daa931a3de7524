/** `node --import tsx scripts/bench/scheduling-run.ts`: the scheduling benchmark on its own, Markdown to stdout. */
import { benchScheduling } from './scheduling.ts';

const started = performance.now();
console.info(await benchScheduling());
console.error(`scheduling benchmark took ${((performance.now() - started) / 1000).toFixed(1)} s`);
