/**
 * aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks (Lambda's Node 22 has
 * it). Call this once before running the local interpreter; it does nothing where it exists.
 */
export function installPromiseWithResolvers(): void {
  const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
  if (typeof promiseCtor.withResolvers === 'function') return;
  promiseCtor.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
