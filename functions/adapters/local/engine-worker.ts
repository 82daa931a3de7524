/**
 * Local mode's engine off the request thread (docs/deploy.md, "Local mode"): the ASL interpreter, the
 * task runner and the execution-events handler run in one worker thread, so however much a run asks of
 * them (a map over thousands of items, a thousand iterations at once) the API thread stays free to
 * answer, /health and DELETE /executions/{id} included. Task-runner calls are also bounded (at most
 * MAX_CONCURRENT_TASKS at once), so a wide run cannot saturate DynamoDB Local, which the API needs too.
 *
 * The API thread talks to it through LocalEngineWorker (the EngineControl the executions API uses).
 */
import { isMainThread, parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import type { TaskRunnerRequest } from '../../../statemachines/task-runner-contract.ts';
import { spawnModuleWorker } from '../workers/module-worker.ts';
import type { EngineControl, LocalEngine, LocalRun } from './local-engine.ts';

const ROLE = 'stepwise-local-engine';
/** Task-runner calls in flight at once across every run; the rest wait (Step Functions' Map runs 40 at once). */
export const MAX_CONCURRENT_TASKS = 32;

export interface EngineWorkerOptions {
  timeScale: number;
  /** Where the engine journal lives (`<dataDir>/engine`): runs, attempts and wait deadlines survive a restart. */
  journalDir: string;
}

type Op = 'start' | 'stop' | 'redrive' | 'isRunning';
interface Call {
  id: number;
  op: Op;
  args: unknown[];
}
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };
type Ready = { ready: true } | { ready: false; message: string };

// ------------------------------------------------------------------ the worker side

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE && parentPort) {
  void serve(parentPort, (workerData as { options: EngineWorkerOptions }).options);
}

async function serve(port: MessagePort, options: EngineWorkerOptions): Promise<void> {
  let engine: LocalEngine;
  try {
    engine = await createEngine(options);
  } catch (error) {
    port.postMessage({ ready: false, message: (error as Error).stack ?? String(error) } satisfies Ready, []);
    return;
  }
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
  const { executionDeps } = await import('../executions-wiring.ts');
  port.postMessage({ ready: true } satisfies Ready, []);
  // Runs the last server left in progress: resumed or failed, each as the store says (RunRecovery). The
  // journal is read before any call from the API thread is handled (recover reads it synchronously).
  await engine.recover((run) => executionDeps().recovery.plan(run.name)).catch((error: unknown) => console.error('local engine: recovery failed', { error: String(error) }));
}

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
  }
}

/**
 * The same wiring the server used in-process: every runner Task bound to the task-runner code, every
 * status change to the execution-events handler AWS invokes. Both read their configuration from this
 * thread's copy of the environment, which the server set before starting it.
 */
async function createEngine(options: EngineWorkerOptions): Promise<LocalEngine> {
  const [{ runTask }, events, { LocalEngine: Engine }, { FileEngineJournal }] = await Promise.all([
    import('../../task-runner/handler.ts'),
    import('../../execution-events/handler.ts'),
    import('./local-engine.ts'),
    import('./engine-journal.ts'),
  ]);
  const limit = concurrencyLimit(MAX_CONCURRENT_TASKS);
  return new Engine({
    journal: new FileEngineJournal(options.journalDir),
    runTask: (payload, signal) => limit(signal, () => runTask(payload as TaskRunnerRequest, signal)),
    onStatusChange: async (event) => {
      await events.handler(event);
    },
    timeScale: options.timeScale,
  });
}

/** At most `max` calls at once; a waiting call whose signal aborts is dropped without running. */
function concurrencyLimit(max: number) {
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

  private constructor(private readonly worker: Worker) {
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
      console.error('local engine: the engine thread failed', { error: error.stack ?? String(error) });
      broken(new Error(`the local engine stopped: ${error.message}`));
    });
    worker.on('exit', (code) => broken(new Error(`the local engine stopped (exit code ${code})`)));
  }

  /** Starts the engine thread and resolves once it has loaded the handlers and can take runs. */
  static async start(options: EngineWorkerOptions): Promise<LocalEngineWorker> {
    const worker = spawnModuleWorker(import.meta.url, { workerData: { role: ROLE, options } });
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
    return new LocalEngineWorker(worker);
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
