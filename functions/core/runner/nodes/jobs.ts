/** What `generic` and `ci` share: running a command through the CommandRunner port and shaping its result. */
import { cancelled, nonRetryable, RunnerFailure } from '../errors.ts';
import { CommandFailure, type CommandResult, type CommandSpec } from '../ports.ts';
import { executed, type ActionResult, type Run } from './run.ts';

/** stdout and stderr tails kept in the output (docs/api.md, "Jobs"). */
export const MAX_COMMAND_OUTPUT_BYTES = 64 * 1024;
export const DEFAULT_COMMAND_TIMEOUT_MS = 60 * 60 * 1000;
/** How much of stderr a failure's message quotes, and of each stream the log line shows. */
const FAILURE_TAIL_CHARS = 1_024;
const LOG_TAIL_CHARS = 4_096;
/** Retried by the node's policy (not Stepwise.NonRetryable): a command may fail for a passing reason. */
export const COMMAND_FAILED = 'Stepwise.CommandFailed';
export const COMMAND_TIMED_OUT = 'Stepwise.CommandTimeout';

const tail = (text: string, chars: number) => (text.length > chars ? `…${text.slice(-chars)}` : text);

export async function runCommand(run: Run, spec: Omit<CommandSpec, 'signal' | 'maxOutputBytes'>, what: string): Promise<CommandResult> {
  const commands = run.deps.commands;
  if (!commands) {
    throw nonRetryable(`${what} nodes cannot run here: this runner has no command executor (local mode with STEPWISE_LOCAL_JOBS=off; on AWS they run in CodeBuild)`);
  }
  run.log('info', 'Command started', { argv: [...spec.argv], timeout_ms: spec.timeoutMs, ...(spec.checkout ? { repo_url: spec.checkout.repoUrl, branch: spec.checkout.branch ?? null } : {}) });
  let result: CommandResult;
  try {
    result = await commands.run({ ...spec, maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES, signal: run.ctx.signal });
  } catch (error) {
    if (!(error instanceof CommandFailure)) throw error;
    if (error.kind === 'aborted') throw cancelled();
    // A missing program or an unreachable repository stays so on a retry only sometimes (a clone over the
    // network); the program not being there never changes within a run.
    if (error.kind === 'not_found') throw nonRetryable(error.message);
    throw new RunnerFailure(COMMAND_FAILED, error.message, { retryable: true, details: { reason: error.kind } });
  }
  if (run.ctx.signal.aborted) throw cancelled();
  const level = result.exitCode === 0 ? 'info' : 'warn';
  run.log(level, 'Command output', { stdout: tail(result.stdout, LOG_TAIL_CHARS), stderr: tail(result.stderr, LOG_TAIL_CHARS) });
  run.log(level, 'Command finished', { exit_code: result.exitCode, signal: result.signal, duration_ms: result.durationMs, timed_out: result.timedOut, ...(result.commit ? { commit: result.commit } : {}) });
  if (result.timedOut) {
    throw new RunnerFailure(COMMAND_TIMED_OUT, `command timed out after ${spec.timeoutMs} ms; its process group was killed`, {
      retryable: true,
      details: { timeout_ms: spec.timeoutMs, stderr_tail: tail(result.stderr, FAILURE_TAIL_CHARS) },
    });
  }
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    const stderr = result.stderr.trim();
    throw new RunnerFailure(COMMAND_FAILED, `command ${how}${stderr ? `: ${tail(stderr, FAILURE_TAIL_CHARS)}` : ''}`, {
      retryable: true,
      details: { exit_code: result.exitCode, signal: result.signal },
    });
  }
  return result;
}

export function commandOutput(result: CommandResult, extra: Record<string, unknown> = {}): ActionResult {
  return executed(
    { exit_code: result.exitCode, stdout: result.stdout, stderr: result.stderr, duration_ms: result.durationMs, ...(result.truncated ? { truncated: true } : {}), ...extra },
    { exit_code: result.exitCode, duration_ms: result.durationMs },
  );
}

/** Environment values as strings; names were checked at validation (statemachines/node-types.ts). */
export function environmentOf(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw nonRetryable(`${field} must resolve to an object of strings`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const text = typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (text.includes('\u0000')) throw nonRetryable(`${field}.${name} must not contain a NUL character`);
    out[name] = text;
  }
  return out;
}
