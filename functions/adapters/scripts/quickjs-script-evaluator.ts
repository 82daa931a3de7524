import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { ScriptFailure, type ScriptFailureKind, type ScriptEvaluator } from '../../core/runner/ports.ts';
import { spawnModuleWorker } from '../workers/module-worker.ts';

/**
 * Transform scripts in QuickJS compiled to WebAssembly (quickjs-emscripten), each in a thread of its
 * own. Two limits hold from outside the script:
 *
 * - inside the thread, QuickJS's interrupt handler stops the script at its deadline and
 *   `setMemoryLimit` caps its heap: a `while (true) {}` ends with a timeout, a growing array with
 *   "out of memory";
 * - around it, the thread is terminated a grace period after the deadline, for what QuickJS cannot
 *   interrupt (one long native call such as a huge `Array.fill`), and its V8 heap is capped too.
 *
 * The script sees the ECMAScript built-ins and `data`, nothing else: no module loader and no host
 * functions, so there is no network, file, timer or process access, and nothing of another run.
 * `data` goes in and the result comes out as JSON text. A fresh thread per script costs a thread
 * start and loading the WebAssembly module (docs/api.md#transform-scripts), and a poisoned engine
 * (QuickJS can abort after some failures) dies with its thread.
 */

const ROLE = 'stepwise-quickjs-worker';
/** QuickJS's own stack cap: below the thread's real stack, so deep recursion is QuickJS's clean "stack overflow". */
const MAX_STACK_BYTES = 192 * 1024;
/** Past the interrupt deadline, the thread is terminated. */
const KILL_GRACE_MS = 1_000;
/** The thread's V8 heap: the script's own heap is inside the WebAssembly memory, capped separately. */
const THREAD_HEAP_MB = 128;

interface Request {
  script: string;
  data: unknown;
  timeoutMs: number;
  memoryBytes: number;
}

type Reply = { ok: true; json: string | undefined } | { ok: false; kind: ScriptFailureKind; message: string };

// ------------------------------------------------------------------ the worker side

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  port.once('message', (request: Request) => {
    void runHere(request).then(
      (json): Reply => ({ ok: true, json }),
      (error: unknown): Reply =>
        error instanceof ScriptFailure ? { ok: false, kind: error.kind, message: error.message } : { ok: false, kind: 'evaluation', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
    ).then((reply) => port.postMessage(reply));
  });
}

async function runHere(request: Request): Promise<string | undefined> {
  const [core, variant] = await Promise.all([import('quickjs-emscripten-core'), import('@jitl/quickjs-wasmfile-release-sync')]);
  const quickjs: QuickJSWASMModule = await core.newQuickJSWASMModuleFromVariant(variant.default);
  const runtime = quickjs.newRuntime();
  const deadline = Date.now() + request.timeoutMs;
  let interrupted = false;
  runtime.setMemoryLimit(request.memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(() => (interrupted ||= Date.now() > deadline));
  const vm = runtime.newContext();
  const input = vm.newString(JSON.stringify(request.data ?? null));
  vm.setProp(vm.global, '__stepwise_input', input);
  input.dispose();
  unwrap(vm, vm.evalCode('globalThis.data = JSON.parse(globalThis.__stepwise_input); delete globalThis.__stepwise_input;', 'input.js'), () => interrupted).dispose();
  const result = unwrap(vm, vm.evalCode(request.script, 'script.js'), () => interrupted);
  vm.setProp(vm.global, '__stepwise_result', result);
  result.dispose();
  const json = unwrap(vm, vm.evalCode('JSON.stringify(globalThis.__stepwise_result)', 'output.js'), () => interrupted);
  const text = vm.typeof(json) === 'string' ? vm.getString(json) : undefined;
  json.dispose();
  // The thread ends after this reply, taking the engine with it: nothing is freed by hand.
  return text;
}

function unwrap(vm: QuickJSContext, result: { error: QuickJSHandle; value?: undefined } | { value: QuickJSHandle; error?: undefined }, interrupted: () => boolean): QuickJSHandle {
  if (!result.error) return result.value;
  const error = vm.dump(result.error) as { name?: string; message?: string } | string | null;
  const name = typeof error === 'object' && error ? (error.name ?? 'Error') : 'Error';
  const message = typeof error === 'object' && error ? (error.message ?? '') : String(error);
  if (interrupted()) throw new ScriptFailure('timeout', 'it did not finish in time and was stopped');
  if (/out of memory/i.test(message)) throw new ScriptFailure('memory', 'ran out of memory');
  if (name === 'SyntaxError') throw new ScriptFailure('syntax', `SyntaxError: ${message}`);
  throw new ScriptFailure('evaluation', `${name}: ${message}`);
}

// ------------------------------------------------------------------ the caller's side

export class QuickJsScriptEvaluator implements ScriptEvaluator {
  evaluate(script: string, data: unknown, options: { timeoutMs: number; memoryBytes: number }): Promise<unknown> {
    const request: Request = { script, data, timeoutMs: Math.max(1, Math.round(options.timeoutMs)), memoryBytes: Math.max(1_048_576, Math.round(options.memoryBytes)) };
    return new Promise((resolve, reject) => {
      const worker = spawnModuleWorker(import.meta.url, { workerData: { role: ROLE }, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate().catch(() => undefined);
        outcome();
      };
      // The thread's start and the engine's load are not the script's time: the deadline counts from the request.
      const timer = setTimeout(() => finish(() => reject(new ScriptFailure('timeout', 'it did not finish in time and was stopped'))), request.timeoutMs + KILL_GRACE_MS + 2_000);
      worker.on('message', (reply: Reply) =>
        finish(() => {
          if (!reply.ok) reject(new ScriptFailure(reply.kind, reply.message));
          else if (reply.json === undefined) resolve(null);
          else {
            try {
              resolve(JSON.parse(reply.json) as unknown);
            } catch {
              reject(new ScriptFailure('output', 'its result is not JSON'));
            }
          }
        }),
      );
      worker.on('error', (error: Error) =>
        finish(() => reject((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ScriptFailure('memory', 'ran out of memory') : new ScriptFailure('evaluation', `the script's thread failed: ${error.message}`))),
      );
      worker.on('exit', () => finish(() => reject(new ScriptFailure('evaluation', 'the script’s thread stopped unexpectedly'))));
      worker.postMessage(request, []);
    });
  }
}
