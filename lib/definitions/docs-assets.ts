/**
 * The browser assets of the interactive API docs (Behflow's Swagger UI at /docs and ReDoc at
 * /redoc), served by the system function from the npm packages that ship them, so the docs work
 * offline. Local mode reads them from node_modules; CDK copies exactly these files next to the
 * system function's bundle (lib/api-stack.ts). Pure data.
 */
export interface DocsAsset {
  /** The file's path inside node_modules. */
  readonly source: string;
  readonly contentType: string;
}

export const DOCS_ASSETS: Readonly<Record<string, DocsAsset>> = {
  'swagger-ui-bundle.js': { source: 'swagger-ui-dist/swagger-ui-bundle.js', contentType: 'text/javascript; charset=utf-8' },
  'swagger-ui-standalone-preset.js': { source: 'swagger-ui-dist/swagger-ui-standalone-preset.js', contentType: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { source: 'swagger-ui-dist/swagger-ui.css', contentType: 'text/css; charset=utf-8' },
  'redoc.standalone.js': { source: 'redoc/bundles/redoc.standalone.js', contentType: 'text/javascript; charset=utf-8' },
};

/** Stepwise's own Swagger UI start-up script (no inline scripts on the page); not a package file. */
export const SWAGGER_INITIALIZER = 'swagger-initializer.js';

/** Where the copies sit next to a Lambda bundle. */
export const DOCS_ASSETS_DIR = 'docs-assets';

/**
 * The OpenAPI document as CDK ships it next to the system function's bundle: generated at synth
 * from the route table and the zod schemas (scripts/openapi-document.ts), so the function carries
 * neither the generator nor every resource's schemas (docs/architecture.md#cold-start).
 */
export const API_DOCUMENT_FILE = 'openapi.json';
/** The script that writes it (its stdout), run by the construct with the stage's version as argument. */
export const API_DOCUMENT_GENERATOR = 'scripts/openapi-document.ts';
