import { splitCommandLine } from '../../../../statemachines/command-line.ts';
import { nonRetryable } from '../errors.ts';
import { argvVariable } from '../../../../statemachines/jobs.ts';
import { timeoutFrom } from './http.ts';
import { commandOutput, DEFAULT_COMMAND_TIMEOUT_MS, environmentOf, ownVariables, prepared, recordJob, runCommand } from './jobs.ts';
import { asRecord, type NodeExecutor, type Run } from './run.ts';

/**
 * `generic` {command, args, environment, timeout}: the command line split into words with shell quoting and
 * no expansion, `args` appended, run in a fresh folder; the output is {exit_code, stdout, stderr, duration_ms}.
 */
export const generic: NodeExecutor = {
  async execute(run) {
    const { argv, env, timeoutMs } = await resolved(run);
    return commandOutput(await runCommand(run, { argv, env, timeoutMs }, 'generic'));
  },
  async prepare_job(run) {
    const { argv, env, timeoutMs } = await resolved(run);
    return prepared(run, { ...ownVariables(env), STEPWISE_ARGV: argvVariable(argv) }, timeoutMs);
  },
  record_job: recordJob,
};

async function resolved(run: Run): Promise<{ argv: string[]; env: Record<string, string>; timeoutMs: number }> {
  const p = asRecord(await run.templates.resolve(run.params));
  if (typeof p.command !== 'string') throw nonRetryable('command must resolve to a string');
  const split = splitCommandLine(p.command);
  if (!split.ok) throw nonRetryable(`command: ${split.error}`);
  const args = p.args === undefined ? [] : p.args;
  if (!Array.isArray(args)) throw nonRetryable('args must resolve to an array of strings');
  const argv = [...split.words, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))];
  if (argv.some((w) => w.includes('\u0000'))) throw nonRetryable('command and args must not contain a NUL character');
  const timeoutMs = timeoutFrom(p.timeout, run.deps.limits?.defaultCommandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  return { argv, env: environmentOf(p.environment, 'environment'), timeoutMs };
}
