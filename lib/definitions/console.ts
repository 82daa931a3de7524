/**
 * The web console (console/, docs/deploy.md#console): where its build lives and the response
 * headers it is served with. Local mode (functions/adapters/local/console-assets.ts) and the
 * console stack's CloudFront response headers policy (lib/console-stack.ts) both read this, so the
 * browser gets the same policy from `npm start` and from AWS. Pure data.
 */

/** The built console, relative to the repository root (`npm run build:console`, scripts/build-console.ts). */
export const CONSOLE_DIST_DIR = 'console/dist';

/** The runtime configuration file the console reads at start (same-origin API when its URLs are empty). */
export const CONSOLE_CONFIG_FILE = 'config.json';

/** Files at the top of the build the console loads by name; everything else it needs is under `assets/`. */
export const CONSOLE_TOP_LEVEL_FILES: ReadonlySet<string> = new Set(['index.html', CONSOLE_CONFIG_FILE, 'favicon.svg']);

/**
 * The paths the console's site answers (GET/HEAD): `/`, its top-level files and `/assets/<file>`.
 * None is an API route (test/functions/adapters/local/console-assets.test.ts checks every one).
 */
export function isConsolePath(pathname: string): boolean {
  if (pathname === '/') return true;
  const name = pathname.slice(1);
  return CONSOLE_TOP_LEVEL_FILES.has(name) || /^assets\/[A-Za-z0-9._-]+$/.test(name);
}

/** What the console reads from config.json: where the API and the live-updates WebSocket are. */
export interface ConsoleRuntimeConfig {
  /** The REST API base without `/api/v1`, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`; empty: the console's own origin. */
  readonly api_url: string;
  /** The live-updates WebSocket URL (`wss://…/<stage>`); empty: `/ws` on the console's own origin. */
  readonly live_url: string;
}

/**
 * Content Security Policy of the console's documents: scripts, styles and everything else only
 * from the console's own origin (no inline script, no eval, no CDN), and network calls only to
 * the console's origin plus `connectSources` (the API and WebSocket origins on AWS).
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every other security header the console is served with (CloudFront sets the same through its response headers policy). */
export const CONSOLE_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;

/** Hashed build assets never change under their name; the document and config.json are revalidated every time. */
export const CONSOLE_CACHE_CONTROL = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
} as const;
