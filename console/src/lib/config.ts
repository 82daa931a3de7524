/**
 * Where the API and the live-updates WebSocket are. Local mode serves the console from the API's
 * own origin (config.json has empty URLs); the console stack writes the stage's URLs into
 * config.json next to the app (lib/console-stack.ts).
 */
export interface ConsoleConfig {
  /** Base URL of the REST API (no trailing slash, no `/api/v1`). */
  readonly apiUrl: string;
  /** WebSocket URL that accepts `{"action":"subscribe","execution_id":…}`. */
  readonly liveUrl: string;
}

interface RuntimeConfig {
  api_url?: unknown;
  live_url?: unknown;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export async function loadConfig(): Promise<ConsoleConfig> {
  let runtime: RuntimeConfig = {};
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (res.ok) runtime = (await res.json()) as RuntimeConfig;
  } catch {
    // No config.json: the API is on this origin.
  }
  const apiUrl = typeof runtime.api_url === 'string' && runtime.api_url ? trimSlash(runtime.api_url) : location.origin;
  const liveUrl =
    typeof runtime.live_url === 'string' && runtime.live_url ? trimSlash(runtime.live_url) : `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return { apiUrl, liveUrl };
}
