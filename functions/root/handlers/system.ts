import { readDocsAsset } from '../../adapters/docs-assets.ts';
import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { systemOperations } from '../../system/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { pipelineOf } from '../identity.ts';

/** Health, the OpenAPI document, the HTML reference and the interactive docs (Swagger UI, ReDoc). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  const { config } = stepwise;
  let document: Promise<unknown> | undefined;
  return httpHandler(
    'system',
    systemOperations({ probes: stepwise.healthProbes, version: config.APP_VERSION, document: () => (document ??= stepwise.platform.apiDocument()), asset: readDocsAsset }),
    pipelineOf(stepwise),
  );
}
