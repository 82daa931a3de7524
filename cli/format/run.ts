/**
 * What `stepwise run --watch` shows: one line per node state change, a progress bar (redrawn in
 * place on a terminal, printed once at the end elsewhere), then a summary. Pure formatting over the
 * client's watch events (client/watch.ts), so it is tested without a server.
 */
import type { Execution, NodeStatus, WatchEvent } from '../../client/watch.ts';
import { progressBar } from './progress.ts';
import type { Style } from './style.ts';
import { formatDuration } from './time.ts';

const FINAL_NODE: readonly NodeStatus[] = ['completed', 'failed', 'skipped', 'cancelled'];

export function nodeIcon(status: string, style: Style): string {
  switch (status) {
    case 'running':
      return style.cyan('▸');
    case 'retrying':
      return style.yellow('↻');
    case 'completed':
      return style.green('✔');
    case 'failed':
    case 'timed_out':
      return style.red('✖');
    case 'cancelled':
      return style.yellow('■');
    case 'skipped':
      return style.dim('○');
    default:
      return style.dim('·');
  }
}

export function statusText(status: string, style: Style): string {
  switch (status) {
    case 'completed':
      return style.green(status);
    case 'failed':
    case 'timed_out':
      return style.red(status);
    case 'cancelled':
    case 'retrying':
      return style.yellow(status);
    case 'running':
      return style.cyan(status);
    default:
      return style.dim(status);
  }
}

export interface RunViewOptions {
  style: Style;
  /** Redraw the bar in place (a terminal). */
  live: boolean;
  /** Every node of the workflow, nested ones included (GET /workflows/{id}/tasks). */
  nodes: readonly { id: string; type: string }[];
  write: (text: string) => void;
  /** Side remarks (how updates arrive), to stderr. */
  note?: (text: string) => void;
}

export class RunView {
  readonly #o: RunViewOptions;
  readonly #idWidth: number;
  readonly #typeWidth: number;
  readonly #types = new Map<string, string>();
  readonly #startedAt = new Map<string, number>();
  readonly #final = new Set<string>();
  #barShown = false;

  constructor(options: RunViewOptions) {
    this.#o = options;
    this.#idWidth = Math.max(4, ...options.nodes.map((n) => n.id.length));
    this.#typeWidth = Math.max(4, ...options.nodes.map((n) => n.type.length));
    for (const n of options.nodes) this.#types.set(n.id, n.type);
  }

  get done(): number {
    return this.#final.size;
  }

  get total(): number {
    return Math.max(this.#o.nodes.length, this.#final.size);
  }

  /** One node line, as printed (without the newline). */
  nodeLine(event: Extract<WatchEvent, { type: 'node' }>): string {
    const { style } = this.#o;
    const type = event.nodeType ?? this.#types.get(event.nodeId) ?? '';
    let detail = '';
    if (event.status === 'completed') {
      const started = this.#startedAt.get(event.nodeId);
      if (started !== undefined) detail = style.dim(formatDuration(Date.parse(event.at) - started));
    } else if (event.status === 'failed' && event.error) detail = style.red(event.error);
    else if (event.status === 'retrying') detail = style.dim('attempt failed, retrying');
    const statusCell = statusText(event.status, style) + ' '.repeat(Math.max(0, 9 - event.status.length));
    return `  ${nodeIcon(event.status, style)} ${event.nodeId.padEnd(this.#idWidth)}  ${style.dim(type.padEnd(this.#typeWidth))}  ${statusCell}${detail ? ` ${detail}` : ''}`.trimEnd();
  }

  handle(event: WatchEvent): void {
    if (event.type === 'transport') {
      if (event.transport === 'polling' && event.reason) this.#o.note?.(this.#o.style.dim(`live updates unavailable (${event.reason}); polling`));
      return;
    }
    if (event.type !== 'node') return;
    if (event.status === 'running' && !this.#startedAt.has(event.nodeId)) this.#startedAt.set(event.nodeId, Date.parse(event.at));
    if (FINAL_NODE.includes(event.status)) this.#final.add(event.nodeId);
    this.#print(this.nodeLine(event));
  }

  #print(line: string): void {
    if (!this.#o.live) return this.#o.write(`${line}\n`);
    // Clear the bar, print the line above it, draw the bar again.
    this.#o.write(`${this.#barShown ? '\r\u001b[2K' : ''}${line}\n${this.bar()}`);
    this.#barShown = true;
  }

  bar(): string {
    return this.#o.style.dim(progressBar(this.done, this.total));
  }

  /** The bar's last state and the summary; call once, with the finished execution. */
  finish(execution: Execution): void {
    const { style } = this.#o;
    this.#o.write(`${this.#barShown ? '\r\u001b[2K' : ''}${this.bar()}\n`);
    this.#barShown = false;
    this.#o.write(`${summaryLine(execution, style)}\n`);
    if (execution.status === 'completed' && execution.result !== undefined && execution.result !== null) {
      this.#o.write(`${style.dim('result:')} ${truncate(JSON.stringify(execution.result), 500)}\n`);
    }
  }
}

export function summaryLine(execution: Execution, style: Style): string {
  const took = execution.duration_ms ?? (execution.started_at && execution.completed_at ? Date.parse(execution.completed_at) - Date.parse(execution.started_at) : null);
  const counts = Object.entries(execution.task_summary ?? {})
    .filter(([k, v]) => k !== 'total' && typeof v === 'number' && v > 0)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const total = execution.task_summary?.total;
  const head = `${nodeIcon(execution.status, style)} ${statusText(execution.status, style)}${took !== null ? ` in ${formatDuration(took)}` : ''}`;
  const nodes = total !== undefined ? ` · ${total} node${total === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}` : '';
  const error = execution.status !== 'completed' && execution.error ? `\n  ${style.red(execution.error)}` : '';
  return `${head}${nodes} · ${execution.id}${error}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
