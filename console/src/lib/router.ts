import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/executions/exec_…?status=failed`): the static site needs no server-side
 * fallback, and the part after `#` never reaches a server or a log.
 */
export interface Route {
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** `href('/executions', {status: 'failed'})` → `#/executions?status=failed` (empty values dropped). */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string | number | undefined | null>): void {
  location.hash = href(path, query);
}

/** Replaces the query of the current route without a new history entry (filters). */
export function replaceQuery(query: Record<string, string | number | undefined | null>): void {
  const { segments } = currentRoute();
  history.replaceState(null, '', href(`/${segments.map(encodeURIComponent).join('/')}`, query));
  dispatchEvent(new HashChangeEvent('hashchange'));
}
