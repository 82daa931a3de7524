/**
 * Absolute URLs of webhook triggers. PUBLIC_BASE_URL is the API's own address (the local server
 * sets it; on AWS the API stack builds it from the REST API id and stage, see lib/api-stack.ts).
 * Without it — a local server on an ephemeral port — the request's Host is used.
 */
export function publicBaseUrl(configured: string | undefined, headers: Record<string, string>): string {
  if (configured) return configured.replace(/\/+$/, '');
  const proto = headers['x-forwarded-proto']?.split(',')[0]?.trim() || 'http';
  return `${proto}://${headers.host ?? '127.0.0.1'}`;
}

export const hookPath = (workflowId: string, token: string) => `/api/v1/hooks/${workflowId}/${token}`;

export const hookUrl = (base: string, workflowId: string, token: string) => `${base}${hookPath(workflowId, token)}`;
