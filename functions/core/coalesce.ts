/**
 * Reads that arrive together share one. The first call with a key schedules the read for the next
 * turn of the event loop (`defer`); every call with that key until it starts joins it and gets its
 * own copy of the answer. Because the read starts only after every joined call was made, it sees at
 * least what each caller's own read would have seen: nothing is served from before a caller asked,
 * so this is not a cache (docs/architecture.md#reads-that-arrive-together). A failed read fails
 * every call that joined it; the next call reads again.
 */
export function coalesced<A extends readonly unknown[], T>(
  read: (...args: A) => Promise<T>,
  keyOf: (...args: A) => string,
  defer: (start: () => void) => void = (start) => void setImmediate(start),
): (...args: A) => Promise<T> {
  const waiting = new Map<string, { args: A; callers: { resolve: (value: T) => void; reject: (error: unknown) => void }[] }>();
  return (...args) =>
    new Promise<T>((resolve, reject) => {
      const key = keyOf(...args);
      const pending = waiting.get(key);
      if (pending) {
        pending.callers.push({ resolve, reject });
        return;
      }
      const batch = { args, callers: [{ resolve, reject }] };
      waiting.set(key, batch);
      defer(async () => {
        // Calls from now on start a read of their own.
        waiting.delete(key);
        let value: T;
        try {
          value = await read(...batch.args);
        } catch (error) {
          for (const caller of batch.callers) caller.reject(error);
          return;
        }
        // Each caller may filter or change what it got without touching another's; a value that
        // cannot be copied fails the caller it was for, never the others.
        batch.callers.forEach((caller, i) => {
          try {
            caller.resolve(i === 0 ? value : structuredClone(value));
          } catch (error) {
            caller.reject(error);
          }
        });
      });
    });
}
