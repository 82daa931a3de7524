/**
 * Local mode's engine off the request thread (docs/deploy.md, "Local mode"): the ASL interpreter, the
 * task runner and the execution-events handler run in one worker thread, so however much a run asks of
 * them (a map over thousands of items, a thousand iterations at once) the API thread stays free to
 * answer, /health and DELETE /executions/{id} included. Task-runner calls are also bounded (at most
 * MAX_CONCURRENT_TASKS at once), so a wide run cannot saturate DynamoDB Local, which the API needs too.
 *
 * The API thread talks to it through LocalEngineWorker (the EngineControl the executions API uses);
 * the thread itself runs functions/root/local-engine-thread.ts, which builds its own Stepwise.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import type { ErrorLogger } from '../../core/logger.ts';
import { spawnModuleWorker } from '../workers/module-worker.ts';
import type { EngineControl, LocalEngine, LocalRun } from './local-engine.ts';
import type { TokenOutcome } from './local-task-tokens.ts';

/** Task-runner calls in flight at once across every run; the rest wait (Step Functions' Map runs 40 at once). */
export const MAX_CONCURRENT_TASKS = 32;

export interface EngineWorkerOptions {
  /**
   * The module the thread runs (functions/root/local-engine-thread.ts): it builds the thread's own
   * Stepwise from the same configuration and its engine, then calls `serveEngine`.
   */
  moduleUrl: string;
  /** Passed to that module as `workerData` (plain data: the thread builds its own objects). */
  workerData: unknown;
}

type Op = 'start' | 'stop' | 'redrive' | 'isRunning' | 'completeTask';
interface Call {
  id: number;
  op: Op;
  args: unknown[];
}
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };
type Ready = { ready: true } | { ready: false; message: string };

// ------------------------------------------------------------------ the worker side

/** What the thread's module hands over: the engine, and how to take back the runs the last server left. */
export interface ServedEngine {
  engine: LocalEngine;
  /** Runs once calls are being answered; the journal is read before any call from the API thread is handled. */
  recover(): Promise<void>;
}

/** Serves `build()`'s engine to the API thread on this worker's port (called by the thread's module). */
export async function serveEngine(build: () => Promise<ServedEngine>): Promise<void> {
  const port = parentPort;
  if (isMainThread || !port) throw new Error('serveEngine runs in the engine thread only');
  let served: ServedEngine;
  try {
    served = await build();
  } catch (error) {
    port.postMessage({ ready: false, message: (error as Error).stack ?? String(error) } satisfies Ready, []);
    return;
  }
  const { engine } = served;
  port.on('message', (call: Call) => {
    void (async () => {
      try {
        const value = await dispatch(engine, call);
        port.postMessage({ id: call.id, ok: true, value } satisfies Answer, []);
      } catch (error) {
        const e = error as { name?: unknown; message?: unknown };
        port.postMessage({ id: call.id, ok: false, name: typeof e.name === 'string' ? e.name : 'Error', message: typeof e.message === 'string' ? e.message : String(error) } satisfies Answer, []);
      }
    })();
  });
  port.postMessage({ ready: true } satisfies Ready, []);
  await served.recover();
}

/** The thread's workerData, for its module. */
export const engineWorkerData = (): unknown => (isMainThread ? undefined : workerData);

function dispatch(engine: LocalEngine, call: Call): unknown {
  switch (call.op) {
    case 'start':
      return engine.start(call.args[0] as LocalRun);
    case 'stop':
      return engine.stop(call.args[0] as string, call.args[1] as { error?: string; cause?: string });
    case 'redrive':
      return engine.redrive(call.args[0] as string);
    case 'isRunning':
      return engine.isRunning(call.args[0] as string);
    case 'completeTask':
      return engine.completeTask(call.args[0] as string, call.args[1] as TokenOutcome);
  }
}

/** At most `max` calls at once; a waiting call whose signal aborts is dropped without running. */
export function concurrencyLimit(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> => {
    if (active >= max) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
      });
    }
    active += 1;
    try {
      // A run stopped while this call waited needs nothing more from the runner.
      signal.throwIfAborted();
      return await work();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

// ------------------------------------------------------------------ the API thread's side

export class LocalEngineWorker implements EngineControl {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    logger: ErrorLogger,
  ) {
    worker.on('message', (answer: Answer) => {
      const call = this.pending.get(answer.id);
      if (!call) return;
      this.pending.delete(answer.id);
      if (answer.ok) call.resolve(answer.value);
      else call.reject(Object.assign(new Error(answer.message), { name: answer.name }));
    });
    const broken = (error: Error) => {
      this.failure ??= error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => {
      logger.error('local engine: the engine thread failed', { error: error.stack ?? String(error) });
      broken(new Error(`the local engine stopped: ${error.message}`));
    });
    worker.on('exit', (code) => broken(new Error(`the local engine stopped (exit code ${code})`)));
  }

  /** Starts the engine thread and resolves once it has loaded the handlers and can take runs. */
  static async start(options: EngineWorkerOptions, logger: ErrorLogger): Promise<LocalEngineWorker> {
    const worker = spawnModuleWorker(options.moduleUrl, { workerData: options.workerData });
    const ready = await new Promise<Ready>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the local engine thread exited before it was ready (exit code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: Ready) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new Error(`the local engine could not start: ${ready.message}`);
    }
    return new LocalEngineWorker(worker, logger);
  }

  start(run: LocalRun): Promise<void> {
    return this.call('start', [run]) as Promise<void>;
  }

  stop(executionArn: string, details: { error?: string; cause?: string } = {}): Promise<boolean> {
    return this.call('stop', [executionArn, details]) as Promise<boolean>;
  }

  redrive(executionArn: string): Promise<boolean> {
    return this.call('redrive', [executionArn]) as Promise<boolean>;
  }

  isRunning(executionArn: string): Promise<boolean> {
    return this.call('isRunning', [executionArn]) as Promise<boolean>;
  }

  completeTask(token: string, outcome: TokenOutcome): Promise<boolean> {
    return this.call('completeTask', [token, outcome]) as Promise<boolean>;
  }

  /**
   * Ends the engine thread where it stands. Runs in progress are not stopped: like Step Functions' own,
   * they are not the server's to cancel, and the next start on the same data dir resumes them from the
   * journal (RunRecovery), exactly as after a crash.
   */
  async close(): Promise<void> {
    this.failure ??= new Error('the local engine is stopped');
    await this.worker.terminate();
  }

  private call(op: Op, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args } satisfies Call, []);
    });
  }
}
