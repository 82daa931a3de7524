/**
 * Local mode's task tokens for the gated layout's `gate` Tasks (statemachines/README.md, "Gated layout"):
 * aws-local-stepfunctions completes a `.waitForTaskToken` Task as soon as its handler returns, so the local
 * engine's handler for a gate waits here for the token it passed to the runner until the runner's
 * DependencyGates sends success (the engine and the runner share this thread). Like Step Functions, a success
 * for a token nobody waits on (closed, or from another run) is ignored.
 */
import type { TaskTokens } from '../../core/runner/dependency-gates.ts';

export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, () => void>();

  /** Registers the token before the runner can see it; resolves on success, rejects when `signal` aborts. */
  wait(token: string, signal: AbortSignal): { done: Promise<void> } {
    const done = new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(token);
        reject(signal.reason instanceof Error ? signal.reason : new Error('the run stopped'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(token, () => {
        signal.removeEventListener('abort', onAbort);
        this.waiting.delete(token);
        resolve();
      });
    });
    // Nobody may await it when the runner call itself fails; never an unhandled rejection.
    done.catch(() => undefined);
    return { done };
  }

  succeed(token: string): Promise<void> {
    this.waiting.get(token)?.();
    return Promise.resolve();
  }

  /** Tokens still waiting (tests: nothing is left behind). */
  get pending(): number {
    return this.waiting.size;
  }
}

/** The one registry of this thread: the local engine waits on it, the runner's gates succeed on it. */
export const localTaskTokens = new LocalTaskTokens();
