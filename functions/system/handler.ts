import { container, pipelineOptions } from '../adapters/container.ts';
import { readDocsAsset } from '../adapters/docs-assets.ts';
import { httpHandler } from '../http/pipeline.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { systemOperations } from './operations.ts';

const { config, healthProbes } = container();
let document: unknown;

/** Health, the OpenAPI document, the HTML reference and the interactive docs (Swagger UI, ReDoc). */
export const handler = httpHandler(
  'system',
  systemOperations({ probes: healthProbes, version: config.APP_VERSION, document: () => (document ??= buildOpenApiDocument(config.APP_VERSION)), asset: readDocsAsset }),
  pipelineOptions(),
);
