/**
 * Local mode's task tokens for the `.waitForTaskToken` Tasks: the gated layout's `gate` Tasks
 * (statemachines/README.md, "Gated layout") and approvals (docs/api.md#approvals).
 * aws-local-stepfunctions completes a `.waitForTaskToken` Task as soon as its handler returns, so the local
 * engine's handler waits here for the token it passed to the runner until someone completes it: the runner's
 * DependencyGates in the engine's thread, or an approval decided on the API thread (through the engine
 * worker). Like Step Functions, completing a token nobody waits on (closed, or from another run) is ignored.
 */
import type { TaskTokens } from '../../core/runner/dependency-gates.ts';

/** How a token was completed: SendTaskSuccess's output, or SendTaskFailure's error and cause. */
export type TokenOutcome = { ok: true; output: string } | { ok: false; error: string; cause: string };

export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, (outcome: TokenOutcome) => void>();

  /** Registers the token before the runner can see it; resolves once completed, rejects when `signal` aborts. */
  wait(token: string, signal: AbortSignal): { done: Promise<TokenOutcome>; cancel(): void } {
    let cancel = () => undefined as void;
    const done = new Promise<TokenOutcome>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(token);
        reject(signal.reason instanceof Error ? signal.reason : new Error('the run stopped'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      cancel = () => {
        signal.removeEventListener('abort', onAbort);
        this.waiting.delete(token);
      };
      this.waiting.set(token, (outcome) => {
        cancel();
        resolve(outcome);
      });
    });
    // Nobody may await it when the runner call itself fails; never an unhandled rejection.
    done.catch(() => undefined);
    return { done, cancel: () => cancel() };
  }

  succeed(token: string, output = '{}'): Promise<void> {
    this.complete(token, { ok: true, output });
    return Promise.resolve();
  }

  fail(token: string, error: string, cause: string): Promise<void> {
    this.complete(token, { ok: false, error, cause });
    return Promise.resolve();
  }

  /** True when something waited on the token. */
  complete(token: string, outcome: TokenOutcome): boolean {
    const waiter = this.waiting.get(token);
    waiter?.(outcome);
    return waiter !== undefined;
  }

  /** Tokens still waiting (tests: nothing is left behind). */
  get pending(): number {
    return this.waiting.size;
  }
}

/** The one registry of this thread: the local engine waits on it, the runner's gates succeed on it. */
export const localTaskTokens = new LocalTaskTokens();
