import * as z from 'zod';
import { healthReport, type HealthProbe } from '../core/system/health.ts';
import { publicOperation, type Operation } from '../http/operation.ts';
import { ROUTES } from '../../lib/definitions/routes.ts';

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    version: z.string(),
    timestamp: z.string(),
    checks: z.record(z.string(), z.object({ status: z.enum(['ok', 'error']), latency_ms: z.number(), message: z.string().optional() })),
  })
  .meta({ id: 'Health' });

export interface SystemDeps {
  probes: readonly HealthProbe[];
  version: string;
  document: () => unknown;
}

export function systemOperations(deps: SystemDeps): Record<string, Operation> {
  return {
    health: publicOperation({ response: HealthSchema }, async () => {
      const report = await healthReport(deps.probes, deps.version, new Date());
      return { status: report.status === 'healthy' ? 200 : 503, body: report };
    }),
    openapi: publicOperation({ description: 'OpenAPI 3.1 document generated from the request schemas' }, async () => ({
      status: 200,
      body: deps.document(),
    })),
    docs: publicOperation({ description: 'HTML reference generated from the route table' }, async () => ({
      status: 200,
      text: docsPage(),
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    })),
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function docsPage(): string {
  const rows = ROUTES.map(
    (r) =>
      `<tr><td><code>${r.method}</code></td><td><code>${escape(r.path)}</code></td><td>${escape(r.summary)}</td><td>${r.scope ? `<code>${r.scope}</code>` : 'public'}</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stepwise API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>Stepwise API</h1><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
Errors: <code>{"error":{"code","message","field","request_id"}}</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Scope</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
