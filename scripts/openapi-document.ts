/**
 * Prints the OpenAPI document for a version (`node --import tsx scripts/openapi-document.ts 1.2.3`):
 * the file CDK ships next to the system function (lib/definitions/docs-assets.ts,
 * API_DOCUMENT_FILE), built exactly as local mode builds it on request.
 */
import { buildOpenApiDocument } from '../functions/system/openapi.ts';

const version = process.argv[2];
if (!version) {
  console.error('usage: openapi-document.ts <version>');
  process.exit(2);
}
process.stdout.write(JSON.stringify(buildOpenApiDocument(version)));
