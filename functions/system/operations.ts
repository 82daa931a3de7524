import * as z from 'zod';
import { healthReport, type HealthProbe } from '../core/system/health.ts';
import { notFound } from '../core/errors.ts';
import { publicOperation, type Operation } from '../http/operation.ts';
import { ROUTES } from '../../lib/definitions/routes.ts';
import { DOCS_ASSETS, SWAGGER_INITIALIZER } from '../../lib/definitions/docs-assets.ts';

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    version: z.string(),
    timestamp: z.string(),
    checks: z.record(z.string(), z.object({ status: z.enum(['ok', 'error']), latency_ms: z.number(), message: z.string().optional() })),
  })
  .meta({ id: 'Health' });

/** The document is described by the OpenAPI 3.1 schema itself; here only its top-level shape. */
export const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' });

const AssetPath = z.object({ file: z.enum([SWAGGER_INITIALIZER, ...Object.keys(DOCS_ASSETS)] as [string, ...string[]]).meta({ description: 'The asset’s file name' }) });

export interface SystemDeps {
  probes: readonly HealthProbe[];
  version: string;
  /** The OpenAPI document (functions/root/platform.ts, apiDocument). */
  document: () => Promise<unknown>;
  /** Reads a docs asset (functions/adapters/docs-assets.ts); undefined when it is not one. */
  asset: (name: string) => string | undefined;
}

const HTML = 'text/html; charset=utf-8';
/**
 * The interactive docs run scripts, unlike every other answer of the API, so their pages get a
 * policy of their own: only this origin's scripts (no inline ones), inline styles (ReDoc builds its
 * styles at run time), and a blob worker (ReDoc's search).
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const page = (text: string) => ({ status: 200, text, headers: { 'Content-Type': HTML, 'Content-Security-Policy': DOCS_CSP } });

export function systemOperations(deps: SystemDeps): Record<string, Operation> {
  const openapi = publicOperation({ response: OpenApiDocumentSchema, description: 'OpenAPI 3.1 document generated from the request schemas' }, async () => ({
    status: 200,
    body: await deps.document(),
  }));
  return {
    health: publicOperation({ response: HealthSchema, responses: { 503: { description: 'A dependency failed its check', schema: HealthSchema } } }, async () => {
      const report = await healthReport(deps.probes, deps.version, new Date());
      return { status: report.status === 'healthy' ? 200 : 503, body: report };
    }),
    openapi,
    openapiRoot: openapi,
    docs: publicOperation({ response: z.string(), responseMediaTypes: ['text/html'], description: 'HTML reference generated from the route table' }, async () => ({
      status: 200,
      text: docsPage(),
      headers: { 'Content-Type': HTML },
    })),
    swaggerUi: publicOperation({ response: z.string(), responseMediaTypes: ['text/html'], description: 'Swagger UI over /openapi.json (assets served by Stepwise, no CDN)' }, async () => page(swaggerPage())),
    redoc: publicOperation({ response: z.string(), responseMediaTypes: ['text/html'], description: 'ReDoc over /openapi.json (assets served by Stepwise, no CDN)' }, async () => page(redocPage())),
    docsAsset: publicOperation(
      {
        params: AssetPath,
        response: z.string(),
        responseMediaTypes: ['text/javascript', 'text/css'],
        headers: ['Cache-Control'],
      },
      async ({ params }) => {
        if (params.file === SWAGGER_INITIALIZER) return { status: 200, text: SWAGGER_INIT, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' } };
        const text = deps.asset(params.file);
        if (text === undefined) throw notFound('Docs asset', params.file);
        return { status: 200, text, headers: { 'Content-Type': DOCS_ASSETS[params.file]!.contentType, 'Cache-Control': 'public, max-age=86400' } };
      },
    ),
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

// Relative URLs, so the pages work under an API Gateway stage prefix (/dev/docs) as well as locally.
const SWAGGER_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
};
`;

function swaggerPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stepwise API — Swagger UI</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="docs/assets/swagger-initializer.js"></script>
</body></html>`;
}

function redocPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stepwise API — ReDoc</title></head>
<body><redoc spec-url="openapi.json"></redoc>
<script src="docs/assets/redoc.standalone.js"></script>
</body></html>`;
}

function docsPage(): string {
  const rows = ROUTES.map(
    (r) =>
      `<tr><td><code>${r.method}</code></td><td><code>${escape(r.path)}</code></td><td>${escape(r.summary)}</td><td>${r.scope ? `<code>${r.scope}</code>` : 'public'}</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stepwise API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>Stepwise API</h1><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Interactive: <a href="/docs">Swagger UI</a>, <a href="/redoc">ReDoc</a>.
Errors: <code>{"error":{"code","message","field","request_id"}}</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Scope</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
