import { nonRetryable } from '../errors.ts';
import { ScriptFailure } from '../ports.ts';
import { evaluate, executed, expressionScope, previousRecords, recordsOf, toJson, type NodeExecutor, type Run } from './run.ts';

export const DEFAULT_SCRIPT_TIMEOUT_MS = 10_000;
export const DEFAULT_SCRIPT_MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * `transform`: a JSONata `expression` over `input` (default {input, steps}), or CloudFlow's JavaScript
 * `script` over `data` (default the previous step's records), each evaluated where a limit can stop it.
 */
export const transform: NodeExecutor = {
  async execute(run) {
    if (typeof run.params.script === 'string') return script(run, run.params.script);
    const expression = run.params.expression;
    if (typeof expression !== 'string') throw nonRetryable('transform needs an expression or a script');
    // The expression itself is never template-resolved: pasting values into code would let data become code.
    const data = run.params.input !== undefined ? await run.templates.resolve(run.params.input, 'input') : await expressionScope(run, [expression]);
    const output = toJson(await evaluate(run, expression, data, 'transform expression'));
    return executed(output, undefined, recordsOf(output));
  },
};

async function script(run: Run, code: string) {
  const scripts = run.deps.scripts;
  if (!scripts) throw nonRetryable('transform scripts are not available in this runner');
  // Like an expression, the script is never template-resolved; `input` (when given) and the records are data.
  const data = run.params.input !== undefined ? await run.templates.resolve(run.params.input, 'input') : ((await previousRecords(run)) ?? run.ctx.input ?? null);
  const timeoutMs = run.deps.limits?.scriptTimeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  const memoryBytes = run.deps.limits?.scriptMemoryBytes ?? DEFAULT_SCRIPT_MEMORY_BYTES;
  const started = Date.now();
  let output: unknown;
  try {
    output = await scripts.evaluate(code, data, { timeoutMs, memoryBytes });
  } catch (error) {
    if (!(error instanceof ScriptFailure)) throw error;
    switch (error.kind) {
      case 'syntax':
        throw nonRetryable(`transform script is not valid JavaScript: ${error.message}`);
      case 'timeout':
        // The same script on the same data would run out of time again: not worth a retry.
        throw nonRetryable(`transform script timed out: ${error.message} (scripts may run ${timeoutMs} ms)`, { reason: 'script_timeout', timeout_ms: timeoutMs });
      case 'memory':
        throw nonRetryable(`transform script ${error.message} (scripts may use ${Math.round(memoryBytes / 1_048_576)} MiB)`, { reason: 'script_memory', memory_bytes: memoryBytes });
      default:
        throw nonRetryable(`transform script failed: ${error.message}`);
    }
  }
  run.log('info', 'Script evaluated', { duration_ms: Date.now() - started, records: Array.isArray(output) ? output.length : null });
  return executed(output, undefined, recordsOf(output));
}
