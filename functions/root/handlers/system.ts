import { readDocsAsset } from '../../adapters/docs-assets.ts';
import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { buildOpenApiDocument } from '../../system/openapi.ts';
import { systemOperations } from '../../system/operations.ts';
import type { Stepwise } from '../stepwise.ts';

/** Health, the OpenAPI document, the HTML reference and the interactive docs (Swagger UI, ReDoc). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  const { config } = stepwise;
  let document: unknown;
  return httpHandler(
    'system',
    systemOperations({ probes: stepwise.healthProbes, version: config.APP_VERSION, document: () => (document ??= buildOpenApiDocument(config.APP_VERSION)), asset: readDocsAsset }),
    stepwise.pipeline,
  );
}
