/**
 * Local mode's executor for `generic` and `ci` nodes: each command is a child process of the local
 * server, run as the server's own user (docs/api.md, "Jobs"; STEPWISE_LOCAL_JOBS=off turns it off).
 *
 * - Every job gets a fresh folder under `<data dir>/jobs`, removed afterwards; it is the working
 *   directory, HOME and TMPDIR.
 * - The environment is a minimal base (PATH, HOME, TMPDIR, LANG) plus the node's: nothing of the
 *   server's own environment (credentials, configuration) reaches a job.
 * - The command is its own process group (`detached`), so a timeout or a cancel kills everything it
 *   started, and whatever it left behind is killed when it exits, so a run never leaves processes.
 * - Only the last `maxOutputBytes` of stdout and of stderr are kept in memory.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandFailure, type CommandResult, type CommandRunner, type CommandSpec } from '../../core/runner/ports.ts';

/** After SIGTERM at the deadline, a job has this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** git transports a `ci` repository may use: never `ext::` (runs a command) or plain `git://`. */
const GIT_PROTOCOLS = 'file:https:ssh';

export interface ChildProcessCommandsOptions {
  /** Parent of the per-job folders (`<data dir>/jobs`). */
  workRoot: string;
  /** PATH jobs see (the server's, by default). */
  path: string;
}

interface Exit {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

/** Keeps the last `max` bytes written. */
class Tail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  dropped = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer) {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.max && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.bytes - this.max;
      this.dropped = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.bytes -= excess;
      }
    }
  }
  text(): string {
    // A cut through a multi-byte character decodes as U+FFFD; drop it rather than show it.
    return Buffer.concat(this.chunks).toString('utf8').replace(this.dropped ? /^\uFFFD+/ : /^$/, '');
  }
}

export class ChildProcessCommands implements CommandRunner {
  constructor(private readonly options: ChildProcessCommandsOptions) {}

  async run(spec: CommandSpec): Promise<CommandResult> {
    const started = performance.now();
    const deadline = Date.now() + spec.timeoutMs;
    if (spec.signal.aborted) throw new CommandFailure('aborted', 'the run was cancelled');
    await mkdir(this.options.workRoot, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(join(this.options.workRoot, 'job-'));
    try {
      const base = { PATH: this.options.path, HOME: dir, TMPDIR: dir, LANG: 'C.UTF-8' };
      let cwd = dir;
      let commit: string | undefined;
      if (spec.checkout) {
        cwd = join(dir, 'repo');
        commit = await this.checkout(spec, base, dir, cwd, deadline);
        if (commit === undefined) {
          return { exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', truncated: false, durationMs: Math.round(performance.now() - started), timedOut: true };
        }
      }
      const exit = await this.spawn(spec.argv, { cwd, env: { ...base, ...spec.env }, deadline, signal: spec.signal, maxOutputBytes: spec.maxOutputBytes });
      return { ...exit, durationMs: Math.round(performance.now() - started), ...(commit ? { commit } : {}) };
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  /** Clones into `into` and answers the checked-out sha; undefined when the deadline passed meanwhile. */
  private async checkout(spec: CommandSpec, base: Record<string, string>, dir: string, into: string, deadline: number): Promise<string | undefined> {
    const { repoUrl, branch } = spec.checkout!;
    // `--` ends the options, so a URL or branch can never be read as one (the schemas refuse a leading `-` too).
    const env = { ...base, GIT_ALLOW_PROTOCOL: GIT_PROTOCOLS, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (args: string[], cwd: string) => this.spawn(['git', ...args], { cwd, env, deadline, signal: spec.signal, maxOutputBytes: 16 * 1024 });
    const clone = await git(['clone', '--quiet', '--depth', '1', '--no-tags', ...(branch ? ['--branch', branch] : []), '--', repoUrl, into], dir);
    if (clone.timedOut) return undefined;
    if (clone.exitCode !== 0) throw new CommandFailure('checkout', `git clone of ${repoUrl}${branch ? ` at ${branch}` : ''} failed (exit ${clone.exitCode ?? clone.signal}): ${clone.stderr.trim().slice(-1_024)}`);
    const head = await git(['rev-parse', 'HEAD'], into);
    if (head.timedOut) return undefined;
    if (head.exitCode !== 0) throw new CommandFailure('checkout', `git rev-parse HEAD failed: ${head.stderr.trim().slice(-1_024)}`);
    return head.stdout.trim();
  }

  private spawn(argv: readonly string[], o: { cwd: string; env: Record<string, string>; deadline: number; signal: AbortSignal; maxOutputBytes: number }): Promise<Exit> {
    const [program, ...args] = argv;
    if (!program) return Promise.reject(new CommandFailure('spawn', 'the command has no program'));
    return new Promise<Exit>((resolve, reject) => {
      const child = spawn(program, args, { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
      const stdout = new Tail(o.maxOutputBytes);
      const stderr = new Tail(o.maxOutputBytes);
      child.stdout.on('data', (c: Buffer) => stdout.push(c));
      child.stderr.on('data', (c: Buffer) => stderr.push(c));
      let timedOut = false;
      let aborted = false;
      let exited = false;
      const killGroup = (sig: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // ESRCH: the group is gone already.
        }
      };
      let graceTimer: NodeJS.Timeout | undefined;
      const deadlineTimer = setTimeout(
        () => {
          timedOut = true;
          killGroup('SIGTERM');
          graceTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
        },
        Math.max(0, o.deadline - Date.now()),
      );
      const onAbort = () => {
        aborted = true;
        killGroup('SIGKILL');
      };
      o.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(deadlineTimer);
        clearTimeout(graceTimer);
        o.signal.removeEventListener('abort', onAbort);
      };
      child.once('error', (error: NodeJS.ErrnoException) => {
        cleanup();
        if (exited) return;
        if (error.code === 'ENOENT') reject(new CommandFailure('not_found', `program ${JSON.stringify(program)} was not found (PATH or the working folder)`));
        else reject(new CommandFailure('spawn', `program ${JSON.stringify(program)} could not start: ${error.code ?? error.message}`));
      });
      child.once('exit', () => {
        exited = true;
        // Whatever the command started and left running would hold its pipes open and outlive the run.
        killGroup('SIGKILL');
      });
      child.once('close', (code, sig) => {
        cleanup();
        if (aborted) return reject(new CommandFailure('aborted', 'the run was cancelled'));
        resolve({ exitCode: code, signal: sig, stdout: stdout.text(), stderr: stderr.text(), truncated: stdout.dropped || stderr.dropped, timedOut });
      });
    });
  }
}
