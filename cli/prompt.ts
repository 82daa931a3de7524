/**
 * Asking the user: on a terminal through `read` (npm's own prompt package: hidden input for
 * passwords and secret values, prompts on stderr so stdout stays for data); from a pipe, one line
 * per question — `printf 'me\npass\n' | stepwise login`, as scripts and tests do. A pipe is read
 * through one line reader for the whole process, since a reader per question would swallow the
 * lines after its own.
 */
import { createInterface, type Interface } from 'node:readline';
import { read } from 'read';
import type { Io } from './io.ts';

export class Prompter {
  #lines: AsyncIterator<string> | undefined;
  #reader: Interface | undefined;

  constructor(private readonly io: Io) {}

  get interactive(): boolean {
    return Boolean(this.io.stdin.isTTY);
  }

  async ask(question: string, { hidden = false } = {}): Promise<string> {
    if (this.interactive) {
      const answer = await read({ prompt: question, silent: hidden, replace: hidden ? '' : undefined, input: this.io.stdin, output: this.io.stderr, terminal: true });
      // Hidden input swallows the Enter too: end the prompt's line.
      if (hidden) this.io.stderr.write('\n');
      return String(answer);
    }
    this.#reader ??= createInterface({ input: this.io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    this.#lines ??= this.#reader[Symbol.asyncIterator]();
    const next = await this.#lines.next();
    if (next.done) throw new UsageError(`no answer for "${question.replace(/:\s*$/, '')}" on standard input`);
    return next.value;
  }

  /** All of standard input (a secret value piped in), without the one trailing newline `echo` adds. */
  async readAll(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }

  close(): void {
    this.#reader?.close();
  }
}

/** A mistake in how the command was called (exit code 2), as opposed to an error the API returned. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
