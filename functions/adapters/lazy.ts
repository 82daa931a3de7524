/**
 * Defers loading an adapter module until first use. ESM imports run at cold start, and each AWS
 * SDK client costs 100–300 ms to load; a function should only pay for the clients its routes use.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
