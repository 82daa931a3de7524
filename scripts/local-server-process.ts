import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../functions/adapters/local/dynamodb-local.ts';

export interface LocalServerProcess {
  readonly url: string;
  readonly port: number;
  /** The server's local object store (STEPWISE_S3_PORT: a free port unless the caller set one). */
  readonly objectStoreEndpoint: string;
  readonly child: ChildProcess;
  /** From spawn until `/health` answered. */
  readonly readyMs: number;
  /** What the server printed so far (empty when its output is inherited). */
  output(): string;
  /** Sends the signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface LocalServerProcessOptions {
  /** Added to this process's environment; `undefined` removes a variable (e.g. DYNAMODB_ENDPOINT, so the server starts its own). */
  env?: Record<string, string | undefined>;
  /** A fixed port (a restart on the same URL); a free one otherwise. */
  port?: number;
  /** Shows the server's output on this process's stderr instead of capturing it. */
  inheritOutput?: boolean;
  readyTimeoutMs?: number;
  /** The checkout whose `bin/local.ts` runs (the benchmarks' earlier commit); this one by default. */
  cwd?: string;
}

/**
 * Starts `bin/local.ts` in its own process exactly as `npm start` does, and waits until it
 * answers `/health`. Tests and benchmarks use it, so the server they talk to is the one users run.
 */
export async function startLocalServerProcess(options: LocalServerProcessOptions = {}): Promise<LocalServerProcess> {
  // A port found free can be taken by another process before the server binds it (test files run
  // side by side): when the ports were ours to choose, choose again.
  const chosen = options.port === undefined && options.env?.STEPWISE_S3_PORT === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!chosen || attempt >= 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(options: LocalServerProcessOptions): Promise<LocalServerProcess> {
  const port = options.port ?? (await freePort());
  // Two servers on one machine (tests, benchmarks) must not share the default object-store port.
  const s3Port = options.env?.STEPWISE_S3_PORT ?? String(await freePort());
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ STEPWISE_QUIET: '1', ...process.env, PORT: String(port), ...options.env, STEPWISE_S3_PORT: s3Port })) if (value !== undefined) env[key] = value;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], { env, ...(options.cwd ? { cwd: options.cwd } : {}), stdio: ['ignore', options.inheritOutput ? 'ignore' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const message = `local server exited before it was ready:\n${output}`;
      throw output.includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local server did not become ready in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyMs = Date.now() - started;
  return {
    url,
    port,
    objectStoreEndpoint: `http://127.0.0.1:${s3Port}`,
    child,
    readyMs,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
