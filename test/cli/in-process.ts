import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.ts';

/** What one CLI run printed and its exit code. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The `main` the bin runs, in this process, with streams and an environment of its own (cli/io.ts). */
export async function runInProcess(args: string[], options: { env: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdin, stdout, stderr, env: options.env });
  return { code, stdout: out, stderr: err };
}
