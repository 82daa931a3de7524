/**
 * Everything a command prints goes through here: `--json` prints the API's own JSON (one document,
 * or one line per event for streams) and nothing else on stdout; text goes to stdout, remarks and
 * errors to stderr. Errors show the API's message and field, and the request id to quote.
 */
import { StepwiseApiError } from '../client/errors.ts';
import type { Io } from './io.ts';
import { colorsEnabled, createStyle, type Style } from './format/style.ts';
import { formatIssue, type ValidationIssueView } from './format/graph.ts';
import { UsageError } from './prompt.ts';

export class Output {
  readonly json: boolean;
  readonly style: Style;
  readonly errStyle: Style;

  constructor(
    readonly io: Io,
    options: { json: boolean; color: boolean },
  ) {
    this.json = options.json;
    this.style = createStyle(options.color && !options.json && colorsEnabled(io.stdout, io.env));
    this.errStyle = createStyle(options.color && colorsEnabled(io.stderr, io.env));
  }

  /** Whether stdout is a terminal a progress bar can be redrawn on. */
  get live(): boolean {
    return Boolean(this.io.stdout.isTTY) && !this.json && this.io.env.TERM !== 'dumb';
  }

  write(text: string): void {
    this.io.stdout.write(text);
  }

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** `--json`: the value; otherwise what `human` prints. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.line(JSON.stringify(value, null, 2));
    else human();
  }

  /** One JSON document per line (streams: watch events, followed logs). */
  jsonLine(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  note(text: string): void {
    this.io.stderr.write(`${this.errStyle.dim(text)}\n`);
  }

  success(text: string): void {
    if (!this.json) this.line(`${this.style.green('✔')} ${text}`);
  }

  /** Prints an error; returns the exit code for it. */
  error(error: unknown): number {
    const s = this.errStyle;
    if (error instanceof StepwiseApiError) {
      if (this.json) {
        this.io.stderr.write(`${JSON.stringify({ error: error.body ?? { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) }, status: error.status })}\n`);
        return 1;
      }
      const field = error.field ? ` ${s.dim('field:')} ${s.bold(error.field)}` : '';
      this.io.stderr.write(`${s.red('error:')} ${error.message}${field} ${s.dim(`(${error.status} ${error.code}${error.requestId ? `, ${error.requestId}` : ''})`)}\n`);
      const issues = error.details?.issues;
      // One issue is the message itself; several, or a workflow's (with their node), are worth listing.
      if (Array.isArray(issues) && (issues.length > 1 || (issues as ValidationIssueView[]).some((i) => i.node))) {
        for (const issue of issues as ValidationIssueView[]) this.io.stderr.write(`  ${formatIssue(issue, s)}\n`);
      }
      if (error.status === 401 && error.code === 'unauthorized' && !/stepwise login/.test(error.message)) this.io.stderr.write(`${s.dim('hint: run `stepwise login` (or check STEPWISE_TOKEN / STEPWISE_API_KEY)')}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof UsageError ? 2 : 1;
    if (this.json) this.io.stderr.write(`${JSON.stringify({ error: { code: code === 2 ? 'usage' : 'client_error', message } })}\n`);
    else this.io.stderr.write(`${s.red('error:')} ${connectionHint(error) ?? message}\n`);
    return code;
  }
}

/** fetch's "fetch failed" says nothing: name the address that could not be reached. */
function connectionHint(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; address?: string; port?: number } } | undefined)?.cause;
  if (error instanceof TypeError && cause?.code && /ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ETIMEDOUT/.test(cause.code)) {
    return `cannot reach the API (${cause.code}${cause.address ? ` ${cause.address}${cause.port ? `:${cause.port}` : ''}` : ''}): is the server running? (--api-url / STEPWISE_API_URL)`;
  }
  return undefined;
}
