/** What `generic` and `ci` share: running a command through the CommandRunner port and shaping its result. */
import { cancelled, nonRetryable, RunnerFailure } from '../errors.ts';
import { CommandFailure, type CommandResult, type CommandSpec } from '../ports.ts';
import { JOB_VARIABLE_PREFIXES, MAX_JOB_TIMEOUT_SECONDS } from '../../../../statemachines/jobs.ts';
import { isPlainObject } from '../resolve-templates.ts';
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

// ---------------------------------------------------------------- AWS: CodeBuild through the state machine

/**
 * `prepare_job`: the variables the job's buildspec reads (statemachines/jobs.ts). They enter the
 * execution history, so a secret may not be among them: the compiler refuses `{{secrets.KEY}}` in job
 * nodes on AWS, and this refuses again should one get this far.
 */
export function prepared(run: Run, variables: Record<string, string>, timeoutMs: number): ActionResult {
  if (run.templates.secretValues.size > 0) throw nonRetryable('a job on AWS cannot take a secret: its variables are part of the execution history');
  for (const name of Object.keys(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw nonRetryable(`environment variable name ${JSON.stringify(name)} is not valid`);
  }
  const seconds = Math.min(MAX_JOB_TIMEOUT_SECONDS, Math.max(1, Math.ceil(timeoutMs / 1000)));
  run.log('info', 'Job prepared', { variables: Object.keys(variables).toSorted(), timeout_seconds: seconds });
  return { action: 'prepare_job', environment: Object.entries(variables).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' as const })), timeout_seconds: seconds };
}

/** A node's own variable that would shadow what the buildspec reads is refused. */
export function ownVariables(env: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (JOB_VARIABLE_PREFIXES.some((p) => name.startsWith(p))) throw nonRetryable(`environment.${name}: names starting with ${JOB_VARIABLE_PREFIXES.join(' or ')} are reserved`);
  }
  return env;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** Step Functions hands CodeBuild's Build over in PascalCase (`BuildStatus`); CodeBuild's own JSON is camelCase. */
const field = (o: Record<string, unknown>, name: string): unknown => o[name] ?? o[name[0]!.toUpperCase() + name.slice(1)];
const record = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

/** The exit code CodeBuild reports in the BUILD phase's context ("… Reason: exit status 3"). */
function exitCodeOf(build: Record<string, unknown>): number | null {
  const phases = field(build, 'phases');
  for (const phase of Array.isArray(phases) ? phases : []) {
    if (field(record(phase), 'phaseType') !== 'BUILD') continue;
    const contexts = field(record(phase), 'contexts');
    for (const c of Array.isArray(contexts) ? contexts : []) {
      const m = /exit status (\d+)/.exec(str(field(record(c), 'message')) ?? '');
      if (m) return Number(m[1]);
    }
  }
  return null;
}

function durationOf(build: Record<string, unknown>): number | null {
  const time = (v: unknown) => (typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(String(v ?? '')));
  const start = time(field(build, 'startTime'));
  const end = time(field(build, 'endTime'));
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, Math.round(end - start)) : null;
}

function logsOf(build: Record<string, unknown>): Record<string, string | null> {
  const logs = record(field(build, 'logs'));
  return { group_name: str(field(logs, 'groupName')) ?? null, stream_name: str(field(logs, 'streamName')) ?? null, deep_link: str(field(logs, 'deepLink')) ?? null };
}

/**
 * `record_job`: the node's outcome from the build startBuild.sync returned, or from the error its state
 * ended with after the node's retries (then this fails the node, never retried again). The command's
 * stdout and stderr stay in the build's CloudWatch log (`logs` in the output; docs/api.md, "Jobs").
 */
export async function recordJob(run: Run): Promise<ActionResult> {
  const { build, build_error: failure } = run.request;
  if (failure) {
    let cause: Record<string, unknown> = {};
    try {
      const parsed = record(JSON.parse(failure.Cause ?? '{}'));
      cause = isPlainObject(parsed.Build) ? parsed.Build : parsed;
    } catch {
      // Not a build: a States.* error with a text cause.
    }
    const status = str(field(cause, 'buildStatus'));
    const id = str(field(cause, 'id'));
    const timedOut = failure.Error === 'States.Timeout' || status === 'TIMED_OUT';
    const exitCode = exitCodeOf(cause);
    const log = await buildLog(run, cause);
    run.log('warn', 'Job failed', { error: failure.Error ?? null, build_id: id ?? null, build_status: status ?? null, exit_code: exitCode, ...logsOf(cause), output_tail: tail(log.output, LOG_TAIL_CHARS) });
    if (timedOut) throw new RunnerFailure(COMMAND_TIMED_OUT, `command timed out; CodeBuild build ${id ?? '(unknown)'} was stopped`, { retryable: false, details: { build_id: id ?? null } });
    const how = exitCode === null ? `failed (${status ?? failure.Error ?? 'unknown error'})` : `exited with code ${exitCode}`;
    const output = log.output.trim();
    throw new RunnerFailure(COMMAND_FAILED, `command ${how}${id ? ` in CodeBuild build ${id}` : ''}${output ? `: ${tail(output, FAILURE_TAIL_CHARS)}` : ''}`, {
      retryable: false,
      details: { exit_code: exitCode, build_id: id ?? null },
    });
  }
  if (!isPlainObject(build)) throw nonRetryable('record_job needs the build or the build error');
  const durationMs = durationOf(build);
  const log = await buildLog(run, build);
  const output = {
    exit_code: 0,
    // CodeBuild writes stdout and stderr into one log: both are in stdout.
    stdout: log.output,
    stderr: '',
    duration_ms: durationMs,
    ...(log.truncated ? { truncated: true } : {}),
    ...(run.request.node_type === 'ci' ? { commit: log.commit } : {}),
    build_id: str(field(build, 'id')) ?? null,
    logs: logsOf(build),
  };
  run.log('info', 'Job finished', { build_id: output.build_id, duration_ms: durationMs, ...(log.commit ? { commit: log.commit } : {}) });
  return executed(output, { exit_code: 0, duration_ms: durationMs });
}

/**
 * The command's own lines from the build log: CodeBuild's `[Container] …` lines dropped, ci's
 * `STEPWISE_COMMIT=<sha>` line taken out as the commit. Without a log reader (or when reading fails)
 * the output is empty and the log location still says where to look.
 */
async function buildLog(run: Run, build: Record<string, unknown>): Promise<{ output: string; truncated: boolean; commit: string | null }> {
  const logs = logsOf(build);
  if (!run.deps.jobLogs || !logs.group_name || !logs.stream_name) return { output: '', truncated: false, commit: null };
  try {
    const { lines, truncated } = await run.deps.jobLogs.tail({ groupName: logs.group_name, streamName: logs.stream_name }, MAX_COMMAND_OUTPUT_BYTES + 16 * 1024);
    let commit: string | null = null;
    const own = lines.filter((line) => {
      const m = /^STEPWISE_COMMIT=([0-9a-f]{40,64})$/.exec(line.trim());
      if (m) commit = m[1]!;
      return !m && !line.startsWith('[Container] ');
    });
    let output = own.length ? `${own.join('\n')}\n` : '';
    let cut = truncated;
    if (Buffer.byteLength(output) > MAX_COMMAND_OUTPUT_BYTES) {
      output = Buffer.from(output).subarray(-MAX_COMMAND_OUTPUT_BYTES).toString('utf8').replace(/^\uFFFD+/, '');
      cut = true;
    }
    return { output, truncated: cut, commit };
  } catch (error) {
    run.log('warn', 'Job log could not be read; the output has no stdout', { error: error instanceof Error ? error.message : String(error), ...logs });
    return { output: '', truncated: false, commit: null };
  }
}
