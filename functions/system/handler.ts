import { container, pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { systemOperations } from './operations.ts';

const { config, healthProbes } = container();
let document: unknown;

/** Health, the OpenAPI document and the HTML reference. */
export const handler = httpHandler(
  'system',
  systemOperations({ probes: healthProbes, version: config.APP_VERSION, document: () => (document ??= buildOpenApiDocument(config.APP_VERSION)) }),
  pipelineOptions(),
);
