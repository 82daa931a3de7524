import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import jsonata from 'jsonata';
import { ExpressionFailure, type ExpressionEvaluator } from '../../core/runner/ports.ts';
import { spawnModuleWorker } from '../workers/module-worker.ts';

/**
 * JSONata in worker threads, so an expression that never yields (a catastrophic regular expression, an
 * endless loop) is stopped at its deadline by terminating its thread, instead of freezing the process
 * that runs every other node and, in local mode, the API (docs/api.md, "Limits").
 *
 * Workers are kept warm and reused, one evaluation at a time each, so a node pays a message round trip
 * (well under a millisecond), not a thread start. A killed worker is replaced on the next demand.
 */

const ROLE = 'stepwise-jsonata-worker';
/** Nesting depth of evaluation: deep non-tail recursion fails cleanly instead of overflowing the stack. */
const MAX_DEPTH = 1_000;
/** The thread's heap: an expression building a huge value fails on its own instead of exhausting the process. */
const WORKER_HEAP_MB = 256;
/** Past JSONata's own timeout (which catches loops that still step), the thread is terminated. */
const KILL_GRACE_MS = 100;
const COMPILED_CACHE = 500;

interface Request {
  id: number;
  expression: string;
  data: unknown;
  timeoutMs: number;
}

type Reply =
  | { id: number; ok: true; value: unknown; undefined: boolean }
  | { id: number; ok: false; kind: 'syntax' | 'evaluation'; message: string; code?: string | undefined; position?: number | undefined };

// ------------------------------------------------------------------ the worker side

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  const compiled = new Map<string, jsonata.Expression>();
  port.on('message', (request: Request) => {
    void evaluateHere(request, compiled).then((reply) => port.postMessage(reply));
  });
}

async function evaluateHere(request: Request, compiled: Map<string, jsonata.Expression>): Promise<Reply> {
  const key = `${request.timeoutMs}\u0000${request.expression}`;
  let expression = compiled.get(key);
  if (!expression) {
    try {
      expression = jsonata(request.expression, { timeout: request.timeoutMs, stack: MAX_DEPTH } as Parameters<typeof jsonata>[1]);
    } catch (error) {
      return { id: request.id, ok: false, kind: 'syntax', ...describe(error) };
    }
    if (compiled.size >= COMPILED_CACHE) compiled.clear();
    compiled.set(key, expression);
  }
  try {
    const value: unknown = await expression.evaluate(request.data);
    // Plain JSON crosses the thread boundary (JSONata sequences become arrays, functions disappear).
    const text = JSON.stringify(value);
    return { id: request.id, ok: true, value: text === undefined ? null : (JSON.parse(text) as unknown), undefined: value === undefined };
  } catch (error) {
    return { id: request.id, ok: false, kind: 'evaluation', ...describe(error) };
  }
}

/** JSONata throws plain objects ({code, message, position}), and RangeError on a real stack overflow. */
function describe(error: unknown): { message: string; code?: string; position?: number } {
  const e = (error ?? {}) as { message?: unknown; code?: unknown; position?: unknown };
  return {
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.position === 'number' ? { position: e.position } : {}),
  };
}

// ------------------------------------------------------------------ the pool

interface Job {
  request: Request;
  signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: ExpressionFailure): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

export interface JsonataWorkerPoolOptions {
  /** Threads at most; evaluations beyond wait their turn. Default: 2 per core, between 2 and 8. */
  maxWorkers?: number;
}

export class JsonataWorkerPool implements ExpressionEvaluator {
  private readonly maxWorkers: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: JsonataWorkerPoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(8, Math.max(2, availableParallelism() * 2)));
  }

  evaluate(expression: string, data: unknown, options: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<unknown> {
    if (this.closed) return Promise.reject(new ExpressionFailure('aborted', 'the expression pool is closed'));
    if (options.signal?.aborted) return Promise.reject(new ExpressionFailure('aborted', 'the run was cancelled'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, expression, data, timeoutMs: Math.max(1, Math.round(options.timeoutMs)) }, signal: options.signal, resolve, reject });
      this.pump();
    });
  }

  /** Terminates every thread; evaluations in flight or queued fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ExpressionFailure('aborted', 'the expression pool is closed'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, new ExpressionFailure('aborted', 'the expression pool is closed'))));
  }

  /** Threads alive right now (tests). */
  get size(): number {
    return this.slots.size;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.job === undefined);
      if (!slot && this.slots.size < this.maxWorkers) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift() as Job;
      if (job.signal?.aborted) {
        job.reject(new ExpressionFailure('aborted', 'the run was cancelled'));
        continue;
      }
      this.run(slot, job);
    }
  }

  private spawn(): Slot {
    const worker = spawnModuleWorker(import.meta.url, { workerData: { role: ROLE }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const slot: Slot = { worker, job: undefined, timer: undefined, onAbort: undefined };
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(slot, reply));
    worker.on('error', (error: Error) => {
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      void this.retire(slot, new ExpressionFailure('evaluation', outOfMemory ? `the expression needed more than ${WORKER_HEAP_MB} MB of memory` : `the expression worker failed: ${error.message}`));
    });
    worker.on('exit', () => {
      if (this.slots.has(slot)) void this.retire(slot, new ExpressionFailure('evaluation', 'the expression worker stopped unexpectedly'));
    });
    this.slots.add(slot);
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    // Busy threads keep the process alive; idle ones do not (a CLI or a test exits when its work is done).
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      void this.retire(slot, new ExpressionFailure('timeout', `it did not finish within ${job.request.timeoutMs} ms and was stopped`, { code: 'D1012' }));
    }, job.request.timeoutMs + KILL_GRACE_MS);
    if (job.signal) {
      slot.onAbort = () => void this.retire(slot, new ExpressionFailure('aborted', 'the run was cancelled'));
      job.signal.addEventListener('abort', slot.onAbort, { once: true });
    }
    slot.worker.postMessage(job.request, []);
  }

  private settle(slot: Slot, reply: Reply): void {
    const job = slot.job;
    if (!job || job.request.id !== reply.id) return;
    this.release(slot);
    if (reply.ok) job.resolve(reply.undefined ? undefined : reply.value);
    else {
      // JSONata's own timeout is the same limit as the hard one, so it reads the same.
      const kind = reply.code === 'D1012' ? 'timeout' : reply.kind;
      const message = kind === 'timeout' ? `it did not finish within ${job.request.timeoutMs} ms and was stopped` : reply.message;
      job.reject(new ExpressionFailure(kind, message, { code: reply.code, position: reply.position }));
    }
    this.pump();
  }

  private release(slot: Slot): Job | undefined {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    if (job?.signal && slot.onAbort) job.signal.removeEventListener('abort', slot.onAbort);
    slot.job = undefined;
    slot.timer = undefined;
    slot.onAbort = undefined;
    if (this.slots.has(slot)) slot.worker.unref();
    return job;
  }

  private async retire(slot: Slot, failure: ExpressionFailure): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = this.release(slot);
    job?.reject(failure);
    await slot.worker.terminate().catch(() => undefined);
    if (!this.closed) this.pump();
  }
}
